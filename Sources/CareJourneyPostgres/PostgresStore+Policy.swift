import CareJourneyCore
import CareJourneyStore
import Foundation
import PostgresNIO

extension PostgresStore: PolicyStore {
    /// The policy the store runs under, if one was set.
    public func currentPolicy() async throws(StoreError) -> Policy? {
        let body: String? = try await withConnection("reading the current policy at \(address)") { [self] connection in
            var body: String?
            for try await text in try await connection.query(
                "SELECT p.body FROM meta m JOIN policies p ON p.fingerprint = m.value WHERE m.key = 'policy'",
                logger: logger
            ).decode(String.self) {
                body = text
            }
            return body
        }
        return try body.map { text throws(StoreError) in
            try StateCodec.decode(Policy.self, Data(text.utf8), what: "the current policy")
        }
    }

    /// Records a policy (so history applied under it can be replayed) and, if `current`, makes it the one new events
    /// run under, its people's queues' open tasks on the worklists, as `CaseStore.register` does (several nodes
    /// registering at once list the same tasks: listing is idempotent).
    public func register(_ policy: Policy, current: Bool, at now: Date) async throws(StoreError) {
        let body = String(decoding: try StateCodec.encode(policy), as: UTF8.self)
        let fingerprint = policy.fingerprint
        let peopleQueues = Set(policy.peopleQueues)
        try await withConnection("registering policy \(policy.id) at \(address)") { [self] connection in
            try await connection.withTransaction(logger: logger) { connection in
                try await connection.query(
                    """
                    INSERT INTO policies (fingerprint, id, body, registered_at)
                    VALUES (\(fingerprint), \(policy.id), \(body), \(now.timeIntervalSince1970))
                    ON CONFLICT (fingerprint) DO NOTHING
                    """, logger: logger
                ).drain()
                guard current else { return }
                try await Self.upsertMeta("policy", fingerprint, on: connection, logger: logger)
                try await listPeopleQueues(peopleQueues, on: connection)
            }
        }
    }

    /// Puts on the worklists the open tasks of the queues people serve now and not when this was last done, and
    /// takes off them those of queues people no longer serve (`CaseStore.list(peopleQueues:in:)`).
    private func listPeopleQueues(_ now: Set<String>, on connection: PostgresConnection) async throws {
        var kept: Set<String>?
        for try await value in try await connection.query(
            "SELECT value FROM meta WHERE key = \(Self.worklistQueuesKey) FOR UPDATE", logger: logger
        ).decode(String.self) {
            kept = Set(value.split(separator: "\n").map(String.init))
        }
        let before = kept ?? []
        guard kept == nil || before != now else { return }
        for (queues, listed) in [(now.subtracting(before), 1), (before.subtracting(now), 0)] where !queues.isEmpty {
            try await connection.query(
                """
                UPDATE tasks SET listed = \(Int64(listed))
                WHERE queue = ANY(\(queues.sorted())::text[]) AND status = 'open' AND listed = \(Int64(1 - listed))
                """, logger: logger
            ).drain()
        }
        try await Self.upsertMeta(
            Self.worklistQueuesKey, now.sorted().joined(separator: "\n"), on: connection, logger: logger)
    }

    /// The meta key under which the worklists' queues are kept (as `CaseStore` keeps them).
    private static let worklistQueuesKey = "worklist-queues"

    private static func upsertMeta(
        _ key: String, _ value: String, on connection: PostgresConnection, logger: Logger
    ) async throws {
        try await connection.query(
            "INSERT INTO meta (key, value) VALUES (\(key), \(value)) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            logger: logger
        ).drain()
    }

    /// Every policy the history was applied under, by fingerprint.
    public func policies() async throws(StoreError) -> [String: Policy] {
        let rows: [(String, String)] = try await withConnection("reading the policies at \(address)") { [self] connection in
            var rows: [(String, String)] = []
            for try await row in try await connection.query("SELECT fingerprint, body FROM policies", logger: logger)
                .decode((String, String).self)
            {
                rows.append(row)
            }
            return rows
        }
        var policies: [String: Policy] = [:]
        for (fingerprint, body) in rows {
            policies[fingerprint] = try StateCodec.decode(Policy.self, Data(body.utf8), what: "a policy")
        }
        return policies
    }

    /// A value kept in the store's meta table.
    public func meta(_ key: String) async throws(StoreError) -> String? {
        try await withConnection("reading \(key) from the meta table at \(address)") { [self] connection in
            var value: String?
            for try await text in try await connection.query(
                "SELECT value FROM meta WHERE key = \(key)", logger: logger
            )
            .decode(String.self) {
                value = text
            }
            return value
        }
    }

    /// Sets a value in the store's meta table.
    public func setMeta(_ key: String, _ value: String) async throws(StoreError) {
        try await withConnection("setting \(key) in the meta table at \(address)") { [self] connection in
            try await Self.upsertMeta(key, value, on: connection, logger: logger)
        }
    }

    /// Not on PostgreSQL yet: `policy apply` retimes every open case through the store's writer while no engine runs,
    /// which a store several nodes share cannot promise. Run it on a SQLite copy of the store, then copy it back.
    ///
    /// - Throws: `StoreError.unavailable`, always.
    public func apply(
        _ policy: Policy, at now: Date, reason: String, dryRun: Bool, chunk: Int,
        progress: ((_ done: Int, _ total: Int) -> Void)?
    ) throws(StoreError) -> PolicyChangeReport {
        throw StoreError(
            .unavailable,
            "`policy apply` is not on PostgreSQL yet: run it on SQLite (copy the store to a data folder with "
                + "`carejourney store copy --from \(address) --to DIR`, apply the policy there, and copy it back "
                + "with no node running)")
    }
}
