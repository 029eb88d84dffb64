import CareJourneyStore
import Logging
import PostgresNIO

/// How long a cluster statement may wait for a lock, and run, before PostgreSQL cancels it: a lock held by a stuck
/// node or an open `psql` session then surfaces as an error (SQLSTATE 55P03, or 57014 for the statement) the caller
/// can retry or report, never as a node that hangs.
public struct ClusterTimeouts: Sendable, Equatable {
    /// The longest wait for a row or advisory lock (`lock_timeout`).
    public var lock: Duration
    /// The longest a statement may run (`statement_timeout`).
    public var statement: Duration

    /// Creates timeouts; the defaults suit a node's short claim and feed statements.
    public init(lock: Duration = .seconds(5), statement: Duration = .seconds(30)) {
        self.lock = lock
        self.statement = statement
    }

    /// Sets both for the rest of the transaction `connection` is in (`set_config(…, true)`, as `SET LOCAL`); outside
    /// a transaction they would last only for this one statement, so call it first thing inside one.
    public func apply(on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query(
            """
            SELECT set_config('lock_timeout', \(Self.milliseconds(lock)), true),
                set_config('statement_timeout', \(Self.milliseconds(statement)), true)
            """, logger: logger
        ).drain()
    }

    /// Sets both for the session `connection` is (`SET`): for a connection a node keeps, such as its presence's.
    func applyToSession(on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query(
            """
            SELECT set_config('lock_timeout', \(Self.milliseconds(lock)), false),
                set_config('statement_timeout', \(Self.milliseconds(statement)), false)
            """, logger: logger
        ).drain()
    }

    /// `duration` as PostgreSQL's setting text, in whole milliseconds (at least 1: 0 would mean "no limit").
    static func milliseconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        return "\(max(1, seconds * 1000 + attoseconds / 1_000_000_000_000_000))ms"
    }

    /// Runs `body` in a transaction of its own on `connection`, under these timeouts: one short unit of cluster
    /// work (a claim, a renewal), so what it locks is held no longer than it runs.
    func transaction<T: Sendable>(
        _ what: String, on connection: PostgresConnection, logger: Logger,
        _ body: (PostgresConnection) async throws -> T
    ) async throws(StoreError) -> T {
        try connection.requireOpen(what)
        return try await PostgresFailure.map(what) {
            try await connection.withTransaction(logger: logger) { connection in
                try await apply(on: connection, logger: logger)
                return try await body(connection)
            }
        }
    }
}

extension PostgresConnection {
    /// Refuses to go on with `what` on a connection already closed (the server went away, or it was closed here): a
    /// statement postgres-nio writes to a closed connection may never be answered, and the caller would wait for
    /// ever. A connection that closes in the instant after this check is not caught.
    ///
    /// - Throws: `StoreError.unavailable`, for the caller to connect again.
    func requireOpen(_ what: String) throws(StoreError) {
        guard !isClosed else {
            throw StoreError(.unavailable, "\(what) failed: the connection to the store was closed; connect again")
        }
    }
}
