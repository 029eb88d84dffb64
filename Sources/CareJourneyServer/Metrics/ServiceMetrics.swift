import CareJourneyWire
import CareJourneyCore
import CareJourneyStore
import Foundation
import Hummingbird
import Logging
import Prometheus
import ServiceLifecycle
import Synchronization

/// `GET /metrics`: the service's figures in Prometheus text format, each named `carejourney_…` with its HELP
/// line (`MetricFamily` lists them; docs/operations.md says what each means).
///
/// A scrape reads no table, whatever the store's size. Cases, timers and tasks are the engine's `figures`: counted
/// once through indexes when the service starts (`run`: about a second on a million cases, beside the other
/// services; until then those series are absent), then kept from every commit's changes. Timer lateness and task
/// latency are recorded from committed events as the engine commits them, on its writer thread. Workers and dropped
/// messages come from the broker's snapshot (refreshed five times a second); commits and commands from the engine's
/// statistics.
///
/// Each service has a registry of its own (tests run several services in one process). HTTP requests are timed by
/// `HTTPMetricsMiddleware` into that registry: Hummingbird's `MetricsMiddleware` records through the process-wide
/// swift-metrics backend, under OpenTelemetry names (`http.server.request.duration`) and without HELP text.
final class ServiceMetrics: Service, Sendable {
    private let registry = PrometheusCollectorRegistry()
    private let engine: Engine
    /// The task broker's queues and workers now, when a broker runs.
    private let workers: (@Sendable () -> BrokerSnapshot)?
    private let logger: Logger
    private let timerLateness: ValueHistogram
    private let tasks = Mutex(TaskLatencies())
    /// The totals last added to each counter (by series), for the next scrape to add what has grown since. Scrapes
    /// take turns under it.
    private let published = Mutex<[String: Double]>([:])

    /// Metrics for `engine` (and the task broker's `workers`, when it runs). Create it before the engine runs, so that it sees every
    /// commit.
    ///
    /// - Parameter now: the moment a commit is observed, which times tasks (wall time, as the broker's leases run,
    ///   even under `--time-scale`).
    init(
        engine: Engine, workers: (@Sendable () -> BrokerSnapshot)?, logger: Logger,
        now: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now }
    ) {
        self.engine = engine
        self.workers = workers
        self.logger = logger
        let lateness = MetricFamily.timerLateness
        timerLateness = registry.makeValueHistogram(descriptor: lateness.descriptor, buckets: lateness.buckets)
        engine.observe { [weak self] events in self?.record(events, at: now()) }
    }

    /// Counts the store's figures (see `Engine.countFigures`), then waits for shutdown. A store that cannot be read
    /// is logged; `/metrics` then goes without those figures and the rest of the service runs on.
    func run() async throws {
        let started = ContinuousClock.now
        do {
            try await engine.countFigures()
            logger.info(
                "metrics: the store's figures are counted",
                metadata: ["seconds": "\((ContinuousClock.now - started) / .seconds(1))"])
        } catch {
            logger.error("metrics: the store's figures could not be counted", metadata: ["error": "\(error)"])
        }
        try? await gracefulShutdown()
    }

    /// Adds `GET /metrics` to `router`, and times every request the router answers.
    func serving<Context: RequestContext>(_ router: Router<Context>) -> MeasuredRouter<Context> {
        router.get("/metrics") { _, _ in
            Response.raw(Data(self.exposition()), status: 200, contentType: "text/plain; version=0.0.4; charset=utf-8")
        }
        return MeasuredRouter(router: router, middleware: HTTPMetricsMiddleware(registry: registry))
    }

    /// Records what one commit's events say, `at` the moment they were committed: how late each timer fired, and
    /// how long each task took that they complete.
    private func record(_ events: [CommittedEvent], at instant: ContinuousClock.Instant) {
        for event in events {
            if case .timerFired(let fire) = event.event {
                timerLateness.record(max(0, event.at.timeIntervalSince(fire.due)))
            }
        }
        // One histogram looked up a queue, not a task: a commit completes hundreds of tasks on a few queues, and
        // this runs on the engine's writer thread, between one batch and the next.
        let family = MetricFamily.taskLatency
        let byQueue = Dictionary(grouping: tasks.withLock { $0.take(events, at: instant) }, by: \.queue)
        for (queue, completed) in byQueue {
            let histogram = registry.makeValueHistogram(
                descriptor: family.descriptor, labels: [("queue", queue)], buckets: family.buckets)
            for task in completed { histogram.record(task.seconds) }
        }
    }

    /// The metrics as they stand, in Prometheus text format.
    func exposition() -> [UInt8] {
        published.withLock { published in
            let figures = engine.figures
            if let figures { gauge(figures) }
            let statistics = engine.statistics
            advance(.commits, to: Double(statistics.batches), in: &published)
            advance(.commands, to: Double(statistics.commands), in: &published)
            advance(.writerCPU, to: statistics.writerCPUSeconds, in: &published)
            if let snapshot = workers?() {
                // Every queue the broker knows or the store has tasks on: 0 workers is a figure, not a gap.
                for queue in Set(snapshot.queues.keys).union(figures.map { Array($0.tasks.keys) } ?? []) {
                    set(.workers, [("queue", queue)], to: snapshot.queues[queue]?.workers ?? 0)
                }
                for (reason, count) in snapshot.dropped {
                    advance(.droppedMessages, [("reason", reason)], to: Double(count), in: &published)
                }
            }
            return registry.emitToBuffer()
        }
    }

    private func gauge(_ figures: StoreFigures) {
        for stage in Stage.allCases where stage.isOpen {
            set(.openCases, [("stage", stage.rawValue)], to: figures.cases[stage] ?? 0)
        }
        set(.closedCases, to: figures.cases[.closed] ?? 0)
        set(.overdueReviews, to: figures.overdue)
        set(.pendingTimers, to: figures.pendingTimers)
        for stage in Stage.allCases where stage.isOpen {
            set(.casesWithoutNextStep, [("stage", stage.rawValue)], to: figures.withoutNextStep[stage] ?? 0)
        }
        for (queue, statuses) in figures.tasks {
            for status in TaskStatus.allCases {
                set(.tasks, [("queue", queue), ("status", status.rawValue)], to: statuses[status] ?? 0)
            }
        }
    }

    private func set(_ family: MetricFamily, _ labels: [(String, String)] = [], to value: Int) {
        registry.makeGauge(descriptor: family.descriptor, labels: labels).set(Double(value))
    }

    /// Brings a counter up to `total`, a running total kept elsewhere (the engine's, the broker's).
    private func advance(
        _ family: MetricFamily, _ labels: [(String, String)] = [], to total: Double,
        in published: inout [String: Double]
    ) {
        let counter = registry.makeCounter(descriptor: family.descriptor, labels: labels)
        let series = family.name + labels.map { "|\($0.0)=\($0.1)" }.joined()
        let growth = total - published[series, default: 0]
        if growth > 0 {
            counter.increment(by: growth)
            published[series] = total
        }
    }
}
