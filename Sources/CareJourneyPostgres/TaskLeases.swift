import CareJourneyCore
import CareJourneyStore
import Foundation
import Logging
import PostgresNIO

/// One node's leases on open tasks, when several nodes share a store: a task is dispatched by the broker of the
/// one node that leased it, and by another node's only once that lease lapsed (its node died): redelivery
/// (design brief §3.9).
///
/// A broker claims the open tasks it takes for a queue with a ready worker; a concurrent claim of the same task by
/// another node waits on the lease's key and then gets nothing. The node renews all its leases every third of the
/// lease; the batch that resolves a task forgets its lease in the same transaction. The worker's own lease (its
/// heartbeats) stays in the holding broker's memory, as on one node.
///
/// ```swift
/// let leases = TaskLeases(node: try NodeName("care-1:8080"))
/// let mine = try await leases.claim(openTaskIDs, at: clock.now(), on: connection, logger: logger)
/// // dispatch `mine`; every lease/3:
/// let held = try await leases.renew(at: clock.now(), on: connection, logger: logger)
/// ```
public struct TaskLeases: Sendable {
    /// The node that leases.
    public let node: NodeName
    /// How long a lease lasts unless renewed.
    public let lease: Duration
    /// The lock and statement timeouts of each claim's and renewal's transaction.
    public let timeouts: ClusterTimeouts

    /// Creates a node's task leases.
    public init(node: NodeName, lease: Duration = .seconds(30), timeouts: ClusterTimeouts = ClusterTimeouts()) {
        self.node = node
        self.lease = lease
        self.timeouts = timeouts
    }

    /// Leases to this node, until `now + lease`, those of `tasks` that no node holds, whose lease lapsed, or that
    /// this node holds already (renewed), in a transaction of its own on `connection` (which must not be in one).
    /// Ids are taken in order, so nodes claiming overlapping sets at once never deadlock.
    ///
    /// - Returns: the tasks now leased to this node, in id order: its broker's to dispatch.
    /// - Throws: `StoreError` when the claim fails or waits longer than `timeouts` allow (nothing is leased then).
    public func claim(
        _ tasks: [TaskID], at now: Date, on connection: PostgresConnection, logger: Logger
    ) async throws(StoreError) -> [TaskID] {
        let byID = Dictionary(tasks.map { ($0.description, $0) }, uniquingKeysWith: { first, _ in first })
        let ids = byID.keys.sorted()
        let at = now.timeIntervalSince1970
        let until = at + lease.inSeconds
        let granted: [String] = try await timeouts.transaction(
            "leasing open tasks to the node \(node)", on: connection, logger: logger
        ) { connection in
            var granted: [String] = []
            for try await id in try await connection.query(
                """
                INSERT INTO task_leases AS l (task_id, node, expires)
                SELECT id, \(node.rawValue), \(until) FROM unnest(\(ids)::text[]) WITH ORDINALITY AS i(id, o)
                WHERE NOT EXISTS (SELECT 1 FROM tasks t WHERE t.id = i.id AND t.status <> 'open')
                ORDER BY o
                ON CONFLICT (task_id) DO UPDATE SET node = excluded.node, expires = excluded.expires
                    WHERE l.expires < \(at) OR l.node = excluded.node
                RETURNING task_id
                """, logger: logger
            ).decode(String.self) {
                granted.append(id)
            }
            return granted
        }
        return granted.sorted().compactMap { byID[$0] }
    }

    /// Extends every lease this node holds to `now + lease`, lapsed ones too if no other node took them over, in a
    /// transaction of its own on `connection`; leases of tasks resolved meanwhile are deleted, not extended (a claim
    /// that raced the batch resolving its task, and waited for it, may have leased a task no longer open).
    ///
    /// - Returns: the tasks this node still holds: any it dispatched that are missing were taken over by another
    ///   node (this one was thought dead), or resolved, and must not be dispatched again from here.
    public func renew(at now: Date, on connection: PostgresConnection, logger: Logger) async throws(StoreError) -> Set<TaskID> {
        let until = now.timeIntervalSince1970 + lease.inSeconds
        return try await timeouts.transaction("renewing the node \(node)'s task leases", on: connection, logger: logger) {
            connection in
            try await connection.query(
                """
                DELETE FROM task_leases AS l WHERE l.node = \(node.rawValue)
                    AND EXISTS (SELECT 1 FROM tasks t WHERE t.id = l.task_id AND t.status <> 'open')
                """, logger: logger)
            var held: Set<TaskID> = []
            for try await id in try await connection.query(
                "UPDATE task_leases SET expires = \(until) WHERE node = \(node.rawValue) RETURNING task_id",
                logger: logger
            ).decode(String.self) {
                if let id = TaskID(id) { held.insert(id) }
            }
            return held
        }
    }

    /// Gives back this node's leases on `tasks` (their workers went away without an answer, say), so another node's
    /// broker may take them at once; another node's leases are left alone.
    ///
    /// - Returns: how many leases were given back.
    @discardableResult
    public func release(_ tasks: [TaskID], on connection: PostgresConnection, logger: Logger) async throws(StoreError) -> Int {
        let ids = tasks.map(\.description).sorted()
        return try await timeouts.transaction("releasing the node \(node)'s task leases", on: connection, logger: logger) {
            connection in
            try await Self.delete(
                "DELETE FROM task_leases WHERE task_id = ANY(\(ids)::text[]) AND node = \(node.rawValue) RETURNING 1",
                on: connection, logger: logger)
        }
    }

    /// The statement leasing `tasks`, put on their queues by the batch whose transaction it runs in (the batch that
    /// enqueued them, or enqueued them again), to this node until `now + lease`: its broker hands them out as soon as
    /// they commit (the engine tells it), so no other node may claim them while this one is alive. Their lease is
    /// renewed, or lapses with the node, as any other. Sent with the batch's other statements (`PostgresPipeline`);
    /// if it fails, the batch's transaction rolls back, and the writer runs it again when the SQLSTATE says it lost
    /// to another transaction (`PostgresWriter.conflict(in:)`). `nil` for no task.
    func grantStatement(_ tasks: [String], at now: Date) -> PostgresQuery? {
        guard !tasks.isEmpty else { return nil }
        let until = now.timeIntervalSince1970 + lease.inSeconds
        return """
            INSERT INTO task_leases (task_id, node, expires)
            SELECT id, \(node.rawValue), \(until) FROM unnest(\(tasks.sorted())::text[]) AS t(id)
            ON CONFLICT (task_id) DO UPDATE SET node = excluded.node, expires = excluded.expires
            """
    }

    /// The statement forgetting the leases of `tasks`, whichever node holds them (one row returned a lease
    /// forgotten), sent with the other statements of the writer's batch that resolves them (`PostgresPipeline`), so a
    /// task's lease goes when the task is done, in the same commit; `nil` for no task. A deadlock with another node's
    /// claim (SQLSTATE 40P01) is one the writer runs its batch again for (`PostgresWriter.conflict(in:)`).
    static func forgetStatement(_ tasks: some Collection<String>) -> PostgresQuery? {
        guard !tasks.isEmpty else { return nil }
        return "DELETE FROM task_leases WHERE task_id = ANY(\(tasks.sorted())::text[]) RETURNING 1"
    }

    /// Runs a `DELETE … RETURNING 1` of leases on `connection`, and returns how many rows it deleted.
    static func delete(_ query: PostgresQuery, on connection: PostgresConnection, logger: Logger) async throws -> Int {
        var count = 0
        for try await _ in try await connection.query(query, logger: logger) { count += 1 }
        return count
    }
}
