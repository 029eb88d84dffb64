import CareJourneyClock
import CareJourneyStore
import Logging
import PostgresNIO

/// The store opened by a command that is no serving node: a tool that only reads (a report, `audit`, `store verify`),
/// beside the nodes or without them, or an offline tool that writes while no node serves (`policy apply`,
/// `store dispose`). Neither takes a node's presence, a node's name in `nodes`, or a doorbell's connection.
extension PostgresStore {
    /// Opens the store at `address` to read it: only the read pool, whose every session is read-only
    /// (`default_transaction_read_only`, so the server itself refuses any write), and no writer; `writer` refuses
    /// every batch. The schema is checked first on a connection of its own, so a database that cannot be reached, or
    /// holds no store of this build's schema, fails here.
    ///
    /// ```swift
    /// let store = try await PostgresStore.reading(address, logger: logger)
    /// async let pool: Void = store.run()
    /// let report = try await store.verify(.all, limit: 100, progress: nil)
    /// ```
    ///
    /// - Throws: `StoreError.unavailable` when the database cannot be reached or lacks this build's schema;
    ///   `StoreError` with code `address` when the address's TLS settings cannot be used.
    public static func reading(_ address: PostgresAddress, logger: Logger) async throws(StoreError) -> PostgresStore {
        var configuration = try address.clientConfiguration()
        configuration.options.additionalStartupParameters = [("default_transaction_read_only", "on")]
        try await address.withConnection(logger: logger) { connection throws(StoreError) in
            try await PostgresSchema.check(on: connection, logger: logger, at: address)
        }
        return PostgresStore(
            address: address, node: try NodeName("reader"),
            client: PostgresClient(configuration: configuration, backgroundLogger: logger), writer: nil,
            timeouts: ClusterTimeouts(), lease: .seconds(30), clock: WallClock(), logger: logger)
    }

    /// Opens the store at `address` for an offline tool, which runs while no node serves it (inside
    /// `NodePresence.excluding`): the read pool and a writer that writes for no node, so its batches append no feed
    /// row (no node runs to read one; a node that starts reads the store afresh).
    ///
    /// - Throws: `StoreError.unavailable` when the database cannot be reached or lacks this build's schema;
    ///   `StoreError` with code `address` when the address's TLS settings cannot be used.
    public static func offline(_ address: PostgresAddress, logger: Logger) async throws(StoreError) -> PostgresStore {
        let configuration = try address.clientConfiguration()
        let writer = try await PostgresWriter.open(address, node: nil, logger: logger)
        return PostgresStore(
            address: address, node: try NodeName("offline"),
            client: PostgresClient(configuration: configuration, backgroundLogger: logger), writer: writer,
            timeouts: ClusterTimeouts(), lease: .seconds(30), clock: WallClock(), logger: logger)
    }
}

/// The writer of a store opened to read (`PostgresStore.reading`): it refuses every batch, saying so.
struct RefusedWrites: BatchCommitter {
    let address: PostgresAddress

    func commit(_ batch: WriterBatch) throws -> BatchOutcome { throw refusal }

    func clearOverwrittenCopies() -> Bool { true }

    func figuresSnapshot() throws(StoreError) -> any FiguresSnapshot { throw refusal }

    private var refusal: StoreError {
        StoreError(
            .refused,
            "the store at \(address) was opened to read (by a report or a check), and takes no batch: open it as a node "
                + "(`carejourney serve --store`) or an offline tool to write")
    }
}
