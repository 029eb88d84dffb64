import CareJourneyCore
import Foundation

/// A council's weeks played through the journey core on a virtual clock, for a population a profile describes.
///
/// Every case is a `CaseState` changed only by `Journey.apply`, as in the scenario runner and the durable engine:
/// the simulator decides what people and workers do and when (from the profile), and the core decides what follows
/// (timers, tasks, reviews due). Tasks wait on their queue behind the team's capacity. The same seed gives the same
/// figures.
///
/// ```swift
/// let simulation = try Simulation(policy: policy, profile: profile, start: monday, weeks: 52, seed: 1)
/// let figures = simulation.run()
/// print(figures.reviews.due.reduce(0, +))
/// ```
public struct Simulation: Sendable {
    /// The council's policy: its timers, queues and review intervals.
    public let policy: Policy
    /// The population.
    public let profile: SimulationProfile
    /// The first instant of week 0.
    public let start: Date
    /// How many weeks to play.
    public let weeks: Int
    /// The seed of every random draw.
    public let seed: UInt64
    /// Cases as they stand at the start (a live store's open cases), played on from there; the profile's caseload
    /// is added to them.
    public let startingCases: [CaseState]
    let answers: SimulationAnswers

    /// Prepares a simulation.
    ///
    /// - Parameters:
    ///   - startingCases: cases as they stand at `start` (a live store's open cases, say): their timers fire and
    ///     their open tasks are worked from the start, beside the profile's caseload and arrivals.
    /// - Throws: `SimulationError` when the profile does not add up, names a queue the policy does not have, or the
    ///   period is empty or longer than 20 years.
    public init(
        policy: Policy, profile: SimulationProfile, start: Date, weeks: Int, seed: UInt64,
        startingCases: [CaseState] = []
    ) throws(SimulationError) {
        try profile.validate()
        guard weeks >= 1 && weeks <= 20 * 53 else {
            throw SimulationError(
                .invalidPeriod, "the simulation must run from 1 week to 20 years (asked: \(weeks) weeks)")
        }
        let queues = Set(policy.queues.values)
        let unknown = profile.teams.keys.filter { !queues.contains($0) }.sorted()
        if !unknown.isEmpty {
            throw SimulationError(
                .invalidProfile,
                "teams: policy '\(policy.id)' has no queue \(unknown.map { "'\($0)'" }.joined(separator: ", ")); "
                    + "its queues are \(queues.sorted().joined(separator: ", "))")
        }
        self.policy = policy
        self.profile = profile
        self.start = start
        self.weeks = weeks
        self.seed = seed
        self.startingCases = startingCases.filter { $0.stage.isOpen }
        answers = try SimulationAnswers(policy: policy)
    }

    /// Plays the weeks and returns their figures.
    ///
    /// - Parameters:
    ///   - progress: called as the weeks are played, with the weeks played so far and how many there are.
    ///   - stop: asked before each week is played; once it says yes, the run ends there (its figures are those of the
    ///     weeks played): for a caller being shut down, which must not wait seconds for weeks it will not use.
    public func run(
        progress: ((_ played: Int, _ weeks: Int) -> Void)? = nil, stop: (() -> Bool)? = nil
    ) -> WeeklyFigures {
        var run = SimulationRun(self)
        run.progress = progress
        run.stop = stop
        run.play()
        return run.figures()
    }

    /// Plays the weeks and also returns, for the cases numbered in `traced` (from 0, in the order they opened: the
    /// caseload first), every event applied to them with its time and actor, and the case as it ended (what the
    /// validation tests replay through the scenario runner).
    public func run(tracing traced: Set<Int>) -> (figures: WeeklyFigures, traces: [Int: CaseTrace]) {
        var run = SimulationRun(self)
        run.traced = traced
        run.play()
        return (run.figures(), run.traces)
    }
}

/// What the simulator did to one traced case.
public struct CaseTrace: Sendable {
    /// Every event applied to it, in order.
    public var events: [TracedEvent] = []
    /// The case after the last of them.
    public var state: CaseState?
}

/// One event the simulator applied to a traced case.
public struct TracedEvent: Hashable, Sendable {
    /// When it was applied.
    public let at: Date
    /// The event.
    public let event: Event
    /// Who sent it.
    public let actor: String
}
