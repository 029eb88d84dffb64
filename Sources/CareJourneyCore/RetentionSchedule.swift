import Foundation

/// How long a council keeps a case's record after the case closes, and how often the running service disposes of
/// records kept long enough: the `retention:` key of a policy file, modelled on the records retention schedules
/// councils publish.
///
/// Rules are read in order; the first whose condition a closed case meets decides how long it is kept, and the
/// last has no condition, so every case has one:
///
/// ```swift
/// let schedule = RetentionSchedule(
///     rules: [
///         .init(name: "safeguarding", when: .init(safeguardingEnquiry: true), keep: .months(240)),
///         .init(name: "adults", when: .init(), keep: .months(96)),
///     ],
///     disposeEvery: .days(1))
/// ```
public struct RetentionSchedule: Hashable, Codable, Sendable {
    /// The rules, in order. The last has no condition.
    public var rules: [Rule]
    /// How often the running service disposes of records past their period; `nil` when only
    /// `carejourney store dispose` does.
    public var disposeEvery: PolicyDuration?

    /// Creates a schedule.
    public init(rules: [Rule], disposeEvery: PolicyDuration? = nil) {
        self.rules = rules
        self.disposeEvery = disposeEvery
    }

    /// One line of the schedule: which cases, and how long after closing they are kept.
    public struct Rule: Hashable, Codable, Sendable {
        /// A short name, written on each disposal certificate (`adults`, `safeguarding`).
        public var name: String
        /// Which closed cases it covers.
        public var when: Condition
        /// How long after closing they are kept.
        public var keep: PolicyDuration

        /// Creates a rule.
        public init(name: String, when: Condition, keep: PolicyDuration) {
            self.name = name
            self.when = when
            self.keep = keep
        }
    }

    /// What a closed case must be for a rule to cover it: every part given must hold; none given covers every case.
    public struct Condition: Hashable, Codable, Sendable {
        /// A person's case or a carer's.
        public var clientType: ClientType?
        /// How the case (its last episode) closed: any of these.
        public var closureReasons: [ClosureReason]?
        /// Whether the case ever had a safeguarding (s42) enquiry.
        public var safeguardingEnquiry: Bool?

        /// Creates a condition.
        public init(
            clientType: ClientType? = nil, closureReasons: [ClosureReason]? = nil, safeguardingEnquiry: Bool? = nil
        ) {
            self.clientType = clientType
            self.closureReasons = closureReasons
            self.safeguardingEnquiry = safeguardingEnquiry
        }

        /// Whether it covers every case.
        public var coversEverything: Bool { self == Condition() }

        /// Whether a closed case with these facts meets it.
        func matches(_ facts: RetentionFacts) -> Bool {
            (clientType.map { $0 == facts.clientType } ?? true)
                && (closureReasons.map { $0.contains(facts.closureReason) } ?? true)
                && (safeguardingEnquiry.map { $0 == facts.hadSafeguardingEnquiry } ?? true)
        }
    }

    /// The rule that decides how long a closed case with these facts is kept.
    public func rule(for facts: RetentionFacts) -> Rule? {
        rules.first { $0.when.matches(facts) }
    }

    /// Whether the case whose history this is has been kept its full period by `date`: `nil` while it is open, or
    /// when its period has not run out (counted from its last closure, so a re-referral starts it again).
    public func review(_ history: CaseHistory, asOf date: Date) -> RetentionReview? {
        let state = history.latest
        guard state.stage == .closed, let closure = state.closure else { return nil }
        let facts = RetentionFacts(
            clientType: state.person?.clientType, closureReason: closure.reason,
            hadSafeguardingEnquiry: history.steps.contains { $0.state.safeguarding.status == .enquiry })
        guard let rule = rule(for: facts) else { return nil }
        let due = rule.keep.after(closure.at)
        guard due <= date else { return nil }
        return RetentionReview(
            caseID: history.id, rule: rule, openedAt: history.steps.first?.at, closedAt: closure.at, dueAt: due,
            hold: state.hold, openTasks: state.tasks.count)
    }
}

/// What a retention rule looks at in a closed case.
public struct RetentionFacts: Hashable, Sendable {
    public var clientType: ClientType?
    public var closureReason: ClosureReason
    /// Whether it ever had a safeguarding (s42) enquiry, in any episode.
    public var hadSafeguardingEnquiry: Bool

    /// Creates the facts.
    public init(clientType: ClientType?, closureReason: ClosureReason, hadSafeguardingEnquiry: Bool) {
        self.clientType = clientType
        self.closureReason = closureReason
        self.hadSafeguardingEnquiry = hadSafeguardingEnquiry
    }
}

/// A closed case kept for its full period: disposed of unless a legal hold stands or work on it is still open.
public struct RetentionReview: Hashable, Sendable {
    public let caseID: CaseID
    /// The rule that decided its period.
    public let rule: RetentionSchedule.Rule
    /// When it was first opened (its first contact).
    public let openedAt: Date?
    /// When it last closed.
    public let closedAt: Date
    /// When its period ran out.
    public let dueAt: Date
    /// The legal hold on it, if one stands: it is kept.
    public let hold: LegalHold?
    /// Tasks still open on it (a safeguarding enquiry, a complaint, a notice not yet sent): it is kept until they
    /// are done, so that nothing in hand is lost.
    public let openTasks: Int

    /// Whether it may be disposed of now.
    public var disposable: Bool { hold == nil && openTasks == 0 }
}
