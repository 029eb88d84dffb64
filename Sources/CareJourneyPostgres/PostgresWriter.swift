import CareJourneyCore
import CareJourneyStore
import Dispatch
import Foundation
import Logging
import PostgresNIO
import Synchronization

/// The engine's writer on a PostgreSQL store (design brief §3.5): each batch is one transaction on one dedicated
/// connection, in a handful of round trips however many commands it carries: the batch's known cases locked in id
/// order and the states the engine's cache lacks read, every command applied in memory under the same rules as
/// SQLite's writer (`TransitionRules`), then the rows written table by table with array (`unnest`) statements, and
/// committed with `synchronous_commit = on`.
///
/// ```swift
/// let writer = try await PostgresWriter.open(address, logger: logger)
/// let engine = try Engine(store: store, writer: writer, policy: policy)   // the engine's writer thread calls commit
/// ```
///
/// The engine calls `commit` on its writer thread, which is a thread of its own (`ServiceThread`), neither an event
/// loop nor one of Swift's cooperative threads: `commit` runs the whole batch as one task and blocks that thread on a
/// semaphore until the task ends. One hop a batch, however many round trips it makes; blocking a thread that
/// does nothing else while its batch is written is what the writer thread is for (SQLite's blocks on `fsync`).
///
/// Not yet (refused for that command alone, saying so): commands with an idempotency key (§3.7) and corrections of
/// the record (`correct-record`). The store's figures are not counted from PostgreSQL yet (`figuresSnapshot`).
public final class PostgresWriter: BatchCommitter {
    let connection: PostgresConnection
    let logger: Logger
    /// The store's address, for messages.
    let address: PostgresAddress
    /// Policies older events were applied under, read once from `policies`.
    let policies = Mutex<[String: Policy]>([:])

    private init(connection: PostgresConnection, logger: Logger, address: PostgresAddress) {
        self.connection = connection
        self.logger = logger
        self.address = address
    }

    /// Connects to the store at `address`, which must hold this build's schema, with the session's commits durable
    /// (`synchronous_commit = on`, whatever the server's default).
    ///
    /// - Throws: `StoreError.unavailable` when the store cannot be reached or lacks this build's schema.
    public static func open(_ address: PostgresAddress, logger: Logger) async throws(StoreError) -> PostgresWriter {
        let connection = try await address.connect(logger: logger)
        do throws(StoreError) {
            try await PostgresSchema.check(on: connection, logger: logger, at: address)
            try await PostgresFailure.map("setting up the writer's connection to \(address)") {
                try await connection.query("SET synchronous_commit = on", logger: logger).drain()
            }
            return PostgresWriter(connection: connection, logger: logger, address: address)
        } catch {
            try? await connection.close()
            throw error
        }
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

    /// Closes the connection; `commit` fails after.
    public func close() async {
        try? await connection.close()
    }

    /// Writes `batch` in one transaction (`BatchCommitter.commit`), blocking the calling thread until it is done: call
    /// it from a thread of its own (the engine's writer thread), never from a task, whose cooperative thread the
    /// batch's own task may need.
    public func commit(_ batch: WriterBatch) throws -> BatchOutcome {
        try blocking { () async throws(StoreError) in
            try await PostgresFailure.map("writing a batch of \(batch.commands.count) command(s) to \(self.address)") {
                try await self.connection.withTransaction(logger: self.logger) { connection in
                    var plan = PostgresBatchPlan(batch: batch, writer: self)
                    return try await plan.write()
                }
            }
        }
    }

    /// Nothing to clear: PostgreSQL keeps no WAL copy a reader could reach once committed (its dead tuples go at
    /// `VACUUM`, which disposal runs).
    public func clearOverwrittenCopies() -> Bool { true }

    public func figuresSnapshot() throws(StoreError) -> any FiguresSnapshot {
        throw StoreError(
            .unavailable,
            "the figures of a PostgreSQL store are not counted yet (issue #19's next slice): run the service on a data "
                + "folder for the dashboard's figures")
    }

    /// Runs `body` as a task and waits for it on this thread (the engine's writer thread).
    private func blocking<T: Sendable>(_ body: @escaping @Sendable () async throws(StoreError) -> T) throws(StoreError)
        -> T
    {
        let done = DispatchSemaphore(value: 0)
        let result = Mutex<Result<T, StoreError>?>(nil)
        Task {
            let outcome: Result<T, StoreError>
            do throws(StoreError) {
                outcome = .success(try await body())
            } catch {
                outcome = .failure(error)
            }
            result.withLock { $0 = outcome }
            done.signal()
        }
        done.wait()
        return try result.withLock { $0! }.get()
    }

    /// The policy with `fingerprint`, from memory or the store's `policies`.
    func policy(_ fingerprint: String, on connection: PostgresConnection) async throws -> Policy {
        if let policy = policies.withLock({ $0[fingerprint] }) { return policy }
        var body: String?
        for try await text in try await connection.query(
            "SELECT body FROM policies WHERE fingerprint = \(fingerprint)", logger: logger
        ).decode(String.self) {
            body = text
        }
        guard let body else {
            throw StoreError(.corrupt, "the store holds events applied under policy \(fingerprint), but not the policy")
        }
        let policy = try StateCodec.decode(Policy.self, Data(body.utf8), what: "policy \(fingerprint)")
        policies.withLock { $0[fingerprint] = policy }
        return policy
    }
}
