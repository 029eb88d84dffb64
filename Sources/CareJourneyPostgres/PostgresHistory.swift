import CareJourneyCore
import CareJourneyStore
import Foundation
import Logging
import PostgresNIO

/// How the PostgreSQL store reads histories and the states they lead to.
enum PostgresHistory {
    /// The columns of `events` a `HistoryRow` is made of, in the order `forEachEvent` decodes them (`e` is `events`).
    static let columns = "e.seq, e.case_id, e.version, e.name, e.data, e.at, e.actor, e.reason, e.policy, e.late"

    /// The current states of the cases `ids` (those the store holds), by id, as `CaseStore` reads them: each case's
    /// snapshot with the events after it replayed under the policies they were applied under (`StateLoader`). One
    /// read of the rows, one of the events after their snapshots, however many cases: every reader of states on
    /// PostgreSQL (a case's record, open tasks, planning, disposal, the writer's batch) comes here.
    ///
    /// - Parameters:
    ///   - locking: lock the cases' rows (`FOR UPDATE`, in id order, so that writers on several nodes lock in one
    ///     order) until the transaction ends.
    ///   - known: a state the caller holds at the row's number and version, taken instead of reading it (then the
    ///     rows are read first without their snapshots, and only the others' snapshots after).
    ///   - policy: the policy a fingerprint names (a `PolicyBook`).
    /// - Returns: each case's state, or why it does not read (`StoreError.corrupt`): one case that does not read
    ///   leaves the others readable.
    /// - Throws: what PostgreSQL says.
    static func states(
        of ids: [String], on connection: PostgresConnection, logger: Logger, locking: Bool = false,
        known: ((CaseID, _ number: Int64, _ version: Int) -> StateCache.Entry?)? = nil,
        policy: (String) async throws -> Policy
    ) async throws -> [String: Result<StateCache.Entry, StoreError>] {
        guard !ids.isEmpty else { return [:] }
        var states: [String: Result<StateCache.Entry, StoreError>] = [:]
        var stored: [CaseSnapshots<Unlocked>.Row] = []
        if let known {
            let rows =
                locking
                ? try await connection.rows(CaseVersions<LockedInIDOrder>(ids: ids), logger: logger)
                : try await connection.rows(CaseVersions<Unlocked>(ids: ids), logger: logger)
            var misses: [String] = []
            for row in rows {
                if let entry = known(CaseID(row.id), row.number, Int(row.version)) {
                    states[row.id] = .success(entry)
                } else {
                    misses.append(row.id)
                }
            }
            if !misses.isEmpty { stored = try await connection.rows(CaseSnapshots<Unlocked>(ids: misses), logger: logger) }
        } else {
            stored =
                locking
                ? try await connection.rows(CaseSnapshots<LockedInIDOrder>(ids: ids), logger: logger)
                : try await connection.rows(CaseSnapshots<Unlocked>(ids: ids), logger: logger)
        }
        guard !stored.isEmpty else { return states }
        var tails: [String: [HistoryRow]] = [:]
        for try await row in try await connection.execute(EventsAfterSnapshots(ids: stored.map(\.id)), logger: logger) {
            tails[row.caseID, default: []].append(row)
        }
        var policies: [String: Policy] = [:]
        for fingerprint in Set(tails.values.flatMap { $0.map(\.policy) }) {
            policies[fingerprint] = try await policy(fingerprint)
        }
        for row in stored {
            let id = row.id
            states[id] = Result { () throws(StoreError) in
                do {
                    return try StateLoader.entry(
                        of: CaseID(id), number: row.number, version: Int(row.version),
                        snapshotVersion: Int(row.snapshotVersion), stored: Data(row.state.readableBytesView),
                        tail: tails[id] ?? []
                    ) { fingerprint in
                        guard let policy = policies[fingerprint] else {
                            throw StoreError(
                                .corrupt, "policy \(fingerprint) of case \(id)'s events is not in the store")
                        }
                        return policy
                    }
                } catch let error as StoreError {
                    throw error
                } catch {
                    throw StoreError(.corrupt, "case \(id) does not read", cause: error)
                }
            }
        }
        return states
    }
}
