import Foundation

/// A unit of work a case is waiting on, put on a named queue.
public struct CareTask: Hashable, Codable, Sendable {
    /// The task's id, unique across all cases.
    public let id: TaskID
    /// What the task asks.
    public let kind: TaskKind
    /// The queue (MDP service) the policy sends this kind to.
    public let queue: String
    /// When the task was created.
    public let createdAt: Date
    /// A short qualifier, such as the review's type for `conduct-review`; never personal data.
    public let detail: String?
    /// When it is due, where the policy gives its kind a due date (`TaskDue`).
    public let due: Date?
    /// Who holds it, for a task on a people's queue that someone took or was allocated (`nil`: it waits on its
    /// queue for anyone).
    public internal(set) var heldBy: String?

    /// Creates a task.
    public init(
        id: TaskID, kind: TaskKind, queue: String, createdAt: Date, detail: String? = nil, due: Date? = nil,
        heldBy: String? = nil
    ) {
        self.id = id
        self.kind = kind
        self.queue = queue
        self.createdAt = createdAt
        self.detail = detail
        self.due = due
        self.heldBy = heldBy
    }
}
