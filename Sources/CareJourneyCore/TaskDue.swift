import struct Foundation.Date

/// When a task is due: the one place that says so, for the journey (a task's `due`, set when it opens) and for
/// anything that must agree with it.
///
/// For now a due date is the policy's `task-due:` count of days after the task opened, on the clock. A council's
/// calendar (working days, bank holidays) will replace the count here, and only here.
public enum TaskDue {
    /// When a task of `kind` opened at `openedAt` is due under `policy`; `nil` when the policy sets no due date.
    public static func due(of kind: TaskKind, openedAt: Date, policy: Policy) -> Date? {
        policy.taskDue?[kind].map { $0.after(openedAt) }
    }

    /// Whether a task due at `due` is overdue at `now`.
    public static func isOverdue(_ due: Date?, at now: Date) -> Bool {
        guard let due else { return false }
        return now > due
    }
}
