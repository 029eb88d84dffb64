import CareJourneyClock
import CareJourneyCore
import CareJourneyStore
import Foundation
import Logging
import PostgresNIO
import Synchronization

/// The engine's writer on a PostgreSQL store (design brief §3.5): each batch is one transaction on one dedicated
/// connection, in a handful of round trips however many commands it carries: the batch's known cases locked in id
/// order, the states the engine's cache lacks read, and the batch's idempotency keys read; every command applied in
/// memory under the same rules as SQLite's writer (`TransitionRules`), corrections of the record (`correct-record`)
/// included; then the rows written table by table with array (`unnest`) statements, one a table, and committed
/// with `synchronous_commit = on`. The same commands write the same rows as SQLite's writer, and give the same
/// answers.
///
/// ```swift
/// let writer = try await PostgresWriter.open(address, node: try NodeName("care-1:8080"), logger: logger)
/// let engine = try Engine(store: store, writer: writer, policy: policy)   // the engine's writer thread calls commit
/// ```
///
/// Several nodes, each with its writer, share one database:
/// - A command with an idempotency key is kept with its outcome in `idempotency`, in its event's transaction; a
///   retry with the key, on any node, in a later batch or the same one, gets the first outcome (`replayed`), and a
///   different request with the key `keyReused`, as on SQLite.
/// - A batch that fails because another node wrote first (SQLSTATE 40001 serialization_failure, 40P01
///   deadlock_detected, or 23505 unique_violation on an event's `(case_id, version)` or an idempotency key) is rolled
///   back and run again, its cases' states read afresh rather than taken from the engine's cache, up to
///   `attempts` times; then its commands fail with `StoreError.io`, nothing of it committed.
/// - With a `node`, each batch that stored events, corrected a case or changed the figures appends its row to the
///   node's feed in its own transaction (`NodeFeed.append`) and, once committed, rings the doorbell on a second
///   connection (`NodeFeed.ring`; a failed ring is logged: readers also poll). Corrected cases are the row's
///   `removed`: other nodes forget what they cached of them.
/// - The leases (`TaskLeases`) of tasks the batch resolves or fails are deleted in its transaction. Tasks it enqueues
///   get none: a lease is taken by the broker that dispatches the task (`TaskLeases.claim`).
///
/// The connection's session sets `lock_timeout` and `statement_timeout` (`ClusterTimeouts`): a batch waiting on a
/// row another node's stuck transaction holds fails instead of hanging.
///
/// The engine calls `commit` on its writer thread, which is a thread of its own (`ServiceThread`), neither an event
/// loop nor one of Swift's cooperative threads: `commit` runs the whole batch as one task and blocks that thread on a
/// semaphore until the task ends. One hop a batch, however many round trips it makes; blocking a thread that
/// does nothing else while its batch is written is what the writer thread is for (SQLite's blocks on `fsync`).
///
/// The store's figures are counted from a read-only `REPEATABLE READ` transaction on a connection of their own
/// (`figuresSnapshot`). `clearOverwrittenCopies` has nothing to do (see there).
public final class PostgresWriter: BatchCommitter {
    /// The connection batches are written on: a new one once PostgreSQL dropped it (a restart, a failover).
    private let current: Mutex<PostgresConnection>
    var connection: PostgresConnection { current.withLock { $0 } }
    let logger: Logger
    /// The store's address, for messages.
    let address: PostgresAddress
    /// The node this writer writes for, whose feed its batches append to; `nil` for a store no other node shares.
    public let node: NodeName?
    /// How many times a batch is run before a conflict with another node's writes fails it.
    public let attempts: Int
    /// Policies older events were applied under, read once from `policies`.
    let policies: PolicyBook
    /// This node's leases on the tasks its batches enqueue (its broker hands them out), and the clock they are
    /// taken by (the broker's, the wall clock); none for a store no other node shares.
    let leases: TaskLeases?
    let leaseClock: any CareClock
    /// The timeouts its session runs under, kept to set up a new connection the same way.
    let timeouts: ClusterTimeouts
    /// The longest the writer thread waits for a batch: past it, the connection is given up (a statement postgres-nio
    /// leaves unanswered, a server gone without closing the connection) and the batch fails, nothing committed.
    static let batchDeadline = Duration.seconds(120)
    /// The connection doorbells ring on (`NodeFeed.ring`), opened with the writer when it has a node, and again
    /// when it was lost.
    let bell: Mutex<PostgresConnection?>

