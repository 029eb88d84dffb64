import CareJourneyStore
import Foundation
import Logging
import PostgresNIO
import Synchronization

/// A serving node's presence on a store shared by several nodes: a connection the node keeps for as long as it
/// serves, holding the advisory lock `lockKey` *shared*, as each node on SQLite holds its data folder's lock.
/// Offline tools that need the store to themselves (`policy apply`) take the same lock exclusively
/// (`NodePresence.excluding`) and are refused while any node serves; a node cannot start while one of them runs.
///
/// The lock lasts as long as the connection: if it drops, the node no longer holds the store, and the next `touch`
/// fails. The node must then stop serving, or take its presence again (refused while an offline tool holds the
/// store). The presence is scoped (`serving`): it is given up when the node's work ends, however it ends, and its
/// connection is always closed (postgres-nio requires it of every connection).
///
/// ```swift
/// try await NodePresence.serving(node: node, address: address, at: clock.now(), logger: logger) { presence in
///     // serve; every few seconds: try await presence.touch(at: clock.now())
/// }
/// ```
public final class NodePresence: Sendable {
    /// The advisory lock serving nodes share and offline tools take alone: "CJserve" as 64 bits.
    static let lockKey: Int64 = 0x434A_7365_7276_6500
    /// The space of each node's own lock, held by its presence (the second key is its name's hash): two processes
    /// under one name would mix their feeds, so the second is refused. "CJnd" as 32 bits.
    static let nodeLockSpace: Int32 = 0x434A_6E64

    /// The node present.
    public let node: NodeName
    /// The connection holding the lock: another after `retake`.
    private let connection: Mutex<PostgresConnection>
    private let address: PostgresAddress
    private let timeouts: ClusterTimeouts
    private let logger: Logger

    private init(
        node: NodeName, connection: PostgresConnection, address: PostgresAddress, timeouts: ClusterTimeouts,
        logger: Logger
    ) {
        self.node = node
        self.connection = Mutex(connection)
        self.address = address
        self.timeouts = timeouts
        self.logger = logger
    }

    /// Connects to the store at `address`, takes the serving nodes' shared lock on that connection (waiting at most
    /// `timeouts.lock` for an offline tool that holds it alone), records the node in `nodes` (its start and last
    /// sighting: `now`), runs `body` with the presence, then gives the presence up (the lock, then the connection),
    /// whether `body` returned or threw.
    ///
    /// - Throws: `StoreError` with code `inUse` when an offline tool holds the store, `nodeTaken` when another
    ///   process serves under the node's name, `unavailable` when the store cannot be reached; whatever `body`
    ///   throws.
    public static func serving<T: Sendable>(
        node: NodeName, address: PostgresAddress, at now: Date, timeouts: ClusterTimeouts = ClusterTimeouts(),
        logger: Logger, _ body: (NodePresence) async throws -> T
    ) async throws -> T {
        let presence = try await enter(node: node, address: address, at: now, timeouts: timeouts, logger: logger)
        do {
            let result = try await body(presence)
            await presence.leave()
            return result
        } catch {
            await presence.leave()
            throw error
        }
    }

    /// Takes the presence (see `serving`); the caller must `leave` it.
    private static func enter(
        node: NodeName, address: PostgresAddress, at now: Date, timeouts: ClusterTimeouts = ClusterTimeouts(),
        logger: Logger
    ) async throws(StoreError) -> NodePresence {
        let connection = try await lockedConnection(node: node, address: address, at: now, timeouts: timeouts, logger: logger)
        return NodePresence(node: node, connection: connection, address: address, timeouts: timeouts, logger: logger)
    }

