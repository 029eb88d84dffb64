/// One council's numbers for the journey: the typed form of a `workflows/*.yaml` file.
///
/// The core never reads files; the shell loads and validates a policy file into this value.
public struct Policy: Hashable, Codable, Sendable {
    /// A short stable identifier (`derbyshire`).
    public var id: String
    /// The council's name, for people.
    public var council: String
    /// Reablement's length and check interval.
    public var reablement: Reablement
    /// Review intervals, windows, reminders and escalation.
    public var reviews: Reviews
    /// Direct-payment monitoring.
    public var directPayments: DirectPayments
    /// How long funding continues after a move to another council.
    public var transfer: Transfer
    /// The weekly cost above which a plan needs high-cost approval before sign-off.
    public var highCost: HighCost
    /// The resource allocation system's bands.
    public var ras: ResourceAllocation
    /// The queue each kind of task goes to.
    public var queues: [TaskKind: String]
    /// Who serves each queue named in `queues`: people or workers. `nil` only for a policy built in code (every
    /// queue then counts as a worker's); a policy file must say it for each queue.
    public var servedBy: [String: QueueServer]?
    /// How long after it opens each kind of task is due (`TaskDue`); kinds left out have no due date. `nil` when the
    /// policy gives none, so that a policy file without `task-due:` keeps its fingerprint.
    public var taskDue: [TaskKind: PolicyDuration]?
    /// Minimum roles the council raises above the catalog's (`EventCatalog.minimumRole(of:)`); never lower.
    /// `nil` when the policy raises none (so that a policy file without `roles:` keeps its fingerprint).
    public var minimumRoles: [EventName: Role]?
    /// How long closed cases are kept, and how often the service disposes of those kept long enough. `nil` when the
    /// policy has no schedule (nothing is disposed of), so that a policy file without `retention:` keeps its
    /// fingerprint.
    public var retention: RetentionSchedule?
    /// The council's charging: financial assessments after eligibility, exemptions, free periods and re-assessment.
    /// `nil` when the policy models no charging (no financial assessment is asked for, and sign-off does not wait for
    /// one), so that a policy file without `charging:` keeps its fingerprint and the histories applied under it
    /// replay as they were.
    public var charging: Charging?
    /// What every care and support plan must hold at sign-off, for people and for carers, the reasonable rates plans
    /// are costed at, and copies of signed-off plans. `nil`: the items of earlier versions, and no copies, so that a
    /// policy file without `plans:` keeps its fingerprint.
    public var plans: Plans?
    /// The council's calendar and which deadlines count in its local days (`Policy+Calendar.swift`). `nil`: every
    /// deadline is an exact instant counted in UTC, as in earlier versions, so that a policy file without
    /// `calendar:` keeps its fingerprint and the histories applied under it replay as they were.
    public var calendar: CalendarRules?

    /// Creates a policy.
    public init(
        id: String, council: String, reablement: Reablement, reviews: Reviews, directPayments: DirectPayments,
        transfer: Transfer, highCost: HighCost, ras: ResourceAllocation, queues: [TaskKind: String],
        minimumRoles: [EventName: Role]? = nil, retention: RetentionSchedule? = nil, charging: Charging? = nil,
        plans: Plans? = nil, calendar: CalendarRules? = nil, servedBy: [String: QueueServer]? = nil,
        taskDue: [TaskKind: PolicyDuration]? = nil
    ) {
        self.id = id
        self.council = council
        self.reablement = reablement
        self.reviews = reviews
        self.directPayments = directPayments
        self.transfer = transfer
        self.highCost = highCost
        self.ras = ras
        self.queues = queues
        self.minimumRoles = minimumRoles
        self.retention = retention
        self.charging = charging
        self.plans = plans
        self.calendar = calendar
        self.servedBy = servedBy
        self.taskDue = taskDue
    }

    /// The queue for a kind of task; a kind the policy leaves out goes to `unrouted` (a validated policy has all).
    public func queue(for kind: TaskKind) -> String { queues[kind] ?? "unrouted" }

    /// Reablement's numbers.
    public struct Reablement: Hashable, Codable, Sendable {
        /// The longest reablement episode, free of charge (6 weeks).
        public var maximum: PolicyDuration
        /// How often progress is checked (weekly).
        public var checkEvery: PolicyDuration
        public init(maximum: PolicyDuration, checkEvery: PolicyDuration) {
            self.maximum = maximum
            self.checkEvery = checkEvery
        }
    }

    /// The review cycle's numbers.
    public struct Reviews: Hashable, Codable, Sendable {
        /// The informal review after sign-off (72 hours).
        public var informalAfter: PolicyDuration
        /// When the first formal review's window opens after sign-off (6 weeks).
        public var firstFormalOpens: PolicyDuration
        /// When the first formal review is due after sign-off (8 weeks).
        public var firstFormalDue: PolicyDuration
        /// The longest time from one completed review to the next planned one (12 months).
        public var plannedInterval: PolicyDuration
        /// How long before a due date the reminder goes out.
        public var reminderLead: PolicyDuration
        /// How long after a missed due date the team manager is asked to act (zero: at once).
        public var escalateAfter: PolicyDuration
        public init(
            informalAfter: PolicyDuration, firstFormalOpens: PolicyDuration, firstFormalDue: PolicyDuration,
            plannedInterval: PolicyDuration, reminderLead: PolicyDuration, escalateAfter: PolicyDuration
        ) {
            self.informalAfter = informalAfter
            self.firstFormalOpens = firstFormalOpens
            self.firstFormalDue = firstFormalDue
            self.plannedInterval = plannedInterval
            self.reminderLead = reminderLead
            self.escalateAfter = escalateAfter
        }
    }

    /// Direct-payment monitoring.
    public struct DirectPayments: Hashable, Codable, Sendable {
        /// How often the direct-payment account is audited (12 months).
        public var auditEvery: PolicyDuration
        public init(auditEvery: PolicyDuration) { self.auditEvery = auditEvery }
    }

    /// Moves to another council.
    public struct Transfer: Hashable, Codable, Sendable {
        /// How long this council keeps funding after the move (6 weeks).
        public var fundingContinues: PolicyDuration
        public init(fundingContinues: PolicyDuration) { self.fundingContinues = fundingContinues }
    }

    /// High-cost packages.
    public struct HighCost: Hashable, Codable, Sendable {
        /// A plan whose weekly cost is above this needs high-cost approval.
        public var weeklyThreshold: Money
        /// The checklist a request for approval must answer: `kent`, all 22 items of Kent's pre-submission
        /// checklist. `nil`: the four-item appraisal of earlier versions (options, least restrictive, capacity,
        /// views), so that a policy file without `high-cost.checklist` keeps its fingerprint.
        public var checklist: Checklist?
        public init(weeklyThreshold: Money, checklist: Checklist? = nil) {
            self.weeklyThreshold = weeklyThreshold
            self.checklist = checklist
        }

        /// The checklists a council may ask for.
        public enum Checklist: String, Choice {
            /// Kent's "Approval for a higher cost care package: pre-submission checklist", all 22 items.
            case kent
        }
    }
}
