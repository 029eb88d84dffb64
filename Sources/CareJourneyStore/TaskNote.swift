import Foundation

/// A note on a task's dispatch, written by the engine with its next commit (see `Engine.record`).
public enum TaskNote: Sendable, Equatable {
    /// Sent to `worker` as attempt `attempt`, leased until `leaseExpires`.
    case dispatched(task: String, attempt: Int, worker: String, leaseExpires: Date)
    /// A worker reported progress (an MDP/0.2 partial reply).
    case progress(task: String, String)
    /// The lease ended without an outcome (the worker died, disconnected, ran out of time or asked to retry);
    /// the task is ready again.
    case released(task: String, reason: String)
    /// The task cannot be done as it stands: it waits for the operations team to retry or cancel it.
    case failed(task: String, reason: String)
}
