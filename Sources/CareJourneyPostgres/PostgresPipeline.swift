import Logging
import PostgresNIO

/// Statements of one transaction sent one after another without waiting for each one's answer: postgres-nio queues
/// them on the connection and starts each as the one before it ends, on the connection's event loop, so the batch's
/// task waits once for them all instead of once a statement (each wait a hop from the event loop to a cooperative
/// thread and back, between two statements PostgreSQL could already have run).
///
/// PostgreSQL runs them in the order sent. The first that fails aborts the transaction, and is what `results` throws:
/// the statements after it fail only because it did.
///
/// ```swift
/// var pipeline = PostgresPipeline(connection: connection, logger: logger)
/// let inserted = pipeline.send(insertEvents)
/// pipeline.send(updateCases)
/// let results = try await pipeline.results()
/// if let inserted { for row in results[inserted] { … } }
/// ```
struct PostgresPipeline {
    let connection: PostgresConnection
    let logger: Logger
    private var sent: [EventLoopFuture<PostgresQueryResult>] = []

    init(connection: PostgresConnection, logger: Logger) {
        self.connection = connection
        self.logger = logger
    }

    /// Sends `query`, if there is one, and returns its place in `results`.
    @discardableResult
    mutating func send(_ query: PostgresQuery?) -> Int? {
        guard let query else { return nil }
        sent.append(connection.query(query, logger: logger))
        return sent.count - 1
    }

    /// Sends each of `queries`.
    mutating func send(_ queries: [PostgresQuery]) {
        for query in queries { send(query) }
    }

    /// Every statement's rows, in the order they were sent, once all are answered.
    ///
    /// - Throws: the first statement's failure, as PostgreSQL gave it.
    func results() async throws -> [PostgresQueryResult] {
        var results: [PostgresQueryResult] = []
        results.reserveCapacity(sent.count)
        for answer in sent { results.append(try await answer.get()) }
        return results
    }
}
