import CareJourneyClock
import CareJourneyBroker
import CareJourneyCore
import CareJourneyKit
import CareJourneyPostgres
import CareJourneySamples
import CareJourneySimulation
import CareJourneyServer
import CareJourneyStore
import CareJourneyWire
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// `carejourney serve`: the store, the engine, the timer service, the task broker and the HTTP API as services in
/// one `ServiceGroup`. SIGTERM or SIGINT stops accepting requests, drains the commands in flight, then closes.
public struct CareJourneyService: Sendable {
    /// How to run.
    public struct Options: Sendable {
        /// The data folder of a SQLite store; with `postgres`, unused: a node keeps no files of its own (its figures
        /// are counted again at each start).
        public var dataDirectory: String
        /// Serve one node of several on a PostgreSQL store rather than the SQLite store in `dataDirectory`.
        public var postgres: PostgresServing?
        /// The policy named on the command line, if one was.
        public var policy: Policy?
        /// The policy to use when none is named and the store has none yet (none: such a store is refused).
        public var defaultPolicy: Policy?
        public var host: String
        public var port: Int
        /// Run the clock this many times faster than the wall clock (for demos and tests).
        public var timeScale: Double?
        /// Seed this population into an empty store before serving, so there is something to see.
        public var population: SamplePopulation?
        /// Told how seeding is going.
        public var onSeedingProgress: @Sendable (SamplePopulation.Progress) -> Void
        /// The task broker, or none.
        public var broker: BrokerOptions?
        /// Who may sign in (`--tokens`). Without a token file the service listens on loopback only and everyone
        /// who can reach it is the local admin.
        public var tokens: TokenFile?
        /// The clock to run on instead of the wall clock or a scaled one (tests: a `ManualClock`).
        public var clock: (any CareClock)?
        /// Services that run beside the broker, made from it once it is made (the demo's in-process workers).
        public var besideBroker: (@Sendable (Broker) -> any Service)?
        /// Where people reach the service when a TLS proxy stands in front (`--public-url`): its origin is the only
        /// one whose pages may change things, and an `https` URL makes the session cookie `Secure`.
        public var publicURL: URL?
        /// Connections, live streams, header sizes and time limits.
        public var limits = HTTPLimits()
        /// The simulation profile the dashboard's Plan page forecasts with, or why there is none.
        public var planProfile: Result<SimulationProfile, any Error> = .failure(PlanProfileMissing())
        /// Seed the population (into an empty store) and return without serving: for reports and checks on a seeded
        /// caseload (`demo --seed-only`).
        public var seedOnly = false
        /// Commands to apply once a population is seeded, through the seeding engine, at the clock's time (the
        /// demo's manager given work waiting in "My work").
        public var afterSeeding: (@Sendable (Engine, Date) async throws -> Void)?

        public init(
            dataDirectory: String, policy: Policy?, defaultPolicy: Policy?, host: String = "127.0.0.1", port: Int = 8080,
            timeScale: Double? = nil, population: SamplePopulation? = nil,
            onSeedingProgress: @escaping @Sendable (SamplePopulation.Progress) -> Void = { _ in },
            broker: BrokerOptions? = nil, tokens: TokenFile? = nil, clock: (any CareClock)? = nil,
            besideBroker: (@Sendable (Broker) -> any Service)? = nil
        ) {
            self.dataDirectory = dataDirectory
            self.policy = policy
            self.defaultPolicy = defaultPolicy
            self.host = host
            self.port = port
            self.timeScale = timeScale
            self.population = population
            self.onSeedingProgress = onSeedingProgress
            self.broker = broker
            self.tokens = tokens
            self.clock = clock
            self.besideBroker = besideBroker
        }
    }

    let options: Options
    let logger: Logger

    /// Creates the service.
    public init(options: Options, logger: Logger = Logger(label: "carejourney")) {
        self.options = options
        self.logger = logger
    }

