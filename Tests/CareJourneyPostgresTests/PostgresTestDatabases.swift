import CareJourneyStore
import CareJourneyTestSupport
import Foundation
import Logging
import PostgresNIO

@testable import CareJourneyPostgres

extension PostgresAddress {
    /// The first column of every row `sql` returns, as text (`::text` in the query when it is not).
    func strings(_ sql: String) async throws -> [String?] {
        try await withConnection(logger: quietLogger) { connection throws(StoreError) in
            try await PostgresFailure.map("running \(sql)") {
                var values: [String?] = []
                for try await value in try await connection.query(PostgresQuery(unsafeSQL: sql), logger: quietLogger)
                    .decode(String?.self)
                {
                    values.append(value)
                }
                return values
            }
        }
    }

    /// Whether the backend `pid` waits for a lock (a row another session holds) within 60 s, polling its activity:
    /// true as soon as it does.
    func waitsForALock(_ pid: Int32) async throws -> Bool {
        for _ in 0..<1200 {
            if try await strings("SELECT wait_event_type FROM pg_stat_activity WHERE pid = \(pid)") == ["Lock"] { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return false
    }

    /// Every row of every store table, in key order (`StoreTable.all`), read in one transaction.
    func contents() async throws -> [String: [[StoreValue]]] {
        try await withConnection(logger: quietLogger) { connection throws(StoreError) in
            let tables = PostgresTables(connection: connection, logger: quietLogger, address: self)
            var contents: [String: [[StoreValue]]] = [:]
            for table in StoreTable.all {
                contents[table.name] = try await tables.rows(of: table, after: nil, limit: 10_000_000)
            }
            return contents
        }
    }
}

extension PostgresConnection {
    /// The lines of PostgreSQL's plan for `query` (`EXPLAIN`), as this connection's session would run it.
    func plan(of query: PostgresQuery) async throws -> [String] {
        var lines: [String] = []
        for try await line in try await self.query(
            PostgresQuery(unsafeSQL: "EXPLAIN " + query.sql, binds: query.binds), logger: quietLogger
        ).decode(String.self) {
            lines.append(line)
        }
        return lines
    }
}

/// Every row of every store table of the SQLite store in `folder`, in key order.
func contents(ofStoreIn folder: String) throws -> [String: [[StoreValue]]] {
    let reader = try CaseStore(directory: folder, access: .readOnly).tableReader()
    var contents: [String: [[StoreValue]]] = [:]
    for table in StoreTable.all {
        contents[table.name] = try reader.rows(of: table, after: nil, limit: 10_000_000)
    }
    return contents
}
