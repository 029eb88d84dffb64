import CareJourneyCore
import Foundation

extension Engine {
    /// Disposes of the cases of `plan` beside the running service (`CaseStore.dispose`), in steps of `batch` cases
    /// on the writer thread, each between two of the engine's batches: no command can touch a case while it goes,
    /// one that changed since it was examined is kept for the next run, and no step holds the writer for more than a
    /// few milliseconds, so the commands and reads submitted meanwhile are committed between two steps. The store's
    /// figures and the engine's memory of the cases follow each step.
    ///
    /// - Parameters:
    ///   - actor: who disposes, for the certificates.
    ///   - now: when, from the service's clock.
    ///   - batch: the most cases a step removes.
    ///   - progress: called after each step with the cases settled so far and how many are past their period.
    /// - Throws: `StoreError` when the store cannot be written (the step being written removed nothing), or the
    ///   engine is shutting down; the steps before stay done.
    public func dispose(
        _ plan: DisposalPlan, by actor: String, at now: Date, batch: Int = CaseStore.disposalBatch,
        progress: ((_ done: Int, _ total: Int) -> Void)? = nil
    ) async throws(StoreError) -> DisposalReport {
        try await store.carryOut(plan, by: actor, at: now, batch: batch, progress: progress) {
            step throws(StoreError) in
            try await maintain { () throws(StoreError) in
                let done = try step()
                return Maintenance(result: done, figures: done.figures, removed: done.removed)
            }
        }
    }
}
