import Logging
import PostgresNIO

@testable import CareJourneyPostgres

extension PostgresTaskRows {
    /// The rows a writer's batch reads (`query`), read alone on `connection`.
    static func read(
        ids: [String], openOf cases: [String], on connection: PostgresConnection, logger: Logger
    ) async throws -> PostgresTaskRows {
        guard let query = query(ids: ids, openOf: cases) else { return PostgresTaskRows() }
        return try await PostgresTaskRows(connection.query(query, logger: logger).get())
    }
}
