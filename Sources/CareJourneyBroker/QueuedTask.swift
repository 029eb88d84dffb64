import CareJourneyCore
import CareJourneyWire
import Foundation

/// A task the broker holds for its queue: what a worker will be sent, and how often it has been sent.
struct QueuedTask: Sendable {
    let task: CareTask
    let brief: TaskBrief
    /// Dispatches so far.
    var attempts: Int

    var id: String { task.id.description }

    /// The request body for the next attempt.
    func request(attempt: Int) -> TaskRequest {
        TaskRequest(task, brief: brief, attempt: attempt)
    }
}
