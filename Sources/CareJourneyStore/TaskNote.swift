import Foundation

/// A note on a task's dispatch, written by the engine with its next commit (`Engine.record(.task(…))`).
///
/// A lease lives in the broker, not the store: a dispatch writes nothing, so a task costs the writer only its
/// outcome. What the store keeps is how each attempt ended (its count, the reason, progress), written when it ends.
public enum TaskNote: Sendable, Equatable {
    /// A worker reported progress (an MDP/0.2 partial reply).
    case progress(task: String, String)
    /// Attempt `attempts` ended without an outcome (the worker died, disconnected, ran out of time or asked to
    /// retry); the task is ready again.
    case released(task: String, attempts: Int, reason: String)
    /// The task cannot be done as it stands after `attempts` attempts: it waits for the operations team to retry
    /// or cancel it.
    case failed(task: String, attempts: Int, reason: String)
}
