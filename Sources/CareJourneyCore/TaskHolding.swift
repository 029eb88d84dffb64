/// Data of `allocate-task`: a manager gives a task on a people's queue to someone (who holds it from then on).
public struct TaskAllocation: Hashable, Codable, Sendable {
    /// The task.
    public var task: TaskID
    /// The sign-in name of the person who is to hold it.
    public var to: String

    /// Creates an allocation of `task` to `to`.
    public init(task: TaskID, to: String) {
        self.task = task
        self.to = to
    }
}