    /// The policy to run under: the one named, which must be the store's own if it has one (a change goes
    /// through `policy apply`, which retimes running cases); otherwise the store's; otherwise the default, when
    /// there is one. `store` is the store as the command line names it (`--data-dir DIR`, `--store postgres://…`),
    /// for the messages.
    public static func choosePolicy(named: Policy?, stored: Policy?, fallback: Policy?, store: String)
        throws(StoreError) -> Policy
    {
        switch (named, stored) {
        case (let named?, let stored?) where named.fingerprint != stored.fingerprint:
            throw StoreError(
                .policyMismatch,
                "the store (\(store)) runs under policy '\(stored.id)' (\(stored.fingerprint)), not '\(named.id)' "
                    + "(\(named.fingerprint)); to change it for running cases use `carejourney policy apply FILE "
                    + "\(store) --dry-run`, then without --dry-run")
        case (let named?, _): return named
        case (nil, let stored?): return stored
        case (nil, nil):
            guard let fallback else {
                throw StoreError(
                    .unavailable,
                    "the store (\(store)) has no policy yet and none was given: pass --policy FILE "
                        + "(a council's policy file, like workflows/derbyshire.yaml)")
            }
            return fallback
        }
    }

    /// Refuses a policy whose time zone this system cannot load: deadlines and every date shown would otherwise be
    /// silently GMT. A policy with `calendar:` loaded its zone already (a stored one fails to read without it); one
    /// without still shows dates on Europe/London's clocks.
    public static func checkTimeZone(of policy: Policy) throws(StoreError) {
        let identifier = policy.calendar?.calendar.timeZone.identifier ?? Policy.defaultTimeZone
        guard TimeZone(identifier: identifier) != nil else {
            throw StoreError(
                .unavailable,
                "policy '\(policy.id)': \(CouncilCalendar.unloadableZone(identifier)); deadlines cannot be counted "
                    + "in the council's days, so the service does not start")
        }
    }

    /// Where a running service listens.
    public struct Listening: Sendable {
        public let httpPort: Int
        /// The broker's MDP and PUB endpoints, when it runs.
        public let mdp: String?
        public let events: String?
        /// What seeding did, when this run seeded the store.
        public let seeded: SamplePopulation.Report?
        /// The engine the service runs: commands given to it are applied as the HTTP API's are (the benchmarks
        /// submit through it, to measure the node without an HTTP client beside it on the same processors).
        public let engine: Engine
        /// Whether the figures read in the background after start are in (the tests wait for them before their
        /// first request).
        public let startUpFigures: StartUpFigures
        fileprivate let group: GroupHandle

        /// Stops the service as SIGTERM does: requests stop, commands in flight are drained and committed, then
        /// `run` returns.
        public func stop() async { await group.stop() }
    }

