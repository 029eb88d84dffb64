import CareJourneyCore
import CareJourneyStore
import Foundation
import Logging
import PostgresNIO

extension PostgresStore {
    /// Runs `body` in a read-only transaction of its own on one of the pool's connections, at `REPEATABLE READ`:
    /// every statement in it sees the store as it stood at the first, as SQLite's read transaction does (PostgreSQL's
    /// default, `READ COMMITTED`, gives each statement a snapshot of its own). What the store calls "one consistent
    /// read".
    func withSnapshot<T: Sendable>(
        _ what: @autoclosure () -> String, _ body: @escaping @Sendable (PostgresConnection) async throws -> T
    ) async throws(StoreError) -> T {
        let logger = logger
        return try await withConnection(what()) { connection in
            try await connection.withTransaction(logger: logger) { connection in
                try await connection.query(
                    "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY", logger: logger
                ).drain()
                return try await body(connection)
            }
        }
    }
}

extension PostgresConnection {
    /// The single integer `query` returns (a count), 0 when it returns no row or null.
    func integer(_ query: PostgresQuery, logger: Logger) async throws -> Int {
        var value: Int64?
        for try await found in try await self.query(query, logger: logger).decode(Int64?.self) { value = found }
        return Int(value ?? 0)
    }

    /// Every policy the store holds, by fingerprint.
    func policies(logger: Logger) async throws -> [String: Policy] {
        var policies: [String: Policy] = [:]
        for try await (fingerprint, body) in try await query(
            "SELECT fingerprint, body FROM policies", logger: logger
        ).decode((String, String).self) {
            policies[fingerprint] = try StateCodec.decode(Policy.self, Data(body.utf8), what: "policy \(fingerprint)")
        }
        return policies
    }

    /// Streams the rows of `events` that `query` selects (`PostgresHistory.columns`, in that order) to `body`, one at a
    /// time, as the server sends them: never more than postgres-nio's buffer in memory, whatever their number.
    func forEachEvent(
        _ query: PostgresQuery, logger: Logger, _ body: (HistoryRow) throws -> Void
    ) async throws {
        for try await row in try await self.query(query, logger: logger) { try body(try HistoryRow(row)) }
    }
}
