import Foundation

/// A reablement episode: free for up to the policy's maximum, with a weekly progress check.
public struct ReablementEpisode: Hashable, Codable, Sendable {
    /// When reablement started.
    public var startedAt: Date
    /// The end of the free period; reaching it without an outcome escalates.
    public var endsAt: Date
    /// How many weekly checks have come due.
    public var checksDue: Int
    /// How many weekly checks have been recorded.
    public var checksRecorded: Int
    /// Whether the maximum passed without an outcome (escalated to the team manager).
    public var overran: Bool
}

/// Data of `reablement-ended`.
public struct ReablementOutcome: Hashable, Codable, Sendable {
    public var outcome: Result
    public var note: String?

    /// How reablement ended.
    public enum Result: String, Choice {
        /// Independence regained: the case closes.
        case independent
        /// Needs remain: an assessment follows.
        case needsRemain = "needs-remain"
    }
}

/// Data of `interim-support-arranged` and `provider-found`: a worker's reply naming a provider and its cost; the
/// unit cost, its unit and the units a week, and the provider's CQC location, when the worker gives them.
public struct ProviderArranged: Hashable, Codable, Sendable {
    public var provider: String
    public var weeklyCost: Money
    /// The provider's price for one unit (an hour, a week, …).
    public var unitCost: Money?
    /// What one unit is.
    public var unitType: CostUnit?
    /// How many units a week are planned.
    public var plannedUnitsPerWeek: PlannedUnits?
    /// The CQC location the service is given from.
    public var cqcLocationID: CQCLocationID?
    public var task: TaskID?
}
