import CareJourneyCore
import CareJourneyStore
import Foundation

/// A case after an accepted event, and the effects the event had.
struct Applied: Sendable {
    let state: CaseState
    let effects: [Effect]
}

/// What became of one event of a sample case's life.
enum AppliedOutcome: Sendable {
    case applied(Applied)
    /// Refused by the case, with the reason.
    case refused(String)
}

/// Where a sample case's life is played: in memory through the journey core (to find where the case should start),
/// or through the engine (for real: every event committed and audited).
protocol CaseApplier: Sendable {
    /// Applies `event` to the case, which is in `state`, at `at`, sent by `actor`.
    func apply(_ event: Event, to state: CaseState, at: Date, actor: String) async throws(StoreError) -> AppliedOutcome
}

/// Plays a life through the journey core alone, as the scenario runner does.
struct InMemoryApplier: CaseApplier {
    let policy: Policy

    func apply(_ event: Event, to state: CaseState, at: Date, actor: String) -> AppliedOutcome {
        do {
            let transition = try Journey.apply(event, to: state, at: at, by: actor, policy: policy)
            return .applied(Applied(state: transition.state, effects: transition.effects))
        } catch {
            return .refused(error.message)
        }
    }
}

/// Plays a life through the engine: each event a command, committed with its timers and tasks.
struct EngineApplier: CaseApplier {
    let engine: Engine

    func apply(_ event: Event, to state: CaseState, at: Date, actor: String) async throws(StoreError) -> AppliedOutcome
    {
        try await Self.outcome(of: engine.apply(Command(caseID: state.id, event: event, actor: actor, at: at)))
    }

    /// The outcome of a command the engine answered.
    static func outcome(of result: CommandOutcome) -> AppliedOutcome {
        switch result {
        case .applied(let committed): .applied(Applied(state: committed.state, effects: committed.effects))
        case .rejected(let error, _): .refused(error.message)
        case .notFound(let id): .refused("no case \(id)")
        }
    }
}
