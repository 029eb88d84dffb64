import CareJourneyPostgres
import CareJourneyStore
import Foundation
import Logging
import PostgresNIO

/// A logger that says nothing but errors, for the tests' connections.
public let quietLogger: Logger = {
    var logger = Logger(label: "test.postgres")
    logger.logLevel = .error
    return logger
}()

extension PostgresServer {
    /// A new, empty database on the server (`CREATE DATABASE`): its address.
    public func newDatabase() async throws -> PostgresAddress {
        let name = "store_" + UUID().uuidString.prefix(8).lowercased()
        try await PostgresAddress(url(database: "postgres")).run("CREATE DATABASE \(name)")
        return try PostgresAddress(url(database: name))
    }
}

extension PostgresAddress {
    /// Runs one statement, in a transaction of its own.
    ///
    /// - Throws: `StoreError.unavailable` with the server's words when the statement fails.
    public func run(_ sql: String) async throws {
        try await withConnection(logger: quietLogger) { connection throws(StoreError) in
            do {
                for try await _ in try await connection.query(PostgresQuery(unsafeSQL: sql), logger: quietLogger) {}
            } catch {
                throw StoreError(.unavailable, "running \(sql): \(String(reflecting: error))", cause: error)
            }
        }
    }
}
