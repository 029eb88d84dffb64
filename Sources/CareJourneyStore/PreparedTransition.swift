import CareJourneyCore

/// A command's transition worked out by the task that submits it, before the command reaches the single writer,
/// from the case's state as last committed: the journey is pure, so the writer takes it as its own when the case is
/// still at that version when its turn comes, and works it out again when it is not (another command for the case
/// came first). The writer's processor time is the engine's limit; the submitting tasks run beside it.
package struct PreparedTransition: Sendable {
    /// The case's version the transition was worked out from.
    package let version: Int
    /// The journey's answer at that version: the transition, or the refusal.
    package let result: Result<Transition, TransitionError>
    /// The projection columns of the case after the transition (`nil` for a refusal).
    package let columns: ProjectionColumns?

    /// The transition of `command` from `entry`, the case's state as last committed; `nil` for a command the writer
    /// must work out itself (a correction, which replays the case's history from the store).
    package init?(_ command: Command, from entry: StateCache.Entry, policy: Policy) {
        if case .correctRecord = command.event { return nil }
        let command = command.inWholeSeconds
        version = entry.version
        result = Result { () throws(TransitionError) in
            try Journey.apply(command.event, to: entry.state, at: command.at, by: command.actor, policy: policy)
        }
        columns = (try? result.get()).map { ProjectionColumns($0.state) }
    }
}
