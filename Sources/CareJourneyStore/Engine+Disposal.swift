import CareJourneyCore
import Foundation

extension Engine {
    /// Disposes of the cases of `plan` beside the running service (`CaseStore.dispose`), on the writer thread between
    /// two batches: no command can touch a case while it goes, and one that changed since it was examined is kept
    /// for the next run. The store's figures and the engine's memory of the cases follow.
    ///
    /// - Parameters:
    ///   - actor: who disposes, for the certificates.
    ///   - now: when, from the service's clock.
    /// - Throws: `StoreError` when the store cannot be written (nothing was removed), or the engine is shutting
    ///   down.
    public func dispose(_ plan: DisposalPlan, by actor: String, at now: Date) async throws(StoreError)
        -> DisposalReport
    {
        try await maintain { [store] () throws(StoreError) in
            let done = try store.remove(plan, by: actor, at: now)
            return Maintenance(result: done.report, figures: done.figures, removed: done.removed)
        }
    }
}
