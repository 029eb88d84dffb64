import CareJourneyCore
import CareJourneyStore
import Foundation
import Logging
import PostgresNIO

/// The dashboard's and `/metrics`' figures, read from the database now, each answer from one consistent read (as
/// `CaseStore`'s): the same counts, over the same tables, as SQLite gives.
extension PostgresStore: FigureReading {
    /// Counts by stage, overdue reviews, pending timers and open tasks by queue.
    public func stats() async throws(StoreError) -> StoreStats {
        let logger = logger
        return StoreStats(
            try await withSnapshot("counting the store's figures") { connection in
                try await PostgresStore.figures(on: connection, logger: logger)
            })
    }

    /// Open cases by stage with their waits at `now` (since their last events), by stage.
    public func stageFigures(at now: Date) async throws(StoreError) -> [StageFigures] {
        let logger = logger
        return try await withConnection("reading the open cases by stage") { connection in
            var figures: [StageFigures] = []
            for try await (stage, count, oldest, mean) in try await connection.query(
                """
                SELECT stage, COUNT(*), MIN(updated_at), AVG(updated_at) FROM cases WHERE stage <> 'closed'
                GROUP BY stage ORDER BY stage
                """, logger: logger
            ).decode((String, Int64, Double, Double).self) {
                guard let stage = Stage(rawValue: stage) else { continue }
                figures.append(
                    StageFigures(
                        stage: stage, cases: Int(count), longestWait: max(0, now.timeIntervalSince1970 - oldest),
                        averageWait: max(0, now.timeIntervalSince1970 - mean)))
            }
            return figures
        }
    }

    /// How many cases are closed.
    public func closedCases() async throws(StoreError) -> Int {
        let logger = logger
        return try await withConnection("counting the closed cases") { connection in
            try await connection.integer("SELECT COUNT(*) FROM cases WHERE stage = 'closed'", logger: logger)
        }
    }

    /// Every queue with open or failed tasks, by queue.
    public func queueFigures() async throws(StoreError) -> [QueueFigures] {
        let logger = logger
        return try await withConnection("reading the queues' figures") { connection in
            var open: [String: (count: Int, oldest: Double?)] = [:]
            var failed: [String: Int] = [:]
            for try await (queue, status, count, oldest) in try await connection.query(
                """
                SELECT queue, status, COUNT(*), MIN(created_at) FROM tasks WHERE status IN ('open', 'failed')
                GROUP BY queue, status
                """, logger: logger
            ).decode((String, String, Int64, Double?).self) {
                if status == TaskStatus.open.rawValue {
                    open[queue] = (Int(count), oldest)
                } else {
                    failed[queue] = Int(count)
                }
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
        let logger = logger
        let kinds: [TimerName: ReviewType] = [
            .reviewInformal: .informal, .reviewFirstFormalDue: .firstFormal, .reviewPlannedDue: .planned,
        ]
        let weekAhead = now.addingTimeInterval(7 * 86_400).timeIntervalSince1970
        let yearAgo = now.addingTimeInterval(-365 * 86_400).timeIntervalSince1970
        return try await withSnapshot("reading the reviews' figures") { connection in
            var due: [String: Int] = [:]
            for try await (name, count) in try await connection.query(
                """
                SELECT name, COUNT(*) FROM timers
                WHERE due >= \(now.timeIntervalSince1970) AND due < \(weekAhead)
                    AND name = ANY(\(kinds.keys.map(\.rawValue))::text[])
                GROUP BY name
                """, logger: logger
            ).decode((String, Int64).self) {
                if let name = TimerName(rawValue: name), let kind = kinds[name] { due[kind.rawValue] = Int(count) }
            }
            var done: [String: [Bool: Int]] = [:]
            for try await (type, onTime, count) in try await connection.query(
                """
                SELECT type, on_time, COUNT(*) FROM reviews_done WHERE completed_at >= \(yearAgo)
                GROUP BY type, on_time
                """, logger: logger
            ).decode((String, Int64, Int64).self) {
                done[type, default: [:]][onTime != 0] = Int(count)
            }
            func figures(_ type: ReviewType) -> ReviewFigures.OnTime {
                .init(onTime: done[type.rawValue]?[true] ?? 0, late: done[type.rawValue]?[false] ?? 0)
            }
            return ReviewFigures(
                dueThisWeek: due,
                overdue: try await connection.integer("SELECT COUNT(*) FROM cases WHERE overdue = 1", logger: logger),
                firstFormal: figures(.firstFormal), planned: figures(.planned))
        }
    }
}

extension PostgresStore {
    /// Open cases with no pending timer and no open (or failed) task, as `id, number, stage`, by case number: what
    /// `store doctor` lists first, and the figures count by stage. A case's tasks are found through the primary key
    /// (`TaskRows.ofCase`), as on SQLite.
    static let withoutNextStep = """
        SELECT id, number, stage FROM cases
        WHERE stage <> 'closed'
            AND NOT EXISTS (SELECT 1 FROM timers WHERE timers.case_id = cases.id)
            AND NOT EXISTS (
                SELECT 1 FROM tasks WHERE \(TaskRows.ofCase("cases.id")) AND tasks.status IN ('open', 'failed'))
        ORDER BY number
        """

    /// Counts everything `StoreFigures` holds, in the transaction `connection` is in: what SQLite's
    /// `StoreFigures.count` counts.
    static func figures(on connection: PostgresConnection, logger: Logger) async throws -> StoreFigures {
        var figures = StoreFigures()
        for try await (stage, count) in try await connection.query(
            "SELECT stage, COUNT(*) FROM cases GROUP BY stage", logger: logger
        ).decode((String, Int64).self) {
            if let stage = Stage(rawValue: stage) { figures.cases[stage] = Int(count) }
        }
        figures.overdue = try await connection.integer("SELECT COUNT(*) FROM cases WHERE overdue = 1", logger: logger)
        figures.pendingTimers = try await connection.integer("SELECT COUNT(*) FROM timers", logger: logger)
        for try await (stage, count) in try await connection.query(
            "SELECT stage, COUNT(*) FROM (\(unescaped: withoutNextStep)) stranded GROUP BY stage", logger: logger
        ).decode((String, Int64).self) {
            if let stage = Stage(rawValue: stage) { figures.withoutNextStep[stage] = Int(count) }
        }
        for try await (queue, status, count) in try await connection.query(
            "SELECT queue, status, COUNT(*) FROM tasks GROUP BY queue, status", logger: logger
        ).decode((String, String, Int64).self) {
            if let status = TaskStatus(rawValue: status) { figures.tasks[queue, default: [:]][status] = Int(count) }
        }
        return figures
    }
}
