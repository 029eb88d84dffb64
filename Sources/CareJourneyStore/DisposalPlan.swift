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

extension DisposalPlan {
    /// The outcome of walking a plan's due cases: each case's entry, and whether any was removed.
    package struct Walked: Sendable {
        package var entries: [DisposalReport.Entry] = []
        package var removedAny = false
    }

    /// Walks the due cases `batch` at a time, in order, `step` removing each batch (in a transaction of its own,
    /// whichever store) and telling what it did; `progress` is told the cases done of all. Any store's disposal run
    /// goes this way.
    ///
    /// - Throws: `StoreError.closed` when the task is cancelled between two batches (those removed stay removed, each
    ///   with its certificate, and the next run looks again); what `step` throws.
    package func walk(
        inBatchesOf batch: Int, progress: ((_ done: Int, _ total: Int) -> Void)?,
        _ step: ([(review: RetentionReview, version: Int)]) async throws(StoreError) -> DisposalStep
    ) async throws(StoreError) -> Walked {
        let size = max(1, batch)
        var walked = Walked()
        var done = 0
        progress?(0, due.count)
        while done < due.count {
            if Task.isCancelled {
                throw StoreError(
                    .closed,
                    "disposal stopped after \(done) of \(due.count) cases: the service is shutting down; those "
                        + "removed stay removed with their certificates, and the next run looks again")
            }
            let cases = Array(due[done..<min(done + size, due.count)])
            let outcome = try await step(cases)
            walked.entries += outcome.entries
            walked.removedAny = walked.removedAny || !outcome.removed.isEmpty
            done += cases.count
            progress?(done, due.count)
        }
        return walked
    }
}
