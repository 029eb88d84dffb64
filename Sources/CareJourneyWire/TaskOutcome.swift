import CareJourneyCore

/// What a task handler decides: the reply event's data, or why the task was not done.
///
/// A value, apart from how it is sent: the worker SDK's `TaskWorker` turns it into a `TaskReply`, and the sample
/// population plays the example workers' answers through it without a broker.
public enum TaskOutcome: Sendable, Equatable, CustomStringConvertible {
    /// Done: the data of the task's reply event (or of `event`, where the worker names another).
    case done([String: JSONValue], event: String? = nil)
    /// Not done: why; with `retry`, the task is offered again, otherwise the operations team sees it failed.
    case failed(String, retry: Bool)

    /// For log lines: what was decided, with the reply's field names but never their values, which may be personal
    /// data (a name, an address).
    public var description: String {
        switch self {
        case .done(let data, let event):
            "done\(event.map { " as \($0)" } ?? "")"
                + (data.isEmpty ? "" : " with " + data.keys.sorted().joined(separator: ", "))
        case .failed(let reason, let retry): "failed\(retry ? " (to be retried)" : ""): \(reason)"
        }
    }

    /// The outcome as the final reply to `task`.
    public func reply(to task: TaskRequest) -> TaskReply {
        switch self {
        case .done(let data, let event): TaskReply(task: task.task, event: event, data: data)
        case .failed(let reason, let retry): TaskReply(task: task.task, error: reason, retry: retry)
        }
    }
}
