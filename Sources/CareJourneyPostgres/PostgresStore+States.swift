import CareJourneyCore
import CareJourneyStore
import Foundation
import PostgresNIO

extension PostgresStore {
    /// The current states of the cases `ids` (those that exist) and their versions (`PostgresHistory.states`); `known`
    /// gives a state the caller holds in memory at the row's version, which is taken instead.
    ///
    /// - Throws: `StoreError.corrupt` when one of them does not read; what PostgreSQL says.
    func currentStates(
        of ids: [String], on connection: PostgresConnection, known: ((CaseID, Int) -> CaseState?)? = nil
    ) async throws -> [String: (version: Int, state: CaseState)] {
        let read = try await PostgresHistory.states(
            of: ids, on: connection, logger: logger,
            known: known.map { known in
                { id, number, version in
                    known(id, version).map {
                        StateCache.Entry(number: number, version: version, snapshotVersion: version, state: $0)
                    }
                }
            }
        ) { try await policy($0, on: connection) }
        return try read.mapValues { entry in
            let entry = try entry.get()
            return (entry.version, entry.state)
        }
    }

    /// The events of the cases `condition` picks (on `events e JOIN cases c`), by case and version.
    func historyRows(_ condition: PostgresQuery, on connection: PostgresConnection) async throws -> [HistoryRow] {
        let query = PostgresQuery(
            unsafeSQL: """
                SELECT \(PostgresHistory.columns)
                FROM events e JOIN cases c ON c.id = e.case_id WHERE \(condition.sql) ORDER BY e.case_id, e.version
                """, binds: condition.binds)
        var rows: [HistoryRow] = []
        try await connection.forEachEvent(query, logger: logger) { rows.append($0) }
        return rows
    }
}
