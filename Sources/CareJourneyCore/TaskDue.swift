import struct Foundation.Date

/// When a task is due: the one place that says so, for the journey (a task's `due`, set when it opens) and for
/// anything that must agree with it.
///
/// Under a policy whose `calendar:` says `task-due: local-days`, a task is due by the end of the local day its `task-due:` count reaches on the
/// council's calendar, counted from the local day it opened: `5wd` skips weekends, bank holidays and closure days,
/// and a task opened at 16:55 is due on the same day as one opened at 09:00 (`CouncilCalendar.due(after:duration:)`,
/// as the timers the policy counts in local days). Otherwise the count is exact, from the instant the task opened:
/// what policies written before that key meant, so their histories replay as recorded.
public enum TaskDue {
    /// When a task of `kind` opened at `openedAt` is due under `policy`; `nil` when the policy sets no due date.
    ///
    /// Runs for every task a transition opens (on the engine's writer): a dictionary lookup and, with a calendar, a
    /// few time zone offsets and a walk over the working days counted.
    public static func due(of kind: TaskKind, openedAt: Date, policy: Policy) -> Date? {
        guard let duration = policy.taskDue?[kind] else { return nil }
        guard let rules = policy.calendar, rules.tasksDueInLocalDays == true else { return duration.after(openedAt) }
        return rules.calendar.due(after: openedAt, duration: duration)
    }

    /// Whether a task due at `due` is overdue at `now`.
    public static func isOverdue(_ due: Date?, at now: Date) -> Bool {
        guard let due else { return false }
        return now > due
    }
}
