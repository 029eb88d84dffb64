import CareJourneyClock
import CareJourneyCore
import CareJourneyStore
import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle
import Synchronization

/// A store of cases in a PostgreSQL database, which several `serve` nodes share (issue #19): the reads the pages,
/// reports, timers and broker make go through a connection pool (`PostgresClient`), the engine's batches through
/// one dedicated connection (`PostgresWriter`).
///
/// The pool works only while `run()` runs: run the store as a `Service` beside the engine (in the service group), or
/// in a task of its own, before the first read.
///
/// ```swift
/// let store = try await PostgresStore.open(address, node: try NodeName("care-1:8080"), logger: logger)
/// async let pool: Void = store.run()
/// let record = try await store.record(of: id)
/// ```
public final class PostgresStore: Service, Sendable {
    /// Where the store is.
    public let address: PostgresAddress
    /// The node this process is, in a store shared by several: the owner of its timer claims and task leases.
    public let node: NodeName
    /// The pool the reads use.
    let client: PostgresClient
    /// The engine's writer: one connection, one transaction a batch; `nil` on a store opened to read (`reading`).
    public let postgresWriter: PostgresWriter?
    /// The timeouts every statement of the cluster's own runs under.
    let timeouts: ClusterTimeouts
    /// This node's claims on due timers (`timers(dueBy:limit:)`).
    let timerClaims: TimerClaims
    /// This node's leases on open tasks (`openTasks(on:excluding:limit:known:)`).
    let taskLeases: TaskLeases
    /// The clock task leases are taken by: the wall clock, as the broker's own (nodes' clocks must agree to well
    /// within a lease).
    let clock: any CareClock
    /// The clock timer claims are taken by: the engine's, which timers are due by (`timeTimers(by:)`).
    private let timerClock: Mutex<any CareClock>
    /// Policies read so far, by fingerprint (they never change once stored).
    let policies: PolicyBook
    let logger: Logger

    init(
        address: PostgresAddress, node: NodeName, client: PostgresClient, writer: PostgresWriter?,
        timeouts: ClusterTimeouts, lease: Duration, clock: any CareClock, logger: Logger
    ) {
        self.address = address
        self.node = node
        self.client = client
        self.postgresWriter = writer
        self.timeouts = timeouts
        timerClaims = TimerClaims(node: node, lease: lease, timeouts: timeouts)
        taskLeases = TaskLeases(node: node, lease: lease, timeouts: timeouts)
        self.clock = clock
        timerClock = Mutex(clock)
        policies = PolicyBook(logger: logger)
        self.logger = logger
    }

    /// Opens the store at `address` as `node`: the database must hold this build's schema (`store migrate`, or the
    /// first node's start); the writer's connection is made at once, so an unreachable database fails here.
    /// `lease` is how long this node's timer claims and task leases last; `clock` is what they are taken by.
    ///
    /// - Throws: `StoreError.unavailable` when the database cannot be reached or lacks this build's schema;
    ///   `StoreError` with code `address` when the address's TLS settings cannot be used.
    public static func open(
        _ address: PostgresAddress, node: NodeName, timeouts: ClusterTimeouts = ClusterTimeouts(),
        lease: Duration = .seconds(30), clock: any CareClock = WallClock(), logger: Logger
    ) async throws(StoreError) -> PostgresStore {
        let configuration = try address.clientConfiguration()
        let writer = try await PostgresWriter.open(
            address, node: node, lease: lease, leaseClock: clock, timeouts: timeouts, logger: logger)
        return PostgresStore(
            address: address, node: node, client: PostgresClient(configuration: configuration, backgroundLogger: logger),
            writer: writer, timeouts: timeouts, lease: lease, clock: clock, logger: logger)
    }

    /// Runs the read pool until the task is cancelled (or the service group shuts down), then closes the writer's
    /// connection.
    public func run() async throws {
        await cancelWhenGracefulShutdown {
            await self.client.run()
        }
        await postgresWriter?.close()
    }

    /// Runs `body` with one of the pool's connections, mapping any failure to a `StoreError` saying `what` was being
    /// done (the server's own words as its cause). A connection that closes under `body` (PostgreSQL restarted)
    /// fails it within seconds (`ClusterTimeouts.answered`): postgres-nio may never answer a statement written to a
    /// connection as it closed, and a page or a drain at shutdown must not wait for ever.
    func withConnection<T: Sendable>(
        _ what: @autoclosure () -> String, _ body: @escaping @Sendable (PostgresConnection) async throws -> T
    ) async throws(StoreError) -> T {
        let what = what()
        return try await PostgresFailure.map(what) {
            try await client.withConnection { connection in
                try await ClusterTimeouts.answered(within: Self.longestRead, what, closing: connection) {
                    try await body(connection)
                }
            }
        }
    }

    /// The longest a read may run: a whole store's histories replayed for a report, at most.
    static let longestRead = Duration.seconds(6 * 3600)
}

extension PostgresStore {
    /// Takes timer claims by `clock` from now on: the engine's, once the service knows it (a scaled clock's origin
    /// is kept in the store's meta, so it is read after the store is open). Every node of a store runs on the same.
    public func timeTimers(by clock: any CareClock) {
        timerClock.withLock { $0 = clock }
    }

    /// The time timer claims are taken at.
    var timerNow: Date { timerClock.withLock { $0.now() } }

    /// The policy with `fingerprint`, from memory or the store's `policies`.
    func policy(_ fingerprint: String, on connection: PostgresConnection) async throws -> Policy {
        try await policies.policy(fingerprint, on: connection)
    }
}

extension PostgresStore: CareStore {
    /// The database's address, without its password.
    public var location: String { address.description }

    /// None: a node keeps no files of the store's beside it (the figures are counted again at each start).
    public var localFolder: String? { nil }

    /// The engine's writer on this store; on a store opened to read, one that refuses every batch.
    public var writer: any BatchCommitter { postgresWriter ?? RefusedWrites(address: address) }
}
