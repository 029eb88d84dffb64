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
    /// work (a claim, a renewal), so what it locks is held no longer than it runs. The wait for its answer is bounded
    /// too, on this side (`answered(within:)`): PostgreSQL ends the statement after `lock` + `statement`, but a
    /// statement written to a connection in the instant it closes is never answered by postgres-nio (its fix for
    /// that, vapor/postgres-nio#487, was reverted in #501), and a node must not wait for ever on it.
    ///
    /// - Throws: `StoreError.unavailable` when the connection is closed, or no answer came in time (the connection
    ///   is then closed, for the caller to connect again); what PostgreSQL or `body` said otherwise.
    func transaction<T: Sendable>(
        _ what: String, on connection: PostgresConnection, logger: Logger,
        _ body: @escaping @Sendable (PostgresConnection) async throws -> T
    ) async throws(StoreError) -> T {
        try connection.requireOpen(what)
        return try await PostgresFailure.map(what) {
            try await Self.answered(within: lock + statement + Self.grace, what, closing: connection) {
                try await connection.withTransaction(logger: logger) { connection in
                    try await apply(on: connection, logger: logger)
                    return try await body(connection)
                }
            }
        }
    }

    /// How long past the server's own limits the client waits for an answer before it gives the connection up.
    static let grace = Duration.seconds(5)

    /// `work`'s result, or `StoreError.unavailable` when it has not come within `limit`: then `connection` is
    /// closed (a connection whose statement went unanswered is not used again) and `work` is left to end on its
    /// own. Cancelling the caller cancels `work`.
    static func answered<T: Sendable>(
        within limit: Duration, _ what: String, closing connection: PostgresConnection,
        _ work: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        let (answers, answer) = AsyncStream.makeStream(of: Result<T, any Error>.self, bufferingPolicy: .bufferingOldest(1))
        let worker = Task {
            do { answer.yield(.success(try await work())) } catch { answer.yield(.failure(error)) }
        }
        let timer = Task {
            if let failure = await Self.unanswered(within: limit, what, on: connection) {
                answer.yield(.failure(failure))
                try? await connection.close()
            }
        }
        defer { timer.cancel() }
        let first = await withTaskCancellationHandler {
            var iterator = answers.makeAsyncIterator()
            return await iterator.next()
        } onCancel: {
            worker.cancel()
            answer.yield(.failure(CancellationError()))
        }
        return try (first ?? .failure(CancellationError())).get()
    }

    /// How long an answer may still come after its connection closed (an answer already on its way) before the
    /// wait is given up.
    static let afterClose = Duration.seconds(2)

    /// Waits until `limit` passes, or until `connection` has been closed for `afterClose` (its statement will never
    /// be answered), and says why the answer is not coming; `nil` when cancelled first (the answer came).
    static func unanswered(
        within limit: Duration, _ what: String, on connection: PostgresConnection
    ) async -> StoreError? {
        let clock = ContinuousClock()
        let end = clock.now + limit
        var closedSince: ContinuousClock.Instant?
        while clock.now < end {
            guard (try? await Task.sleep(for: .milliseconds(250))) != nil else { return nil }
            if connection.isClosed {
                let since = closedSince ?? clock.now
                closedSince = since
                if clock.now - since >= afterClose {
                    return StoreError(
                        .unavailable, "\(what) failed: the connection to the store closed before it answered; connect again")
                }
            }
        }
        return StoreError(
            .unavailable,
            "\(what) failed: the store gave no answer within \(limit.components.seconds) s, and the connection was "
                + "closed: connect again")
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
