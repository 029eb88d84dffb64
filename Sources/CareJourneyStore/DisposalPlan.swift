import CareJourneyCore
import Foundation

/// The closed cases past their retention period on a day, examined from one consistent read: what a disposal run
/// removes (`CaseStore.dispose`, or `Engine.dispose` beside the running service).
public struct DisposalPlan: Sendable {
    /// The day the periods were counted to.
    public let asOf: Date
    /// The id of the policy whose schedule was applied.
    public let policy: String
    /// Closed cases examined.
    public let examined: Int
    /// Each case past its period, with its version when examined: one that changed since is left for the next run.
    package let due: [(review: RetentionReview, version: Int)]

    package init(asOf: Date, policy: String, examined: Int, due: [(review: RetentionReview, version: Int)]) {
        self.asOf = asOf
        self.policy = policy
        self.examined = examined
        self.due = due
    }

    /// What a dry run lists: every case past its period, disposable ones `due`.
    public var listing: DisposalReport {
        report(due.map { DisposalReport.Entry($0.review, outcome: kept($0.review) ?? .due) }, by: nil, at: nil)
    }

    /// Why a case past its period is kept, if it is.
    package func kept(_ review: RetentionReview) -> DisposalReport.Outcome? {
        review.hold != nil ? .held : review.openTasks > 0 ? .openWork : nil
    }

    package func report(_ entries: [DisposalReport.Entry], by actor: String?, at date: Date?) -> DisposalReport {
        DisposalReport(
            asOf: asOf, dryRun: actor == nil, policy: policy, examined: examined, disposedBy: actor, disposedAt: date,
            cases: entries)
    }
}
