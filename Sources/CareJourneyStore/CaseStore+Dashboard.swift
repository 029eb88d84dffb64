import CareJourneyCore
import Foundation
import GRDB

/// Open cases in one stage and how long they have waited since their last event.
public struct StageFigures: Codable, Sendable, Equatable {
    public let stage: Stage
    public let cases: Int
    /// Seconds since the oldest last event among them.
    public let longestWait: TimeInterval
    /// Mean seconds since their last events.
    public let averageWait: TimeInterval

    package init(stage: Stage, cases: Int, longestWait: TimeInterval, averageWait: TimeInterval) {
        self.stage = stage
        self.cases = cases
        self.longestWait = longestWait
        self.averageWait = averageWait
    }
}

/// A queue's tasks as the store holds them.
public struct QueueFigures: Codable, Sendable, Equatable {
    public let queue: String
    public let open: Int
    public let failed: Int
    /// When the oldest open task was created.
    public let oldestOpen: Date?

    package init(queue: String, open: Int, failed: Int, oldestOpen: Date?) {
        self.queue = queue
        self.open = open
        self.failed = failed
        self.oldestOpen = oldestOpen
    }
}

/// Reviews due soon, overdue, and how the due ones went.
public struct ReviewFigures: Codable, Sendable, Equatable {
    /// Review due dates in the coming seven days, by kind (`informal`, `first-formal`, `planned`).
    public let dueThisWeek: [String: Int]
    /// Cases with a formal review past its due date.
    public let overdue: Int
    /// First formal (6–8-week) reviews done in the last 365 days: on time and late.
    public let firstFormal: OnTime
    /// Planned (12-month) reviews done in the last 365 days: on time and late.
    public let planned: OnTime

    package init(dueThisWeek: [String: Int], overdue: Int, firstFormal: OnTime, planned: OnTime) {
        self.dueThisWeek = dueThisWeek
        self.overdue = overdue
        self.firstFormal = firstFormal
        self.planned = planned
    }

    /// Reviews done by their due date and after it.
    public struct OnTime: Codable, Sendable, Equatable {
        public let onTime: Int
        public let late: Int

        package init(onTime: Int, late: Int) {
            self.onTime = onTime
            self.late = late
        }

        /// The share done on time, from 0 to 1; `nil` when none were due.
        public var rate: Double? { onTime + late == 0 ? nil : Double(onTime) / Double(onTime + late) }
    }
}

/// A task as the operations team sees it in a list.
public struct TaskListing: Codable, Sendable, Equatable {
    public let id: String
    public let caseID: CaseID
    public let kind: String
    public let queue: String
    public let status: String
    public let attempts: Int
    public let createdAt: Date
    public let progress: String?
    public let lastError: String?
    /// When it is due, where the policy gives its kind a due date.
    public let due: Date?
    /// Who holds it (a task on a people's queue someone took or was allocated).
    public let heldBy: String?

    /// Made field by field (by any store's reads).
    package init(
        id: String, caseID: CaseID, kind: String, queue: String, status: String, attempts: Int, createdAt: Date,
        progress: String?, lastError: String?, due: Date?, heldBy: String?
    ) {
        self.id = id
        self.caseID = caseID
        self.kind = kind
        self.queue = queue
        self.status = status
        self.attempts = attempts
        self.createdAt = createdAt
        self.progress = progress
        self.lastError = lastError
        self.due = due
        self.heldBy = heldBy
    }
}

extension TaskListing {
    /// A task from its row in `tasks`.
    init(_ row: Row) {
        self.init(
            id: row["id"], caseID: CaseID(row["case_id"] as String), kind: row["kind"], queue: row["queue"],
            status: row["status"], attempts: row["attempts"], createdAt: Date(timeIntervalSince1970: row["created_at"]),
            progress: row["progress"], lastError: row["last_error"],
            due: (row["due"] as Double?).map(Date.init(timeIntervalSince1970:)), heldBy: row["held_by"])
    }
}

