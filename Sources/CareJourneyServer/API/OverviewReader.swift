import CareJourneyClock
import CareJourneyStore
import CareJourneyWire
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// The overview's figures for the dashboard's pages and `GET /api/overview`, shared, and never a scan of the store
/// per request: the counts (cases by stage, tasks by queue and status) are those the engine's writer keeps as it
/// commits, current at every request; the figures that need a pass over an index (waits by stage, each queue's
/// oldest task, reviews due and how the done ones went) are a summary read in the background every `interval`, or
/// ten times as long as the last read took if that is longer, and shown with the time they were read. The last
/// summary is kept in `overview.json` beside the store: after a restart the overview answers at once with it (and
/// its counts, until the engine has counted the store), as of when it was read.
final class OverviewReader: Service, Sendable {
    let engine: Engine
    let clock: any CareClock
    /// The task broker's queues and workers now, when a broker runs.
    let workers: (@Sendable () -> BrokerSnapshot)?
    private let interval: Duration
    private let logger: Logger
    private let latest: Mutex<OverviewFigures.Summary?>
    private let kept: KeptFile<OverviewFigures.Summary>

    init(
        engine: Engine, clock: any CareClock, workers: (@Sendable () -> BrokerSnapshot)?,
        interval: Duration = .seconds(15), logger: Logger
    ) {
        self.engine = engine
        self.clock = clock
        self.workers = workers
        self.interval = interval
        self.logger = logger
        kept = KeptFile("overview.json", beside: engine.store)
        latest = Mutex(kept.read())
    }

    /// Whether a summary has been read (or kept from the last run).
    var hasSummary: Bool { latest.withLock { $0 } != nil }

    /// The figures now, with the last summary read; waits up to `patience` for the first count or summary after
    /// start-up. `nil` when there is neither yet, or the store cannot be read.
    func figures(waitingUpTo patience: Duration = .milliseconds(800)) async -> OverviewFigures? {
        let deadline = ContinuousClock.now + patience
        while engine.figures == nil, latest.withLock({ $0 }) == nil, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        let summary = latest.withLock { $0 }
        // The engine's counts are current; until it has counted the store, the summary's stand, as of its read.
        let live = engine.figures
        guard let counts = live ?? summary?.counts, let at = live != nil ? clock.now() : summary?.at else { return nil }
        return OverviewFigures(
            counts: counts, withoutNextStep: live.map { $0.withoutNextStep.values.reduce(0, +) },
            summary: summary, broker: workers?(), policy: engine.policy, at: at)
    }

    /// The engine's counts, or, until it has counted the store, the last summary's; waits up to `patience` for
    /// either after start-up.
    func counts(waitingUpTo patience: Duration) async -> StoreFigures? {
        let deadline = ContinuousClock.now + patience
        while engine.figures == nil, latest.withLock({ $0 }) == nil, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        return engine.figures ?? latest.withLock { $0 }?.counts
    }

    /// Reads the summary now and keeps it; a store that cannot be read leaves the last one in place.
    func refresh() async {
        do {
            let summary = try await OverviewFigures.Summary.read(from: engine.store, at: clock.now())
            latest.withLock { $0 = summary }
            kept.write(summary, logger: logger)
        } catch {
            logger.warning("the overview's summary was not read", metadata: ["error": .string("\(error)")])
        }
    }

    func run() async throws {
        // A graceful shutdown cuts the wait short; a read under way finishes first.
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                let started = ContinuousClock.now
                await self.refresh()
                try await Task.sleep(for: max(self.interval, (ContinuousClock.now - started) * 10))
            }
        }
    }
}
