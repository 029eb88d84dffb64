import CareJourneyBroker
import CareJourneyCore
import CareJourneyRuntime
import CareJourneySamples
import Foundation
import Logging

/// `carejourney demo`: the service (`CareJourneyService`, as `serve` runs it) over a seeded caseload with a year of
/// history, its clock running fast, and the example workers serving their queues in this process — failing now and
/// then, so that the operations team has tasks to retry or cancel on the dashboard. A new demo's manager finds
/// people's tasks waiting in "My work" (`DemoWork`).
public struct CareJourneyDemo: Sendable {
    /// How to run the demo.
    public struct Options: Sendable {
        /// The demo's own folder: seeded when new, carried on when an earlier demo's, never another store.
        public var dataDirectory = "./carejourney-demo"
        /// Start over even when the folder holds an earlier demo.
        public var fresh = false
        /// How many cases a new demo seeds, and from what seed (the same seed gives the same cases).
        public var cases = 3000
        public var seed: UInt64 = 2026
        /// The clock runs this many times faster than the wall clock (1,800: a day in 48 seconds).
        public var timeScale = 1800.0
        /// Where the dashboard and the HTTP API listen (port 0 picks a free one).
        public var host = "127.0.0.1"
        public var port = 8080
        /// The broker's MDP endpoint, and where case events are published (or nowhere).
        public var mdp = "tcp://127.0.0.1:5555"
        public var events: String? = "tcp://127.0.0.1:5556"
        /// The policy a new demo runs under (an earlier demo keeps its own).
        public var policy: Policy
        /// Seconds of wall time an in-process worker takes over a task, at least and at most.
        public var workerPace: ClosedRange<Double> = 0.3...1.5
        /// The share of the in-process workers' replies that fail, not to be retried.
        public var failureRate = 0.04
        /// Prepare and seed the folder, then return without serving (`--seed-only`): the caseload is there for
        /// `report` commands, and a later demo in the folder carries on from it.
        public var seedOnly = false

        /// The defaults, under `policy`.
        public init(policy: Policy) { self.policy = policy }
    }

    /// A running demo: where it listens, and what it found in its folder.
    public struct Running: Sendable {
        /// Where the service listens, and how to stop it.
        public let listening: CareJourneyService.Listening
        /// What the demo found in its folder, and how people sign in.
        public let folder: DemoDataDirectory.Prepared
    }

    let options: Options
    let logger: Logger

    /// Creates the demo.
    public init(options: Options, logger: Logger = Logger(label: "carejourney.demo")) {
        self.options = options
        self.logger = logger
    }

    /// Prepares the folder, seeds a new demo (telling `onSeedingProgress` how it goes), then serves until SIGTERM
    /// or SIGINT (or `Listening.stop()`); `onRunning` is told once everything is up.
    public func run(
        onSeedingProgress: @escaping @Sendable (SamplePopulation.Progress) -> Void = { _ in },
        onRunning: @escaping @Sendable (Running) async -> Void = { _ in }
    ) async throws {
        let folder = DemoDataDirectory(path: options.dataDirectory)
        let population = SamplePopulation(count: options.cases, seed: options.seed)
        let prepared = try folder.prepare(for: population, fresh: options.fresh)
        let workers = DemoWorkers(
            seed: options.seed, pace: options.workerPace, failureRate: options.failureRate,
            reminderOutbox: folder.reminderOutbox)
        var service = CareJourneyService.Options(
            dataDirectory: options.dataDirectory, policy: nil, defaultPolicy: options.policy, host: options.host,
            port: options.port, timeScale: options.timeScale,
            population: prepared.contents == .fresh ? population : nil,
            onSeedingProgress: onSeedingProgress, broker: BrokerOptions(endpoint: options.mdp, events: options.events),
            tokens: prepared.access.tokens)
        service.seedOnly = options.seedOnly
        // The signed-in manager opens "My work" to tasks waiting for them.
        if let manager = prepared.access.people.first(where: { $0.role == .manager })?.name {
            service.afterSeeding = { engine, now in try await DemoWork.give(to: manager, in: engine, at: now) }
        }
        let logger = logger
        let inProcess = workers.workers
        if !inProcess.isEmpty {
            service.besideBroker = { broker in InProcessWorkers(broker: broker, workers: inProcess, logger: logger) }
        }
        try await CareJourneyService(options: service, logger: logger).run { listening in
            await onRunning(Running(listening: listening, folder: prepared))
        }
    }
}
