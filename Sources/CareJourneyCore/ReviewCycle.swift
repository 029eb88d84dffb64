import Foundation

/// The review cycle that starts at sign-off: informal, first formal, planned, and unplanned reviews.
///
/// Due dates live in the case's timers; this records what happened and what is overdue.
public struct ReviewCycle: Hashable, Codable, Sendable {
    /// The review in progress, if any.
    public var current: ReviewInProgress?
    /// Whether a formal review has been completed since the first sign-off.
    public var formalReviewDone: Bool
    /// Reviews completed so far.
    public var completed: Int
    /// When the last review was completed.
    public var lastCompletedAt: Date?
    /// When the last review that satisfied the cycle was completed (the next planned review counts from it).
    public var lastFormalCompletedAt: Date?
    /// The formal review whose due date passed without it being completed.
    public var overdue: OverdueReview?

    /// No reviews yet.
    public static let none = ReviewCycle(
        current: nil, formalReviewDone: false, completed: 0, lastCompletedAt: nil, lastFormalCompletedAt: nil,
        overdue: nil)
}

/// The kinds of review.
public enum ReviewType: String, Choice {
    case informal
    case firstFormal = "first-formal"
    case planned
    case unplanned

    /// Whether completing it re-bases the next planned review (every type but the informal one).
    public var isFormal: Bool { self != .informal }
}

/// Why an unplanned review was started.
public enum UnplannedReason: String, Choice {
    case changeOfCircumstances = "change-of-circumstances"
    case request
    case safeguarding
    case hospital
    case providerFailure = "provider-failure"
    case dpAudit = "dp-audit"
}

/// How far a review found the plan's outcomes achieved.
public enum OutcomesAchieved: String, Choice {
    case met
    case partiallyMet = "partially-met"
    case notMet = "not-met"
}

/// A review in progress.
public struct ReviewInProgress: Hashable, Codable, Sendable {
    public var type: ReviewType
    public var reason: UnplannedReason?
    public var startedAt: Date
}

/// A formal review past its due date.
public struct OverdueReview: Hashable, Codable, Sendable {
    public var type: ReviewType
    public var due: Date
}

/// Data of `start-review`.
public struct ReviewStart: Hashable, Codable, Sendable {
    public var type: ReviewType
    /// Required for an unplanned review.
    public var reason: UnplannedReason?
    public var substantialDifficulty: Bool?
    public var appropriatePerson: Bool?

    /// The advocacy finding carried by this review start.
    public var involvement: Involvement {
        Involvement(substantialDifficulty: substantialDifficulty, appropriatePerson: appropriatePerson)
    }
}

/// Data of `review-completed`.
public struct ReviewResult: Hashable, Codable, Sendable {
    public var outcome: Outcome
    /// Required when the outcome is closure.
    public var closureReason: ClosureReason?
    public var note: String?
    /// How the review was carried out.
    public var method: AssessmentMethod?
    /// Who took part: the person, their carer, or both (the return's Method of Review).
    public var participants: Participants?
    /// How far the outcomes in the plan were achieved.
    public var outcomesAchieved: OutcomesAchieved?

    /// What the review decided.
    public enum Outcome: String, Choice {
        case noChange = "no-change"
        case planChange = "plan-change"
        case reassessment = "re-assessment"
        case closure
    }
}

/// A move to another council: funding continues for the policy's period, then the case closes.
public struct Transfer: Hashable, Codable, Sendable {
    public var council: String
    public var movedAt: Date
    public var fundingEndsAt: Date
}

/// Data of `moved-to-another-council`.
public struct Move: Hashable, Codable, Sendable {
    public var council: String
}

/// Data of `policy-applied`.
public struct PolicyChange: Hashable, Codable, Sendable {
    /// The new policy's id.
    public var policy: String

    /// Creates a policy change.
    public init(policy: String) { self.policy = policy }
}

/// Data of `timer-fired`.
public struct TimerFire: Hashable, Codable, Sendable {
    public var timer: TimerName
    /// The due time the timer was set for; a fire for another due time is stale and refused.
    public var due: Date

    /// Creates a timer fire.
    public init(timer: TimerName, due: Date) {
        self.timer = timer
        self.due = due
    }
}
