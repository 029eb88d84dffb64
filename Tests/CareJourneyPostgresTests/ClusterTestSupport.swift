import CareJourneyCore
import CareJourneyStore
import CareJourneyTestSupport
import Foundation
import Logging
import PostgresNIO

@testable import CareJourneyPostgres

/// The moment the cluster tests' clocks read: times are inputs, so a lease lapses when a test says it does.
let clusterNow = Date(timeIntervalSince1970: 1_800_000_000)

extension PostgresServer {
    /// A new database holding this build's schema: a store the cluster tests' nodes share.
    func newStore() async throws -> PostgresAddress {
        let address = try await newDatabase()
        try await PostgresSchema.migrate(address, logger: quietLogger)
        return address
    }
}

extension PostgresAddress {
    /// Runs `body` on a connection of its own, closed after it, whatever `body` throws.
    func onConnection<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        let connection = try await connect(logger: quietLogger)
        do {
            let result = try await body(connection)
            try? await connection.close()
            return result
        } catch {
            try? await connection.close()
            throw error
        }
    }
}

/// `name` as a node's name (the tests' names are valid ones).
func node(_ name: String) -> NodeName {
    try! NodeName(name)
}

extension PostgresTaskRows {
    /// The rows a writer's batch reads (`query`), read alone on `connection`.
    static func read(
        ids: [String], openOf cases: [String], on connection: PostgresConnection, logger: Logger
    ) async throws -> PostgresTaskRows {
        guard let query = query(ids: ids, openOf: cases) else { return PostgresTaskRows() }
        return try await PostgresTaskRows(connection.query(query, logger: logger).get())
    }
}

extension TaskLeases {
    /// Forgets the leases of `tasks` as a writer's batch that resolves them does (`forgetStatement`), inside the
    /// transaction `connection` is in.
    ///
    /// - Returns: how many leases were forgotten.
    @discardableResult
    static func forgetResolved(_ tasks: [TaskID], on connection: PostgresConnection, logger: Logger) async throws -> Int {
        guard let statement = forgetStatement(tasks.map(\.description)) else { return 0 }
        var forgotten = 0
        for try await _ in try await connection.query(statement, logger: logger) { forgotten += 1 }
        return forgotten
    }
}
