import Foundation

/// Something the shell must do because a transition was accepted. Effects are data: the core never performs them.
///
/// The shell commits them in the same transaction as the event (transactional outbox).
public enum Effect: Hashable, Codable, Sendable {
    /// Schedule the case's timer `name` for `due`, replacing a pending one of that name.
    case setTimer(TimerName, due: Date)
    /// Cancel the case's pending timer `name`.
    case cancelTimer(TimerName)
    /// Put a task on its queue.
    case enqueue(CareTask)
    /// The task needs nothing more: it was completed or withdrawn.
    case resolveTask(TaskID, TaskResolution)
    /// The open task is held by this person now (taken or allocated), or by nobody (handed back).
    case holdTask(TaskID, holder: String?)
    /// Tell the people watching the case (dashboards, audit shippers) something they should see.
    case notify(Notice)
    /// The case closed with this reason.
    case close(ClosureReason)
    /// Open a new case with this contact (a carer who accepted an assessment of their own).
    case openCase(Contact)
}

/// How a task ended.
public enum TaskResolution: String, Hashable, Codable, Sendable {
    /// The work was done.
    case completed
    /// The work is no longer needed (the case moved on or closed).
    case withdrawn
}

/// A message for the people watching a case.
public struct Notice: Hashable, Codable, Sendable {
    /// What kind of notice it is.
    public let kind: Kind
    /// The notice in words, without personal data.
    public let message: String

    /// Creates a notice.
    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    /// The kinds of notice.
    public enum Kind: String, Hashable, Codable, Sendable {
        case reviewOverdue = "review-overdue"
        case reablementOverrun = "reablement-overrun"
        case reclaimRecorded = "reclaim-recorded"
        case safeguardingOpened = "safeguarding-opened"
        case complaintOpened = "complaint-opened"
        case reviewRequested = "review-requested"
        case reassessmentOverdue = "financial-reassessment-overdue"
    }
}
