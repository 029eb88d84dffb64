import CareJourneyClock
import CareJourneyStore
import CareJourneyWire
import Synchronization

/// The overview's figures for the dashboard's pages and `GET /api/overview`, shared: read again once those last
/// read are a second old (pages that refresh live, many at once, share one read a second).
final class OverviewReader: Sendable {
    let engine: Engine
    let clock: any CareClock
    /// The task broker's queues and workers now, when a broker runs.
    let workers: (@Sendable () -> BrokerSnapshot)?
    private let last = Mutex<(read: ContinuousClock.Instant, figures: OverviewFigures)?>(nil)
    private static let freshFor = Duration.seconds(1)

    init(engine: Engine, clock: any CareClock, workers: (@Sendable () -> BrokerSnapshot)?) {
        self.engine = engine
        self.clock = clock
        self.workers = workers
    }

    /// The figures, at most a second old; `nil` when the store cannot be read.
    func figures() async -> OverviewFigures? {
        if let last = last.withLock({ $0 }), ContinuousClock.now - last.read < Self.freshFor { return last.figures }
        let started = ContinuousClock.now
        guard let figures = try? await OverviewFigures.read(store: engine.store, broker: workers?(), policy: engine.policy, at: clock.now())
        else { return nil }
        last.withLock { $0 = (started, figures) }
        return figures
    }
}
