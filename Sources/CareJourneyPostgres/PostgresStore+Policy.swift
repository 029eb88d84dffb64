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

    /// Recomputes the pending timers of every open case under `policy`, as `CaseStore.apply` does (the same loop,
    /// `PolicyChangeReport.retime`): each changed case gets an audited `policy-applied` event, a batch of the store's
    /// writer a chunk, and `policy` becomes the store's current policy; with `dryRun`, nothing is written (a store
    /// opened to read will do).
    ///
    /// Run it while no node serves the store, on a store opened `offline` inside `NodePresence.excluding` (as
    /// `carejourney policy apply --store` does): the nodes' engines would otherwise hold the cases' old timers. It
    /// blocks the calling thread until done: call it from a thread of its own, never from a task.
    ///
    /// - Throws: `StoreError` with code `refused` when the store was opened to read and `dryRun` is false; what
    ///   reading or writing the store throws.
    public func apply(
        _ policy: Policy, at now: Date, reason: String, dryRun: Bool, chunk: Int,
        progress: ((_ done: Int, _ total: Int) -> Void)?
    ) throws(StoreError) -> PolicyChangeReport {
        let writer: PostgresWriter? = try dryRun ? nil : writerToApply()
        if !dryRun {
            try waiting { () async throws(StoreError) in try await self.register(policy, current: true, at: now) }
        }
        let logger = logger
        let total =
            progress == nil
            ? 0
            : try waiting { () async throws(StoreError) in
                try await self.withConnection("counting the open cases at \(self.address)") { connection in
                    try await connection.integer("SELECT COUNT(*) FROM cases WHERE stage <> 'closed'", logger: logger)
                }
            }
        let size = Int64(max(1, chunk))
        return try PolicyChangeReport.retime(
            under: policy, at: now, reason: reason, writingTo: writer, total: total, progress: progress
        ) { after throws(StoreError) in
            try waiting { () async throws(StoreError) in
                try await self.withConnection("reading the open cases at \(self.address)") { connection in
                    var rows: [(number: Int64, id: String)] = []
                    for try await row in try await connection.query(
                        """
                        SELECT number, id FROM cases WHERE stage <> 'closed' AND number > \(after)
                        ORDER BY number LIMIT \(size)
                        """, logger: logger
                    ).decode((Int64, String).self) {
                        rows.append((number: row.0, id: row.1))
                    }
                    let states = try await self.currentStates(of: rows.map(\.id), on: connection)
                    return rows.map { (number: $0.number, state: states[$0.id]?.state) }
                }
            }
        }
    }

    /// The writer `apply` writes with, or why there is none.
    private func writerToApply() throws(StoreError) -> PostgresWriter {
        guard let postgresWriter else {
            throw StoreError(
                .refused,
                "the store at \(address) was opened to read: `policy apply` writes, and runs on the store opened "
                    + "offline (`carejourney policy apply --store`, with no node serving it)")
        }
        return postgresWriter
    }

    /// Runs `body` as a task and waits for it on this thread (one of its own, not a task's: see `apply`). Every
    /// read `body` makes fails within seconds of its connection closing (`withConnection`), so the wait ends.
    private func waiting<T: Sendable>(
        _ body: @escaping @Sendable () async throws(StoreError) -> T
    ) throws(StoreError) -> T {
        try ThreadWait.outcome(of: body)
    }
}
