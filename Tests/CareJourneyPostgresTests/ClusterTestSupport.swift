import CareJourneyStore
import CareJourneyTestSupport
import Foundation
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