    private init(
        connection: PostgresConnection, bell: PostgresConnection?, logger: Logger, address: PostgresAddress,
        node: NodeName?, attempts: Int, lease: Duration, leaseClock: any CareClock, timeouts: ClusterTimeouts
    ) {
        current = Mutex(connection)
        self.bell = Mutex(bell)
        self.logger = logger
        self.address = address
        self.node = node
        self.attempts = attempts
        policies = PolicyBook(logger: logger)
        leases = node.map { TaskLeases(node: $0, lease: lease, timeouts: timeouts) }
        self.leaseClock = leaseClock
        self.timeouts = timeouts
    }

    /// Connects to the store at `address`, which must hold this build's schema, with the session's commits durable
    /// (`synchronous_commit = on`, whatever the server's default) and its waits bounded by `timeouts`.
    ///
    /// - Parameters:
    ///   - node: the node the writer writes for (its feed, its doorbell); `nil` when no other node shares the store.
    ///   - attempts: how many times a batch is run when it conflicts with another node's writes (at least 1).
    ///   - lease: how long the node's lease on a task its batches enqueue lasts unless renewed (`TaskLeases`).
    ///   - leaseClock: the clock those leases are taken by: the broker's (the wall clock).
    /// - Throws: `StoreError.unavailable` when the store cannot be reached or lacks this build's schema.
    public static func open(
        _ address: PostgresAddress, node: NodeName? = nil, attempts: Int = 5, lease: Duration = .seconds(30),
        leaseClock: any CareClock = WallClock(), timeouts: ClusterTimeouts = ClusterTimeouts(), logger: Logger
    ) async throws(StoreError) -> PostgresWriter {
        let connection = try await connect(address, timeouts: timeouts, logger: logger)
        var bell: PostgresConnection?
        do throws(StoreError) {
            if node != nil { bell = try await address.connect(logger: logger) }
            return PostgresWriter(
                connection: connection, bell: bell, logger: logger, address: address, node: node,
                attempts: max(1, attempts), lease: lease, leaseClock: leaseClock, timeouts: timeouts)
        } catch {
            try? await connection.close()
            throw error
        }
    }

