/// Who looks after a case: the team it belongs to and the practitioner allocated to it.
public struct Allocation: Hashable, Codable, Sendable {
    /// The team, as the council names it (`north-east`, `hospital-discharge`).
    public var team: String?
    /// The allocated practitioner's sign-in name, when someone is allocated.
    public var worker: String?

    /// Creates an allocation.
    public init(team: String?, worker: String?) {
        self.team = team
        self.worker = worker
    }
}

/// Data of `reassign`: a new team, a new allocated practitioner, or both. A field left out keeps its value;
/// an empty text clears it.
public struct Reassignment: Hashable, Codable, Sendable {
    public var team: String?
    public var worker: String?

    /// Creates a reassignment.
    public init(team: String?, worker: String?) {
        self.team = team
        self.worker = worker
    }
}

/// Data of `retry-task` and `cancel-task`: the worker's task the operations team acts on.
public struct TaskAction: Hashable, Codable, Sendable {
    public var task: TaskID

    /// Creates a task action.
    public init(task: TaskID) { self.task = task }
}
