import CareJourneyClock
import CareJourneySimulation
import CareJourneyStore
import CareJourneyWire
import Hummingbird
import HummingbirdCore
import Logging
import ServiceLifecycle

/// The service's HTTP side, ready to run: the JSON API, the dashboard, `/metrics`, sign-in and access, behind the
/// limits and security headers, as the `Service`s that serve them.
///
/// ```swift
/// let http = CareJourneyHTTP(
///     engine: engine, clock: clock, access: AccessControl(tokens: tokens), host: "127.0.0.1", port: 8080,
///     workers: { broker.snapshot }, logger: logger
/// ) { port, _ in print("listening on \(port)") }
/// let group = ServiceGroup(services: [engine, timers] + http.services, gracefulShutdownSignals: [.sigterm], logger: logger)
/// ```
///
/// It knows nothing of ZeroMQ: what it shows of the task broker's queues and workers comes from `workers`, a
/// `BrokerSnapshot` read whenever a page or a scrape needs one.
public struct CareJourneyHTTP: Sendable {
    /// What to run, in the order to start them (a `ServiceGroup` stops them in the reverse order): the metrics'
    /// first count, the review timeliness and the overview's summaries, then the HTTP server, then the live-update streams, which are
    /// ended first so that the server can drain.
    public let services: [any Service]

    /// The HTTP side over `engine`.
    ///
    /// - Parameters:
    ///   - access: who may sign in, and what no-token mode allows.
    ///   - limits: connections, live streams, header sizes, time limits.
    ///   - workers: the task broker's queues and workers now, when a broker runs.
    ///   - planProfile: the simulation profile the Plan page forecasts with (its mix, step durations and staff),
    ///     or the problem loading it, which the page shows.
    ///   - onListening: told the port once the server listens (the one chosen, for port 0), and whether the figures
    ///     read after start are in yet (`StartUpFigures`).
    public init(
        engine: Engine, clock: any CareClock, access: AccessControl, limits: HTTPLimits = HTTPLimits(),
        host: String, port: Int, workers: (@Sendable () -> BrokerSnapshot)?,
        planProfile: Result<SimulationProfile, any Error> = .failure(PlanProfileMissing()), logger: Logger,
        onListening: @escaping @Sendable (Int, StartUpFigures) async -> Void
    ) {
        let live = LiveEvents(engine: engine, limits: limits, sessions: access.sessions)
        let timeliness = ReviewTimelinessService(
            store: engine.store, clock: clock, calendar: engine.policy.councilCalendar, logger: logger)
        let plan = PlanForecastService(
            store: engine.store, policy: engine.policy,
            profile: planProfile.mapError { .init(message: "\($0)") }, clock: clock, logger: logger)
        let overview = OverviewReader(engine: engine, clock: clock, workers: workers, logger: logger)
        let startUp = StartUpFigures(engine: engine, overview: overview, reviews: timeliness)
        let commands = CaseCommands(engine: engine, clock: clock, access: access)
        let routes = CaseAPI(engine: engine, clock: clock).router(access: access)
        FiguresAPI(overview: overview, reviews: timeliness, commands: commands).add(to: routes)
        Dashboard(
            engine: engine, clock: clock, overview: overview, commands: commands, live: live, reviews: timeliness,
            plan: plan
        ).addRoutes(to: routes) { _, context in
            Viewer(context, access: access)
        }
        // GET /metrics, and every request timed: see ServiceMetrics.
        let metrics = ServiceMetrics(engine: engine, workers: workers, logger: logger)
        let app = Application(
            router: metrics.serving(routes),
            server: .http1(configuration: limits.http1),
            configuration: .init(
                address: .hostname(host, port: port), serverName: "CareJourney",
                availableConnectionsDelegate: MaximumAvailableConnections(limits.connections)),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? 0, startUp) },
            logger: logger)
        services = [metrics, timeliness, plan, overview, app, live]
    }
}

/// The Plan page's answer when `serve` was given no profile.
public struct PlanProfileMissing: Error, CustomStringConvertible, Sendable {
    /// Creates the error.
    public init() {}
    public var description: String { "no simulation profile was given (carejourney serve --plan-profile FILE)" }
}