extension CaseStore {
    /// Open cases by stage with their waits at `now`: one pass over the cases index.
    public func stageFigures(at now: Date) async throws(StoreError) -> [StageFigures] {
        try await readAsync { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT stage, COUNT(*) AS n, MIN(updated_at) AS oldest, AVG(updated_at) AS mean
                    FROM cases WHERE stage <> 'closed' GROUP BY stage
                    """
            ).compactMap { row in
                guard let stage = Stage(rawValue: row["stage"]) else { return nil }
                let oldest: Double = row["oldest"]
                let mean: Double = row["mean"]
                return StageFigures(
                    stage: stage, cases: row["n"], longestWait: max(0, now.timeIntervalSince1970 - oldest),
                    averageWait: max(0, now.timeIntervalSince1970 - mean))
            }
        }
    }

    /// How many cases are closed: a count over the stage index.
    public func closedCases() async throws(StoreError) -> Int {
        try await readAsync { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM cases WHERE stage = ?", arguments: [Stage.closed.rawValue]) ?? 0
        }
    }

    /// Every queue with open or failed tasks.
    public func queueFigures() async throws(StoreError) -> [QueueFigures] {
        try await readAsync { db in
            var open: [String: (count: Int, oldest: Double?)] = [:]
            var failed: [String: Int] = [:]
            for row in try Row.fetchAll(
                db,
                sql: """
                    SELECT queue, status, COUNT(*) AS n, MIN(created_at) AS oldest FROM tasks
                    WHERE status = 'open' GROUP BY queue
                    UNION ALL
                    SELECT queue, status, COUNT(*) AS n, NULL FROM tasks
                    WHERE \(TaskRows.closed) AND status = 'failed' GROUP BY queue
                    """)
            {
                let queue: String = row["queue"]
                if row["status"] == "open" { open[queue] = (row["n"], row["oldest"]) } else { failed[queue] = row["n"] }
            }
            return Set(open.keys).union(failed.keys).sorted().map { queue in
                QueueFigures(
                    queue: queue, open: open[queue]?.count ?? 0, failed: failed[queue] ?? 0,
                    oldestOpen: open[queue]?.oldest.map(Date.init(timeIntervalSince1970:)))
            }
        }
    }

    /// Reviews due in the week from `now`, overdue now, and on time or late over the 12 months before it.
    public func reviewFigures(at now: Date) async throws(StoreError) -> ReviewFigures {
        try await readAsync { db in
            var due: [String: Int] = [:]
            let kinds: [TimerName: ReviewType] = [
                .reviewInformal: .informal, .reviewFirstFormalDue: .firstFormal, .reviewPlannedDue: .planned,
            ]
            for row in try Row.fetchAll(
                db,
                sql: """
                    SELECT name, COUNT(*) AS n FROM timers WHERE due >= ? AND due < ? AND name IN (?, ?, ?)
                    GROUP BY name
                    """,
                arguments: [
                    now.timeIntervalSince1970, now.addingTimeInterval(7 * 86_400).timeIntervalSince1970,
                    TimerName.reviewInformal.rawValue, TimerName.reviewFirstFormalDue.rawValue,
                    TimerName.reviewPlannedDue.rawValue,
                ])
            {
                if let name = TimerName(rawValue: row["name"]), let kind = kinds[name] { due[kind.rawValue] = row["n"] }
            }
            var done: [String: [Bool: Int]] = [:]
            let yearAgo = now.addingTimeInterval(-365 * 86_400)
            for row in try Row.fetchAll(
                db,
                sql: """
                    SELECT type, on_time, COUNT(*) AS n FROM reviews_done WHERE completed_at >= ?
                    GROUP BY type, on_time
                    """, arguments: [yearAgo.timeIntervalSince1970])
            {
                done[row["type"], default: [:]][row["on_time"]] = row["n"]
            }
            func figures(_ type: ReviewType) -> ReviewFigures.OnTime {
                .init(onTime: done[type.rawValue]?[true] ?? 0, late: done[type.rawValue]?[false] ?? 0)
            }
            return ReviewFigures(
                dueThisWeek: due,
                overdue: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM cases WHERE overdue = 1") ?? 0,
                firstFormal: figures(.firstFormal), planned: figures(.planned))
        }
    }

    /// Tasks on `queue` (any queue when `nil`) with `status`, oldest first, after the task `after`.
    public func tasks(on queue: String?, status: String, limit: Int, after: String?) async throws(StoreError)
        -> [TaskListing]
    {
        if queue == nil, status != TaskStatus.open.rawValue, after == nil {
            return try await tasksOnEveryQueue(status: status, limit: limit)
        }
        return try await readAsync { db in
            // The condition on the index of tasks that are not open is written out: SQLite uses a partial index
            // only for a query that states its condition.
            var sql = "SELECT * FROM tasks WHERE status = ?"
            if status != TaskStatus.open.rawValue { sql += " AND \(TaskRows.closed)" }
            var arguments: [(any DatabaseValueConvertible)?] = [status]
            if let queue {
                sql += " AND queue = ?"
                arguments.append(queue)
            }
            if let after {
                sql += " AND rowid > (SELECT rowid FROM tasks WHERE id = ?)"
                arguments.append(after)
            }
            sql += " ORDER BY rowid LIMIT ?"
            arguments.append(limit)
            return try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments)).map(TaskListing.init)
        }
    }

    /// The first `limit` tasks in `status` (not open) on any queue, in the order they were made: each queue's read
    /// through the index of tasks no longer open by queue and status, then merged. Without a queue that index cannot
    /// be sought (it leads by queue), and SQLite read the whole table for a few failed tasks (2–7 s at a million
    /// cases).
    private func tasksOnEveryQueue(status: String, limit: Int) async throws(StoreError) -> [TaskListing] {
        try await readAsync { db in
            // The queues with tasks no longer open, one seek of the index each (DISTINCT would read every entry).
            let queues = try String.fetchAll(
                db,
                sql: """
                    WITH RECURSIVE seen(queue) AS (
                        SELECT MIN(queue) FROM tasks INDEXED BY tasks_closed_by_queue WHERE \(TaskRows.closed)
                        UNION ALL
                        SELECT (SELECT MIN(queue) FROM tasks INDEXED BY tasks_closed_by_queue
                                WHERE \(TaskRows.closed) AND queue > seen.queue)
                        FROM seen WHERE seen.queue IS NOT NULL)
                    SELECT queue FROM seen WHERE queue IS NOT NULL
                    """)
            var rows: [(rowid: Int64, task: TaskListing)] = []
            for queue in queues {
                rows += try Row.fetchAll(
                    db,
                    sql: """
                        SELECT rowid AS listed_rowid, * FROM tasks
                        WHERE status = ? AND \(TaskRows.closed) AND queue = ? ORDER BY rowid LIMIT ?
                        """, arguments: [status, queue, limit]
                ).map { ($0["listed_rowid"], TaskListing($0)) }
            }
            return rows.sorted { $0.rowid < $1.rowid }.prefix(limit).map(\.task)
        }
    }
}
