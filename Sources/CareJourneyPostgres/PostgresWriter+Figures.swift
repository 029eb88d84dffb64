import CareJourneyCore
import CareJourneyStore
import Logging
import PostgresNIO

extension PostgresWriter {
    /// A read of the store as it is now (`BatchCommitter.figuresSnapshot`): a read-only `REPEATABLE READ`
    /// transaction begun on a connection of its own, its snapshot taken before this returns (so between two of this
    /// writer's commits), from which `figures` counts later while commits go on. With several nodes, it holds what
    /// every node had committed when it was taken.
    ///
    /// - Throws: `StoreError` when the store cannot be reached.
    public func figuresSnapshot() throws(StoreError) -> any FiguresSnapshot {
        try blocking { () async throws(StoreError) in
            try await PostgresFiguresSnapshot.take(at: self.address, logger: self.logger)
        }
    }
}

extension PostgresConnection {
    /// Closes the connection of an object being dropped, without waiting: the connection is kept until it is closed
    /// (postgres-nio requires a connection closed before it goes).
    func closeDropped() {
        let connection = self
        let closing: EventLoopFuture<Void> = close()
        closing.whenComplete { _ in _ = connection }
    }
}

/// A read-only `REPEATABLE READ` transaction held open on a connection of its own, to count the store's figures
/// from once (`figures`), as `StoreFigures.count` counts them on SQLite; the connection closes after that count (or
/// when the snapshot is dropped uncounted).
final class PostgresFiguresSnapshot: FiguresSnapshot {
    private let connection: PostgresConnection
    private let logger: Logger

    private init(connection: PostgresConnection, logger: Logger) {
        self.connection = connection
        self.logger = logger
    }

    deinit {
        connection.closeDropped()
    }

    /// Begins the transaction and takes its snapshot.
    static func take(at address: PostgresAddress, logger: Logger) async throws(StoreError) -> PostgresFiguresSnapshot {
        let connection = try await address.connect(logger: logger)
        let snapshot = PostgresFiguresSnapshot(connection: connection, logger: logger)
        try await PostgresFailure.map("taking a snapshot of \(address) to count its figures") {
            try await connection.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", logger: logger).drain()
            // A REPEATABLE READ transaction's snapshot is taken by its first statement, not by BEGIN.
            try await connection.query("SELECT pg_current_snapshot()::text", logger: logger).drain()
        }
        return snapshot
    }

    /// Counts the figures, in one statement, then ends the transaction and closes the connection.
    func figures() async throws(StoreError) -> StoreFigures {
        let what = "counting the store's figures"
        try connection.requireOpen(what)
        let rows: [(String, String?, String?, Int64)] = try await PostgresFailure.map(what) {
            var rows: [(String, String?, String?, Int64)] = []
            for try await row in try await connection.query(PostgresQuery(unsafeSQL: Self.count), logger: logger)
                .decode((String, String?, String?, Int64).self)
            {
                rows.append(row)
            }
            try await connection.query("COMMIT", logger: logger).drain()
            try await connection.close()
            return rows
        }
        var figures = StoreFigures()
        for (kind, first, second, n) in rows {
            let n = Int(n)
            switch kind {
            case "cases": if let stage = first.flatMap(Stage.init(rawValue:)) { figures.cases[stage] = n }
            case "overdue": figures.overdue = n
            case "timers": figures.pendingTimers = n
            case "stranded": if let stage = first.flatMap(Stage.init(rawValue:)) { figures.withoutNextStep[stage] = n }
            default:
                if let queue = first, let status = second.flatMap(TaskStatus.init(rawValue:)) {
                    figures.tasks[queue, default: [:]][status] = n
                }
            }
        }
        return figures
    }

    /// Every count of `StoreFigures` as rows `(kind, key, status, n)`: cases by stage, overdue cases, pending timers,
    /// open cases without a next step by stage (`store doctor`'s rule: no timer, no open or failed task, its tasks
    /// found as a range of the tasks' primary key), tasks by queue and status.
    static let count = """
        SELECT 'cases', stage, NULL::text, count(*) FROM cases GROUP BY stage
        UNION ALL SELECT 'overdue', NULL, NULL, count(*) FROM cases WHERE overdue = 1
        UNION ALL SELECT 'timers', NULL, NULL, count(*) FROM timers
        UNION ALL SELECT 'stranded', stage, NULL, count(*) FROM cases c
            WHERE stage <> 'closed' AND NOT EXISTS (SELECT 1 FROM timers WHERE timers.case_id = c.id)
                AND NOT EXISTS (
                    SELECT 1 FROM tasks WHERE tasks.id > c.id || '#' AND tasks.id < c.id || '$'
                        AND tasks.case_id = c.id AND tasks.status IN ('open', 'failed'))
            GROUP BY stage
        UNION ALL SELECT 'tasks', queue, status, count(*) FROM tasks GROUP BY queue, status
        """
}
