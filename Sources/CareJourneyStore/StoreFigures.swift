import CareJourneyCore
import GRDB

/// A task row's status in the outbox.
public enum TaskStatus: String, Codable, Sendable, Hashable, CaseIterable {
    /// Waiting for a worker or a practitioner.
    case open
    /// It could not be done as it stands: still open in its case, waiting for the operations team.
    case failed
    case completed
    case withdrawn

    package init(_ resolution: TaskResolution) {
        switch resolution {
        case .completed: self = .completed
        case .withdrawn: self = .withdrawn
        }
    }
}

/// What the store holds, counted: cases by stage, overdue cases, pending timers, open cases without a next step by
/// stage, tasks by queue and status.
///
/// The same shape serves for changes to those counts (one batch's, or everything the engine has committed since it
/// started), which add up the same way: `Engine.figures` is a count taken once plus the changes since. Figures
/// are equal when every count is, a missing one counting as 0.
public struct StoreFigures: Codable, Sendable, Equatable {
    /// Cases by stage (never `new`: a case is stored from its first event).
    public var cases: [Stage: Int] = [:]
    /// Cases flagged overdue (a review overdue, or reablement past its maximum), as `GET /api/cases?overdue=true`.
    public var overdue = 0
    /// Pending timers, across all cases.
    public var pendingTimers = 0
    /// Open cases with no next step (no pending timer, no open task), by stage: what `store doctor` lists first.
    /// Counted from the timers and tasks tables, then kept from each commit's states: a case damaged by hand stays
    /// counted as it was counted until the service restarts.
    public var withoutNextStep: [Stage: Int] = [:]
    /// Tasks by queue, then status.
    public var tasks: [String: [TaskStatus: Int]] = [:]

    /// No cases, no timers, no tasks.
    public init() {}

    /// Counts everything in `db`, through indexes (covering scans: about a second on a million cases with their
    /// history, docs/operations.md#figures).
    static func count(in db: Database) throws -> StoreFigures {
        var figures = StoreFigures()
        for row in try Row.fetchAll(db, sql: "SELECT stage, COUNT(*) AS n FROM cases GROUP BY stage") {
            if let stage = Stage(rawValue: row["stage"]) { figures.cases[stage] = row["n"] }
        }
        figures.overdue = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM cases WHERE overdue = 1") ?? 0
        figures.pendingTimers = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM timers") ?? 0
        for row in try Row.fetchAll(db, sql: StoreDoctor.withoutNextStepByStage) {
            if let stage = Stage(rawValue: row["stage"]) { figures.withoutNextStep[stage] = row["n"] }
        }
        for row in try Row.fetchAll(db, sql: taskCounts) {
            if let status = TaskStatus(rawValue: row["status"]) {
                figures.tasks[row["queue"], default: [:]][status] = row["n"]
            }
        }
        return figures
    }

    /// Tasks by queue and status, open ones and the others each through their partial index (the open ones through
    /// the one by queue and case number, named: three partial indexes of open tasks lead by queue since v17, and the
    /// planner's choice among them should not move with its statistics).
    static let taskCounts = """
        SELECT queue, status, COUNT(*) AS n FROM tasks INDEXED BY tasks_open_by_queue WHERE status = 'open' GROUP BY queue
        UNION ALL
        SELECT queue, status, COUNT(*) AS n FROM tasks WHERE \(TaskRows.closed) GROUP BY queue, status
        """

    // MARK: Changes

    /// A case went from `old` to `new` (a new case from an empty state).
    package mutating func moved(from old: CaseState, to new: CaseState) {
        if old.stage != new.stage {
            if old.stage != .new { cases[old.stage, default: 0] -= 1 }
            cases[new.stage, default: 0] += 1
        }
        let (wasOverdue, isOverdue) = (ProjectionColumns.isOverdue(old), ProjectionColumns.isOverdue(new))
        if wasOverdue != isOverdue { overdue += isOverdue ? 1 : -1 }
        pendingTimers += new.timers.count - old.timers.count
        let (wasStranded, isStranded) = (Self.lacksNextStep(old), Self.lacksNextStep(new))
        if wasStranded != isStranded || (isStranded && old.stage != new.stage) {
            if wasStranded { withoutNextStep[old.stage, default: 0] -= 1 }
            if isStranded { withoutNextStep[new.stage, default: 0] += 1 }
        }
    }

    /// Whether `state` is an open case with no next step: no pending timer and no open task.
    static func lacksNextStep(_ state: CaseState) -> Bool { state.stage.isOpen && !state.hasNextStep }

    /// A task on `queue` went from `old` (or nowhere: a new task) to `new`.
    package mutating func task(on queue: String, from old: TaskStatus?, to new: TaskStatus) {
        if let old { tasks[queue, default: [:]][old, default: 0] -= 1 }
        tasks[queue, default: [:]][new, default: 0] += 1
    }

    /// A case was removed (disposal) with its task rows, each on its queue with its status.
    package mutating func removed(_ state: CaseState, tasks: [(queue: String, status: TaskStatus)]) {
        cases[state.stage, default: 0] -= 1
        if ProjectionColumns.isOverdue(state) { overdue -= 1 }
        pendingTimers -= state.timers.count
        if Self.lacksNextStep(state) { withoutNextStep[state.stage, default: 0] -= 1 }
        for task in tasks { self.tasks[task.queue, default: [:]][task.status, default: 0] -= 1 }
    }

    /// Adds `other`'s counts to these.
    public static func += (figures: inout StoreFigures, other: StoreFigures) {
        figures.combine(other, sign: 1)
    }

    /// These counts with `other`'s added.
    public static func + (figures: StoreFigures, other: StoreFigures) -> StoreFigures {
        var sum = figures
        sum.combine(other, sign: 1)
        return sum
    }

    /// These counts with `other`'s taken away.
    public static func - (figures: StoreFigures, other: StoreFigures) -> StoreFigures {
        var difference = figures
        difference.combine(other, sign: -1)
        return difference
    }

    public static func == (lhs: StoreFigures, rhs: StoreFigures) -> Bool {
        let difference = lhs - rhs
        return difference.cases.values.allSatisfy { $0 == 0 } && difference.overdue == 0
            && difference.pendingTimers == 0 && difference.withoutNextStep.values.allSatisfy { $0 == 0 }
            && difference.tasks.values.allSatisfy { $0.values.allSatisfy { $0 == 0 } }
    }

    private mutating func combine(_ other: StoreFigures, sign: Int) {
        for (stage, count) in other.cases { cases[stage, default: 0] += sign * count }
        overdue += sign * other.overdue
        pendingTimers += sign * other.pendingTimers
        for (stage, count) in other.withoutNextStep { withoutNextStep[stage, default: 0] += sign * count }
        for (queue, statuses) in other.tasks {
            for (status, count) in statuses { tasks[queue, default: [:]][status, default: 0] += sign * count }
        }
    }
}