    /// Runs until SIGTERM or SIGINT (or `Listening.stop()`); `onRunning` is told where it listens once the server
    /// (and broker) are up. A population is seeded first, into an empty store, before any timer can fire.
    ///
    /// - Throws: `AccessError.notLoopback` before anything starts when there is no token file and the HTTP host
    ///   is not a loopback address; otherwise what the store, the broker or the server throws.
    public func run(onRunning: @escaping @Sendable (Listening) async -> Void = { _ in }) async throws {
        let access = try accessControl()
        DataDirectory.restrictNewFiles()
        guard let postgres = options.postgres else {
            let lock = try DataDirectoryLock(directory: options.dataDirectory)
            try await serve(try CaseStore(directory: options.dataDirectory), access: access, onRunning: onRunning)
            withExtendedLifetime(lock) {}
            return
        }
        let migrated = try await PostgresSchema.migrate(postgres.address, logger: logger)
        if !migrated.isEmpty { logger.notice("migrated the store's schema: \(migrated.joined(separator: ", "))") }
        let store = try await PostgresStore.open(
            postgres.address, node: postgres.node, clock: options.clock ?? WallClock(), logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { pool in
            pool.addTask { try await store.run() }
            defer { pool.cancelAll() }
            try await NodePresence.serving(
                node: postgres.node, address: postgres.address, at: (options.clock ?? WallClock()).now(), logger: logger
            ) { presence in
                if try await store.healNameSearch() {
                    logger.notice("the name search missed cases' names (written by a node of an older build): repaired")
                }
                try await serve(store, access: access, timerWindow: postgres.timerWindow, onRunning: onRunning) {
                    engine, clock, broker in
                    store.timeTimers(by: clock)
                    return [
                        ClusterNode(
                            store: store, presence: presence, engine: engine, clock: clock, options: postgres.cluster,
                            logger: logger
                        ) { broker?.lookForTasksAgain() }
                    ]
                }
            }
        }
    }

    /// Serves `store`: seeds it if asked, then runs the engine, the timer and disposal services, the broker, the
    /// services `beside` makes (a node's cluster duties) and the HTTP side until the group stops.
    private func serve(
        _ store: any CareStore, access: AccessControl, timerWindow: Double = 300,
        onRunning: @escaping @Sendable (Listening) async -> Void,
        beside: (Engine, any CareClock, Broker?) -> [any Service] = { _, _, _ in [] }
    ) async throws {
        let policy = try Self.choosePolicy(
            named: options.policy, stored: try await store.currentPolicy(), fallback: options.defaultPolicy,
            store: options.postgres.map { "--store \($0.address)" } ?? "--data-dir \(options.dataDirectory)")
        try Self.checkTimeZone(of: policy)
        var seeded: SamplePopulation.Report?
        if let population = options.population, try await store.isEmpty() {
            seeded = try await seed(population, into: store, policy: policy, clock: options.clock ?? WallClock())
        }
        if options.seedOnly {
            logger.info("seeded only: not serving", metadata: ["data": .string(store.location)])
            return
        }
        let clock = try await clock(for: store)
        if let calendar = policy.calendar?.calendar,
            let warning = BankHolidayFile.endingWarning(for: calendar, today: calendar.day(of: clock.now()))
        {
            logger.warning("\(warning)", metadata: ["policy": "\(policy.id)"])
        }
        let engine = try await Engine(store: store, policy: policy, clock: clock, logger: logger)
        let timers = TimerService(engine: engine, clock: clock, window: timerWindow, logger: logger)
        let broker = options.broker.map { Broker(engine: engine, clock: clock, options: $0, logger: logger) }
        let handle = GroupHandle()
        let report = seeded
        var workers: (@Sendable () -> BrokerSnapshot)?
        if let broker { workers = { broker.snapshot } }
        let http = CareJourneyHTTP(
            engine: engine, clock: clock, access: access, limits: options.limits, host: options.host,
            port: options.port, workers: workers, planProfile: options.planProfile, logger: logger
        ) { port, startUpFigures in
            let endpoints = await broker?.boundEndpoints()
            await onRunning(
                Listening(
                    httpPort: port, mdp: endpoints?.mdp, events: endpoints?.events, seeded: report, engine: engine,
                    startUpFigures: startUpFigures, group: handle))
        }
        var services: [any Service] = [engine]
        services += beside(engine, clock, broker)
        services.append(timers)
        if let disposal = DisposalService(engine: engine, clock: clock, logger: logger) { services.append(disposal) }
        if let broker {
            services.append(broker)
            if let beside = options.besideBroker { services.append(beside(broker)) }
        }
        // The HTTP side last: it is stopped first, its live streams before its server.
        services += http.services
        let group = ServiceGroup(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        handle.set(group)
        logger.info(
            "serving",
            metadata: [
                "data": .string(store.location), "policy": .string(policy.id),
                "clock": .string(options.timeScale.map { "\($0)× virtual" } ?? "wall"),
            ])
        try await group.run()
        logger.info("stopped: every accepted command is committed")
    }

    /// Seeds `population` through an engine of its own, which is drained and stopped before serving starts, and
    /// notes in the store's meta table what was seeded.
    private func seed(
        _ population: SamplePopulation, into store: any CareStore, policy: Policy, clock: any CareClock
    ) async throws -> SamplePopulation.Report {
        let engine = try await Engine(store: store, policy: policy, clock: clock, logger: logger)
        let (progress, afterSeeding) = (options.onSeedingProgress, options.afterSeeding)
        return try await withThrowingTaskGroup(of: SamplePopulation.Report?.self) { group in
            group.addTask {
                await engine.run()
                return nil
            }
            group.addTask {
                defer { engine.stopAccepting() }
                let report = try await population.seed(into: engine, at: clock.now(), progress: progress)
                try await afterSeeding?(engine, clock.now())
                return report
            }
            var report: SamplePopulation.Report?
            for try await done in group where done != nil { report = done }
            guard let report else { throw CancellationError() }
            let seededAt = ISO8601Text.format(clock.now())
            try await store.setMeta(
                SamplePopulation.metaKey,
                "\(report.cases) cases, seed \(population.seed), \(report.events) events, seeded \(seededAt)")
            logger.info(
                "seeded",
                metadata: ["cases": "\(report.cases)", "events": "\(report.events)", "seconds": "\(report.seconds)"])
            for refusal in report.refusals {
                logger.error("a sample event was refused (a bug in the sample): \(refusal)")
            }
            return report
        }
    }

    /// Access for the token file's people; without one, for the local admin, on loopback only. Sessions expire by
    /// the clock given (a test's), else the wall clock: never a scaled one, since a session cookie's `Max-Age` is
    /// wall time to the browser, and a demo at `--time-scale 3600` would sign people out every eight seconds.
    private func accessControl() throws(AccessError) -> AccessControl {
        let clock = options.clock ?? WallClock()
        guard options.tokens == nil else {
            return AccessControl(tokens: options.tokens, publicURL: options.publicURL, now: { clock.now() })
        }
        guard Loopback.contains(host: options.host) else {
            throw AccessError(
                .notLoopback,
                "refusing to serve HTTP on \(options.host) without a token file: anyone who can reach it would act "
                    + "as admin",
                hint: "bind to 127.0.0.1, or give people tokens with `carejourney tokens add FILE NAME --role ROLE` "
                    + "and pass --tokens FILE")
        }
        if options.publicURL != nil {
            throw AccessError(
                .notLoopback,
                "refusing --public-url without a token file: a service reached through a proxy needs people to sign in",
                hint: "give people tokens with `carejourney tokens add FILE NAME --role ROLE` and pass --tokens FILE")
        }
        logger.warning(
            """
            no-token mode: no token file, so only this machine's own browser and tools are let in (a loopback Host, \
            no proxy), each as the admin 'local'; give people their own sign-in with \
            `carejourney tokens add FILE NAME --role ROLE` and `serve --tokens FILE`
            """)
        return AccessControl(tokens: nil, now: { clock.now() })
    }

    /// The clock given, the wall clock, or a scaled one. A scaled clock keeps its origin in the store, so after a
    /// restart it reads as if it had run all along (downtime passes, scaled, as it does on the wall clock) and never
    /// goes back.
    private func clock(for store: any CareStore) async throws(StoreError) -> any CareClock {
        if let clock = options.clock { return clock }
        guard let scale = options.timeScale else { return WallClock() }
        let latest = try await store.latestEventTime()
        if let saved = try await store.meta("clock.scaled"), let clock = ScaledClock(saved: saved),
            clock.scale == scale, clock.now() >= (latest ?? .distantPast)
        {
            return clock
        }
        let wallNow = WallClock().now()
        let clock = ScaledClock(virtualOrigin: max(latest ?? wallNow, wallNow), scale: scale)
        try await store.setMeta("clock.scaled", clock.saved)
        return clock
    }
}

extension ScaledClock {
    /// `scale virtualOrigin wallOrigin`, in seconds since 1970.
    var saved: String {
        "\(scale) \(virtualOrigin.timeIntervalSince1970) \(wallOrigin.timeIntervalSince1970)"
    }

    init?(saved: String) {
        let parts = saved.split(separator: " ").compactMap { Double($0) }
        guard parts.count == 3, parts[0] > 0 else { return nil }
        self.init(
            virtualOrigin: Date(timeIntervalSince1970: parts[1]), wallOrigin: Date(timeIntervalSince1970: parts[2]),
            scale: parts[0])
    }
}

/// The running service group, for `Listening.stop()`.
final class GroupHandle: Sendable {
    private let group = Mutex<ServiceGroup?>(nil)

    func set(_ group: ServiceGroup) { self.group.withLock { $0 = group } }

    func stop() async { await group.withLock { $0 }?.triggerGracefulShutdown() }
}
