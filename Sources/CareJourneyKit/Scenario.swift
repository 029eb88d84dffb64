import CareJourneyCore
import Foundation

/// A scripted run of one or more cases on a virtual clock: timed events, worker replies, clock advances, and
/// expectations. The format is documented in `docs/scenarios.md`.
public struct Scenario: Sendable {
    /// What the scenario shows.
    public var title: String
    /// The policy file the scenario names, resolved against the scenario's folder.
    public var policyPath: String?
    /// Where the virtual clock starts.
    public var start: Date
    /// The steps, in order.
    public var steps: [Step]

    /// One step of a scenario.
    public struct Step: Sendable {
        /// The step's line in the file.
        public var line: Int
        /// When the step happens.
        public var timing: Timing
        /// What happens.
        public var action: Action
        /// Who did it (for the audit trail).
        public var actor: String?
        /// Why (for the audit trail).
        public var reason: String?
        /// What must hold after it.
        public var expectation: Expectation?
    }

    /// When a step happens.
    public enum Timing: Sendable {
        /// At the clock's current time.
        case now
        /// At this instant (not before the clock).
        case at(Date)
        /// This long after the clock's current time.
        case after(PolicyDuration)
    }

    /// What a step does.
    public enum Action: Sendable {
        /// An event on a case.
        case event(CaseID, Event)
        /// A worker's reply to the case's oldest open task of this kind, turned into that kind's reply event.
        case reply(CaseID, TaskKind, Event)
        /// Move the clock on, firing every timer that comes due.
        case advance
    }

    /// What must hold of a case after a step.
    public struct Expectation: Sendable {
        public var caseID: CaseID
        public var stage: Stage?
        public var timers: [TimerName]?
        public var tasks: [TaskKind]?
        public var closed: ClosureReason?
    }
}
