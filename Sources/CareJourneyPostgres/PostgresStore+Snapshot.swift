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
        for try await (seq, caseID, version, name, data, at, actor, reason, policy, late) in try await self.query(
            query, logger: logger
        ).decode((Int64, String, Int64, String, String, Double, String, String?, String, Double?).self) {
            try body(
                HistoryRow(
                    seq: seq, caseID: caseID, version: Int(version), name: name, data: data, at: at, actor: actor,
                    reason: reason, policy: policy, late: late))
        }
    }
}

/// How the PostgreSQL store reads histories and the states they lead to.
enum PostgresHistory {
    /// The columns of `events` a `HistoryRow` is made of, in the order `forEachEvent` decodes them (`e` is `events`).
    static let columns = "e.seq, e.case_id, e.version, e.name, e.data, e.at, e.actor, e.reason, e.policy, e.late"

    /// The current states of the cases `ids` (those the store holds): each snapshot, with the events after it
    /// replayed under `policies`, by id.
    ///
    /// - Parameter locking: whether to lock the cases' rows (`FOR UPDATE`) until the transaction ends.
    static func states(
        of ids: [String], on connection: PostgresConnection, logger: Logger, policies: [String: Policy],
        locking: Bool = false
    ) async throws -> [String: StateCache.Entry] {
        var stored: [String: (number: Int64, version: Int, snapshotVersion: Int, state: Data)] = [:]
        for try await (id, number, version, snapshotVersion, state) in try await connection.query(
            """
            SELECT id, number, version, state_version, state FROM cases WHERE id = ANY(\(ids)::text[])
            \(unescaped: locking ? "ORDER BY id FOR UPDATE" : "")
            """, logger: logger
        ).decode((String, Int64, Int64, Int64, ByteBuffer).self) {
            stored[id] = (number, Int(version), Int(snapshotVersion), Data(state.readableBytesView))
        }
        var tails: [String: [HistoryRow]] = [:]
        try await connection.forEachEvent(
            """
            SELECT \(unescaped: columns) FROM events e JOIN cases c ON c.id = e.case_id
            WHERE c.id = ANY(\(ids)::text[]) AND e.version > c.state_version ORDER BY e.case_id, e.version
            """, logger: logger
        ) { row in tails[row.caseID, default: []].append(row) }
        var states: [String: StateCache.Entry] = [:]
        for (id, row) in stored {
            states[id] = try StateLoader.entry(
                of: CaseID(id), number: row.number, version: row.version, snapshotVersion: row.snapshotVersion,
                stored: row.state, tail: tails[id] ?? []
            ) { fingerprint in
                guard let policy = policies[fingerprint] else {
                    throw StoreError(
                        .corrupt, "the store holds events applied under policy \(fingerprint), but not the policy")
                }
                return policy
            }
        }
        return states
    }
}
