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
    /// The task's id (`case#n`), the key of the broker's books, and the client address of its requests
    /// (`task:case#n`), which each reply is checked against: made once, not for every lookup.
    let id: String
    let address: [UInt8]

    init(task: CareTask, brief: TaskBrief, attempts: Int) {
        self.task = task
        self.brief = brief
        self.attempts = attempts
        id = task.id.description
        address = Array("task:\(id)".utf8)
    }

    /// The task and its case, for log lines about it.
    var logMetadata: Logger.Metadata { ["task": "\(id)", "case": "\(task.id.caseID)"] }

    /// The request body for the next attempt.
    func request(attempt: Int) -> TaskRequest {
        TaskRequest(task, brief: brief, attempt: attempt)
    }
}
