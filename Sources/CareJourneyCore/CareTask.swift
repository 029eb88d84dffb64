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

    /// Creates a task.
    public init(id: TaskID, kind: TaskKind, queue: String, createdAt: Date, detail: String? = nil) {
        self.id = id
        self.kind = kind
        self.queue = queue
        self.createdAt = createdAt
        self.detail = detail
    }
}
