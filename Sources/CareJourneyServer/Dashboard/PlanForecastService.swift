import CareJourneyClock
import CareJourneyCore
import CareJourneySimulation
import CareJourneyStore
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// Keeps the Plan page's forecast: the next 12 weeks per team, simulated from the live caseload (today's open cases
/// as the starting population — an even sample of them, scaled up, beyond `sample` — new contacts at the rate of
/// the last 12 months) under the service's policy and a profile's mix, durations and staff. Made once at start, then every `interval` of wall time (or ten times as long
/// as the last run took, if longer), on a thread of its own so that the server's requests never wait for it; the
/// page shows the last forecast made and when.
final class PlanForecastService: Service, Sendable {
    /// What the page shows: the last forecast, or why there is none.
    enum State: Sendable {
        case waiting
        case made(Forecast)
        case failed(String)
    }

    /// One forecast and what it started from.
    struct Forecast: Sendable {
        let figures: WeeklyFigures
        let asOf: Date
        let openCases: Int
        /// The open cases simulated: all of them, or a sample whose figures were scaled up to the whole caseload.
        let simulatedCases: Int
        let contactsPerWeek: Double
        /// Wall seconds the simulation took.
        let seconds: Double
    }

    /// Weeks forecast.
    static let weeks = 12

    /// The most open cases simulated: a larger caseload is sampled evenly and its figures scaled up, so that the
    /// forecast takes seconds and tens of megabytes at a million cases rather than minutes and gigabytes.
    static let sample = 20_000

    private let store: any CareStore
    private let policy: Policy
    private let profile: Result<SimulationProfile, PlanProfileProblem>
    private let clock: any CareClock
    private let interval: Duration
    private let logger: Logger
    private let latest = Mutex<State>(.waiting)

    /// Why there is no profile to forecast with.
    struct PlanProfileProblem: Error, Sendable {
        let message: String
    }

    /// The forecast for `store` under `policy`, with `profile`'s mix and teams (or the problem loading it).
    init(
        store: any CareStore, policy: Policy, profile: Result<SimulationProfile, PlanProfileProblem>,
        clock: any CareClock,
        interval: Duration = .seconds(3600), logger: Logger
    ) {
        self.store = store
        self.policy = policy
        self.profile = profile
        self.clock = clock
        self.interval = interval
        self.logger = logger
    }

    /// The last forecast made, or why there is none yet.
    var state: State { latest.withLock { $0 } }

    /// Makes a forecast now and keeps it; a failure is kept to be shown, with the last forecast's time lost.
    func refresh() async {
        let profile: SimulationProfile
        switch self.profile {
        case .success(let loaded): profile = loaded
        case .failure(let problem):
            latest.withLock { $0 = .failed(problem.message) }
            return
        }
        do {
            let start = try await store.planningStart(asOf: clock.now(), sample: Self.sample)
            let fraction = start.sampledFraction
            let simulation = try Simulation(
                policy: policy,
                profile: profile.startingFromLiveCases(contactsPerWeek: start.contactsPerWeek).sampled(fraction),
                start: start.asOf, weeks: Self.weeks, seed: 1, startingCases: start.openCases)
            let (figures, seconds) = await Self.offThePool { stop -> (WeeklyFigures, Double) in
                let began = ContinuousClock.now
                let figures = simulation.run(stop: stop)
                let took = ContinuousClock.now - began
                return (figures, Double(took.components.seconds) + Double(took.components.attoseconds) / 1e18)
            }
            // Shut down while it ran: its figures stop short, and nobody is left to show them.
            if Task.isCancelled { return }
            let forecast = Forecast(
                figures: fraction < 1 ? figures.scaled(by: 1 / fraction) : figures, asOf: start.asOf,
                openCases: start.openCaseCount, simulatedCases: start.openCases.count,
                contactsPerWeek: start.contactsPerWeek, seconds: seconds)
            latest.withLock { $0 = .made(forecast) }
        } catch let error as SimulationError {
            latest.withLock { $0 = .failed(error.message) }
        } catch {
            logger.warning("plan forecast not refreshed", metadata: ["error": .string("\(error)")])
            latest.withLock { $0 = .failed("the store could not be read: \(error)") }
        }
    }

    /// Runs `work` on a thread of its own: a simulation is seconds of one core, which must not hold one of the
    /// cooperative pool's few threads (two on a two-core machine) that serve requests. `work` is given a question
    /// it asks as it goes — has the task waiting for it been cancelled (a graceful shutdown)? — so that it stops
    /// rather than outlive the service.
    static func offThePool<T: Sendable>(_ work: @escaping @Sendable (_ stop: @escaping @Sendable () -> Bool) -> T) async
        -> T
    {
        let cancelled = Flag()
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                Thread.detachNewThread { continuation.resume(returning: work { cancelled.isSet }) }
            }
        } onCancel: {
            cancelled.set()
        }
    }

    /// A yes-or-no set once, from any thread.
    private final class Flag: Sendable {
        private let value = Atomic<Bool>(false)
        var isSet: Bool { value.load(ordering: .relaxed) }
        func set() { value.store(true, ordering: .relaxed) }
    }

    func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                let started = ContinuousClock.now
                await self.refresh()
                try await Task.sleep(for: max(self.interval, (ContinuousClock.now - started) * 10))
            }
        }
    }
}
