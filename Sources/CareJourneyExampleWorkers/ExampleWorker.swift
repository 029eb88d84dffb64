import CareJourneyWire

/// One of the example workers: the queue (MDP service) it serves and how it answers a task.
///
/// The answer is all the worker's logic, kept apart from how it is run: `swift run brokerage-worker` serves it
/// from its own process, and `carejourney demo` serves the same answers inside the service's process.
public protocol ExampleWorker: Sendable {
    /// The queue (MDP service) served.
    var service: String { get }

    /// Answers one task.
    ///
    /// - Parameters:
    ///   - task: the task as the broker sent it.
    ///   - progress: reports how the work is going (an MDP/0.2 partial reply).
    /// - Returns: the reply event's data, or why the task was not done.
    func answer(_ task: TaskRequest, progress: @Sendable (String) -> Void) -> TaskOutcome
}

extension ExampleWorker {
    /// The answer to a task of a kind this worker does not handle: failed, not to be retried.
    func notMine(_ task: TaskRequest) -> TaskOutcome {
        .failed("\(service) does not handle '\(task.kind)' tasks", retry: false)
    }
}
