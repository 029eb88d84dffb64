import CareJourneyCore
import Logging
import PostgresNIO

@testable import CareJourneyPostgres

extension TaskLeases {
    /// Forgets the leases of `tasks` as a writer's batch that resolves them does (`forgetStatement`), inside the
    /// transaction `connection` is in.
    ///
    /// - Returns: how many leases were forgotten.
    @discardableResult
    static func forgetResolved(_ tasks: [TaskID], on connection: PostgresConnection, logger: Logger) async throws -> Int {
        guard let statement = forgetStatement(tasks.map(\.description)) else { return 0 }
        return try await delete(statement, on: connection, logger: logger)
    }
}
