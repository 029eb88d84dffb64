import CareJourneyCore
import CareJourneyWire
import Foundation
import Logging

/// A task the broker holds for its queue: what a worker will be sent, and how often it has been sent.
struct QueuedTask: Sendable {
    let task: CareTask
    let brief: TaskBrief
    /// Dispatches so far.
    var attempts: Int

    var id: String { task.id.description }

    /// The task and its case, for log lines about it.
    var logMetadata: Logger.Metadata { ["task": "\(id)", "case": "\(task.id.caseID)"] }

    /// The request body for the next attempt.
    func request(attempt: Int) -> TaskRequest {
        TaskRequest(task, brief: brief, attempt: attempt)
    }
}