    /// A connection for the writer: the schema checked, commits durable (`synchronous_commit = on`, whatever the
    /// server's default), its statements planned on indexes (`byKeySettings`), waits bounded by `timeouts`.
    private static func connect(
        _ address: PostgresAddress, timeouts: ClusterTimeouts, logger: Logger
    ) async throws(StoreError) -> PostgresConnection {
        let connection = try await address.connect(logger: logger)
        do throws(StoreError) {
            try await PostgresSchema.check(on: connection, logger: logger, at: address)
            try await PostgresFailure.map("setting up the writer's connection to \(address)") {
                let settings = [("synchronous_commit", "on")] + byKeySettings.map { ($0, "off") }
                let sql = "SELECT " + settings.map { "set_config('\($0)', '\($1)', false)" }.joined(separator: ", ")
                try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger).drain()
                try await timeouts.applyToSession(on: connection, logger: logger)
            }
            return connection
        } catch {
            try? await connection.close()
            throw error
        }
    }

    /// The planner's methods the writer's session turns off, so that each of its statements reaches its rows through
    /// their keys' indexes, a nested loop over the batch's keys (at most `Engine`'s largest batch): every statement
    /// of a batch reads or writes rows by key. With these on, PostgreSQL's planner, going by statistics that lag a
    /// table the writer itself grows (autovacuum's last `ANALYZE`), scanned and hashed the whole of `tasks` for a
    /// batch's thousand task ids, each batch dearer than the last (measured: 22 of an update's 27 ms at 78,000
    /// tasks, docs/operations.md). Only the writer's connection is set so: the pages' and reports' queries keep the
    /// planner's every choice.
    static let byKeySettings = ["enable_seqscan", "enable_hashjoin", "enable_mergejoin"]

    /// Connects again when the writer's connection was lost (PostgreSQL restarted or failed over, the network
    /// broke): the batch after the loss is written on a new one, once the store answers.
    ///
    /// - Throws: `StoreError.unavailable` while the store cannot be reached (the batch fails; the next tries again).
    func reconnectIfLost() async throws(StoreError) {
        guard connection.isClosed else { return }
        let fresh = try await Self.connect(address, timeouts: timeouts, logger: logger)
        current.withLock { $0 = fresh }
        logger.notice("the writer connected to the store again", metadata: ["store": "\(address)"])
    }

    /// Whether the store holds no case.
    public func isEmpty() async throws(StoreError) -> Bool {
        try await PostgresFailure.map("reading whether \(address) holds cases") {
            var empty = true
            for try await value in try await connection.query(
                "SELECT NOT EXISTS (SELECT 1 FROM cases)", logger: logger
            ).decode(Bool.self) {
                empty = value
            }
            return empty
        }
    }

    deinit {
        // A writer dropped without `close` (its opener failed after opening it) closes its connections all the same.
        connection.closeDropped()
        bell.withLock { $0 }?.closeDropped()
    }

    /// Closes the connections; `commit` fails after.
    public func close() async {
        try? await connection.close()
        try? await bell.withLock { $0 }?.close()
    }

    /// Writes `batch` in one transaction (`BatchCommitter.commit`), run again when it conflicts with another node's
    /// writes, blocking the calling thread until it is done: call it from a thread of its own (the engine's writer
    /// thread), never from a task, whose cooperative thread the batch's own task may need.
    public func commit(_ batch: WriterBatch) throws -> BatchOutcome {
        try blocking { () async throws(StoreError) in try await self.write(batch) }
    }

    /// Does nothing, and answers `true`: nothing is left that a writer can clear. What PostgreSQL keeps of a value a
    /// correction overwrote is the row's dead version, in the table's pages until `VACUUM` (autovacuum's, or
    /// disposal's) reuses the space, and in the server's WAL and its archive, which belong to the database's
    /// operators: no reader sees it, and no statement of this writer removes it sooner.
    public func clearOverwrittenCopies() -> Bool { true }

    /// Runs `body` as a task and waits for it on this thread (the engine's writer thread), at most `batchDeadline`,
    /// or until its connection has been closed for `ClusterTimeouts.afterClose`: then the batch fails (the
    /// connection closed, the batch's transaction, if the server still has it, rolled back with it) and the next batch
    /// connects again.
    func blocking<T: Sendable>(_ body: @escaping @Sendable () async throws(StoreError) -> T) throws(StoreError)
        -> T
    {
        // Looked at four times a second: a connection that closed under the batch (PostgreSQL restarted) is given up
        // at once, since postgres-nio may never answer a statement written to it as it closed.
        let clock = ContinuousClock()
        let end = clock.now + Self.batchDeadline
        var closedSince: ContinuousClock.Instant?
        return try ThreadWait.outcome(of: body) { () throws(StoreError) in
            let lost = connection
            if lost.isClosed {
                let since = closedSince ?? clock.now
                closedSince = since
                guard clock.now - since >= ClusterTimeouts.afterClose else { return }
                throw StoreError(
                    .unavailable,
                    "the connection to the store at \(address) closed under a batch (PostgreSQL restarted, or the "
                        + "network failed): nothing of it was committed, unless the server committed it as the "
                        + "connection closed; the writer connects again for the next batch: retry with the same "
                        + "Idempotency-Key")
            }
            guard clock.now < end else {
                Task { try? await lost.close() }
                throw StoreError(
                    .unavailable,
                    "the store at \(address) did not answer a batch within \(Self.batchDeadline.components.seconds) s: "
                        + "the writer gave its connection up and connects again for the next batch; nothing of this "
                        + "one was committed, unless the server committed it as the connection closed: retry with "
                        + "the same Idempotency-Key")
            }
        }
    }

    /// The policy with `fingerprint`, from memory or the store's `policies`.
    func policy(_ fingerprint: String, on connection: PostgresConnection) async throws -> Policy {
        try await policies.policy(fingerprint, on: connection)
    }
}