    /// A new connection holding the serving nodes' lock shared, with the node recorded as started at `now`.
    private static func lockedConnection(
        node: NodeName, address: PostgresAddress, at now: Date, timeouts: ClusterTimeouts, logger: Logger
    ) async throws(StoreError) -> PostgresConnection {
        let connection = try await address.connect(logger: logger)
        let applicationName = "carejourney node \(node.rawValue)"
        do throws(StoreError) {
            try await PostgresFailure.map("taking the serving nodes' lock on \(address) for the node \(node)") {
                try await timeouts.applyToSession(on: connection, logger: logger)
                try await connection.query(
                    "SELECT set_config('application_name', \(applicationName), false)", logger: logger
                ).drain()
                do {
                    try await connection.query("SELECT pg_advisory_lock_shared(\(lockKey))", logger: logger).drain()
                } catch let error as PSQLError where error.serverInfo?[.sqlState] == "55P03" {
                    throw StoreError(
                        .inUse,
                        "the node \(node) cannot serve the store at \(address): an offline tool (such as `carejourney "
                            + "policy apply`) has it to itself, and still had it after \(ClusterTimeouts.milliseconds(timeouts.lock)): "
                            + "let it finish, then start the node again")
                }
            }
            try await PostgresFailure.map("taking the node \(node)'s own lock on \(address)") {
                // A session of the node's last run may be ending still (a node restarted at once): wait for it as
                // long as for an offline tool.
                var taken = false
                let giveUp = ContinuousClock.now + timeouts.lock
                while !taken {
                    for try await value in try await connection.query(
                        "SELECT pg_try_advisory_lock(\(nodeLockSpace), hashtext(\(node.rawValue)))", logger: logger
                    ).decode(Bool.self) {
                        taken = value
                    }
                    guard !taken, ContinuousClock.now < giveUp else { break }
                    try await Task.sleep(for: .milliseconds(100))
                }
                guard taken else {
                    throw StoreError(
                        .nodeTaken,
                        "the node name \(node) is in use on the store at \(address): another process serves under it. "
                            + "Give each node its own --node name. If that process is gone (its machine lost), its "
                            + "session ends once PostgreSQL notices (tcp_keepalives_idle), or end it now with "
                            + "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name LIKE "
                            + "'carejourney node %' AND datname = current_database() AND pid <> pg_backend_pid(), "
                            + "choosing that node's row")
                }
            }
            try await register(node, at: now, on: connection, logger: logger)
            return connection
        } catch {
            try? await connection.close()
            throw error
        }
    }

    /// Takes the presence again on a new connection, after `touch` found the old one gone (PostgreSQL restarted,
    /// or failed over): the node holds the store again, unless an offline tool took it meanwhile.
    ///
    /// - Throws: `StoreError` with code `inUse` when an offline tool has the store (the node must stop serving),
    ///   `nodeTaken` while the server still keeps the node's old session, `unavailable` while the store cannot be
    ///   reached (try again later, for both).
    public func retake(at now: Date) async throws(StoreError) {
        let fresh = try await Self.lockedConnection(
            node: node, address: address, at: now, timeouts: timeouts, logger: logger)
        let old = connection.withLock { connection in
            defer { connection = fresh }
            return connection
        }
        try? await old.close()
    }

    /// Records `node` in `nodes` as started and seen at `now` (a node that served before keeps its row, started
    /// again); the feed's readers find the other nodes there.
    public static func register(
        _ node: NodeName, at now: Date, on connection: PostgresConnection, logger: Logger
    ) async throws(StoreError) {
        let at = now.timeIntervalSince1970
        try await PostgresFailure.map("recording the node \(node) in the store's nodes") {
            try await connection.query(
                """
                INSERT INTO nodes (name, started_at, seen_at) VALUES (\(node.rawValue), \(at), \(at))
                ON CONFLICT (name) DO UPDATE SET started_at = excluded.started_at, seen_at = excluded.seen_at
                """, logger: logger
            ).drain()
        }
    }

    /// Records that the node was seen at `now`, on its presence's connection: it also shows the lock is still held.
    ///
    /// - Throws: `StoreError` when the connection failed: the node no longer holds the store.
    public func touch(at now: Date) async throws(StoreError) {
        let what = "recording that the node \(node) serves the store at \(address)"
        let (connection, node, logger) = (self.connection.withLock { $0 }, node, logger)
        try connection.requireOpen(what)
        try await PostgresFailure.map(what) {
            try await ClusterTimeouts.answered(
                within: timeouts.statement + ClusterTimeouts.grace, what, closing: connection
            ) {
                try await connection.query(
                    "UPDATE nodes SET seen_at = \(now.timeIntervalSince1970) WHERE name = \(node.rawValue)",
                    logger: logger
                ).drain()
            }
        }
    }

    /// Gives up the node's presence: releases the locks, then closes its connection (which would release it too,
    /// but only once the server has ended the session).
    private func leave() async {
        let (connection, node, logger) = (self.connection.withLock { $0 }, node, logger)
        if !connection.isClosed {
            _ = try? await ClusterTimeouts.answered(
                within: timeouts.statement, "giving up the node \(node)'s presence", closing: connection
            ) {
                try await connection.query(
                    """
                    SELECT pg_advisory_unlock(\(Self.nodeLockSpace), hashtext(\(node.rawValue))),
                        pg_advisory_unlock_shared(\(Self.lockKey))
                    """, logger: logger
                ).drain()
            }
        }
        try? await connection.close()
    }
}

extension StoreError.Code {
    /// The store is in use in a way that excludes what was asked: a node serves it while an offline tool asked to
    /// have it alone, or the other way round.
    public static let inUse = StoreError.Code(rawValue: "in-use")
    /// A node's name is held by another process serving the store (or by this node's own session from before a
    /// network failure, which PostgreSQL has not yet ended).
    public static let nodeTaken = StoreError.Code(rawValue: "node-taken")
}
