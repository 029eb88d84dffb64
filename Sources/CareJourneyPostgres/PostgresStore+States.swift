import CareJourneyCore
import CareJourneyStore
import Foundation
import PostgresNIO

extension PostgresStore {
    /// The current states of the cases `ids` (those that exist) and their versions, as `CaseStore` reads them: each case's snapshot with
    /// the events after it replayed under the policies they were applied under (`StateLoader`). Two round trips
    /// however many cases; `known` gives a state the caller holds in memory at the row's version, which is taken
    /// instead.
    func currentStates(
        of ids: [String], on connection: PostgresConnection,
        known: (CaseID, Int) -> CaseState? = { _, _ in nil }
    ) async throws -> [String: (version: Int, state: CaseState)] {
        guard !ids.isEmpty else { return [:] }
        var states: [String: (version: Int, state: CaseState)] = [:]
        var snapshots: [String: (number: Int64, version: Int, snapshotVersion: Int, state: Data)] = [:]
        for try await (id, number, version, snapshotVersion, state) in try await connection.query(
            "SELECT id, number, version, state_version, state FROM cases WHERE id = ANY(\(ids)::text[])",
            logger: logger
        ).decode((String, Int64, Int64, Int64, ByteBuffer).self) {
            if let held = known(CaseID(id), Int(version)) {
                states[id] = (Int(version), held)
            } else {
                snapshots[id] = (number, Int(version), Int(snapshotVersion), Data(state.readableBytesView))
            }
        }
        guard !snapshots.isEmpty else { return states }
        var tails: [String: [HistoryRow]] = [:]
        for row in try await historyRows(
            "c.id = ANY(\(Array(snapshots.keys))::text[]) AND e.version > c.state_version", on: connection)
        {
            tails[row.caseID, default: []].append(row)
        }
        var policies: [String: Policy] = [:]
        for fingerprint in Set(tails.values.flatMap { $0.map(\.policy) }) {
            policies[fingerprint] = try await policy(fingerprint, on: connection)
        }
        for (id, stored) in snapshots {
            do {
                states[id] = (
                    stored.version,
                    try StateLoader.entry(
                        of: CaseID(id), number: stored.number, version: stored.version,
                        snapshotVersion: stored.snapshotVersion, stored: stored.state, tail: tails[id] ?? []
                    ) { fingerprint in
                        guard let policy = policies[fingerprint] else {
                            throw StoreError(
                                .corrupt, "policy \(fingerprint) of case \(id)'s events is not in the store")
                        }
                        return policy
                    }.state
                )
            } catch let error as StoreError {
                throw error
            } catch {
                throw StoreError(.corrupt, "case \(id) does not read", cause: error)
            }
        }
        return states
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
