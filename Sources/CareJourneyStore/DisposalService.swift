import CareJourneyClock
import CareJourneyCore
import Foundation
import Logging
import ServiceLifecycle

/// Disposes of closed cases kept their full period, on the policy's schedule (`retention.dispose-every`), beside
/// the running service.
///
/// Each run examines the closed cases as of the clock's now (one read, off the writer), then removes those that may
/// go through the engine (`Engine.dispose`) a few at a time between the engine's batches, so that pages are answered
/// at once while it runs, each case leaving a certificate by the actor `retention`; it logs what it did in counts: no
/// names, no case ids. The time of the last run is kept in the store, so a restart keeps the
/// schedule; a store never disposed of is examined at start. Time comes from the service's clock.
public final class DisposalService: Service, Sendable {
    /// The actor certificates name for the service's own runs.
    public static let actor = "retention"

    private let engine: Engine
    private let clock: any CareClock
    private let schedule: RetentionSchedule
    private let every: PolicyDuration
    private let logger: Logger

    /// The service for `engine`'s policy, or `nil` when the policy asks for no scheduled disposal (no
    /// `retention.dispose-every`).
    public init?(engine: Engine, clock: any CareClock, logger: Logger = Logger(label: "carejourney.disposal")) {
        guard let schedule = engine.policy.retention, let every = schedule.disposeEvery else { return nil }
        self.engine = engine
        self.clock = clock
        self.schedule = schedule
        self.every = every
        self.logger = logger
    }

    /// Runs disposal on schedule until a graceful shutdown.
    public func run() async {
        await cancelWhenGracefulShutdown { [self] in
            var next = ((try? await engine.store.lastDisposal()) ?? nil).map(every.after) ?? clock.now()
            while !Task.isCancelled {
                do {
                    try await clock.sleep(until: next)
                } catch {
                    return
                }
                let now = clock.now()
                do throws(StoreError) {
                    try await runOnce(at: now)
                } catch {
                    log(stopped: error)
                }
                next = every.after(now)
            }
        }
    }

    /// Logs why a run stopped before its end: the service shutting down (a notice), or an error.
    private func log(stopped error: StoreError) {
        guard error.code != .closed else {
            logger.notice(
                """
                disposal run stopped as the service shuts down; the cases removed before it stopped stay removed \
                with their certificates; the next run looks again
                """)
            return
        }
        logger.error(
            """
            disposal run failed; the cases removed before it failed stay removed with their certificates; it runs \
            again at the next interval
            """,
            metadata: ["error": "\(error.code)", "hint": "run `carejourney store verify`"])
    }

    /// One run as of `now`: examines the closed cases and disposes of those that may go.
    @discardableResult
    public func runOnce(at now: Date) async throws(StoreError) -> DisposalReport {
        let plan = try await engine.store.planDisposal(asOf: now, under: schedule, policy: engine.policy.id)
        let report = try await engine.dispose(plan, by: Self.actor, at: now)
        logger.notice(
            "disposal run",
            metadata: [
                "examined": "\(report.examined)", "disposed": "\(report.count(.disposed))",
                "held": "\(report.count(.held))", "open-work": "\(report.count(.openWork))",
                "changed": "\(report.count(.changed))", "policy": "\(report.policy)",
            ])
        return report
    }
}
