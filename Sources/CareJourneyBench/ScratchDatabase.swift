import ArgumentParser
import CareJourneyPostgres
import CareJourneyStore
import Foundation
import Logging
import PostgresNIO

/// A database of a benchmark's own on the server of a given address: created (after dropping one a stopped run
/// left), handed to the benchmark, and dropped after, so that each measurement starts on an empty store.
struct ScratchDatabase {
    /// The address given (its database is where `CREATE DATABASE` runs from).
    let server: PostgresAddress
    /// Its text, with the password if it held one.
    let text: String
    let logger: Logger

    init(_ text: String, logger: Logger) throws {
        server = try PostgresAddress(text)
        self.text = text
        self.logger = logger
    }

    /// Runs `body` with the address of a new database named `name` on the same server, then drops it (with any
    /// connection left to it), whether `body` returned or threw.
    ///
    /// - Throws: `StoreError` when the database cannot be made (the address's user needs CREATEDB); what `body`
    ///   throws.
    func with<T>(_ name: String, _ body: (PostgresAddress) async throws -> T) async throws -> T {
        guard name.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "_") }) else {
            throw ValidationError("'\(name)' is no plain database name")
        }
        try await run("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
        try await run("CREATE DATABASE \(name)")
        do {
            let result = try await body(try address(of: name))
            try await run("DROP DATABASE \(name) WITH (FORCE)")
            return result
        } catch {
            try? await run("DROP DATABASE \(name) WITH (FORCE)")
            throw error
        }
    }

    /// The address of `database` on the same server: the text given with its path changed.
    private func address(of database: String) throws -> PostgresAddress {
        guard var components = URLComponents(string: text) else {
            throw ValidationError("\(server) cannot be read as a URL to name another database in")
        }
        components.path = "/\(database)"
        guard let changed = components.string else {
            throw ValidationError("\(server) cannot name another database")
        }
        return try PostgresAddress(changed)
    }

    /// The server's settings named (`SHOW name`), in order.
    func settings(_ names: [String]) async throws(StoreError) -> [String] {
        let logger = self.logger
        return try await server.withConnection(logger: logger) { connection throws(StoreError) in
            try await PostgresFailure.map("reading the settings of \(server)") {
                var values: [String] = []
                for name in names {
                    for try await value in try await connection.query(
                        PostgresQuery(unsafeSQL: "SHOW \(name)"), logger: logger
                    ).decode(String.self) {
                        values.append(value)
                    }
                }
                return values
            }
        }
    }

    private func run(_ statement: String) async throws(StoreError) {
        let logger = self.logger
        try await server.withConnection(logger: logger) { connection throws(StoreError) in
            try await PostgresFailure.map("\(statement) on \(server)") {
                let _: PostgresRowSequence = try await connection.query(
                    PostgresQuery(unsafeSQL: statement), logger: logger)
            }
        }
    }
}
