import CareJourneyCore
import Foundation
import GRDB

/// Reads a case's current state: its snapshot, with the events after it replayed under the policies they were
/// applied under. The store writes a snapshot every `snapshotEvery` events (and when a case closes), so at most
/// that many events are replayed. A case with fewer events has no snapshot yet (version 0): it is replayed from
/// its first event.
package enum StateLoader {
    /// How many events may follow a snapshot before the next is written.
    package static let snapshotEvery = 16

    /// The stored form of "no snapshot yet": an empty state column with snapshot version 0.
    package static let noSnapshot = Data()

    /// The state a case's snapshot holds: the new case itself at version 0, otherwise the stored state.
    package static func snapshot(of id: CaseID, version: Int, stored: Data) throws(StoreError) -> CaseState {
        version == 0 ? CaseState(id: id) : try StateCodec.state(stored, what: "case \(id)")
    }

    /// A case as stored: its number, version and snapshot version, and its current state.
    static func load(
        _ id: CaseID, in db: Database, policies: (String) throws -> Policy
    ) throws -> StateCache.Entry? {
        guard
            let row = try Row.fetchOne(
                db.cachedStatement(sql: "SELECT number, version, state_version, state FROM cases WHERE id = ?"),
                arguments: [id.rawValue])
        else { return nil }
        let version: Int = row["version"]
        let snapshotVersion: Int = row["state_version"]
        let tail =
            version > snapshotVersion
            ? try Row.fetchAll(
                db.cachedStatement(
                    sql: "SELECT * FROM events WHERE case_id = ? AND version > ? ORDER BY version"),
                arguments: [id.rawValue, snapshotVersion]
            ).map(HistoryRow.init) : []
        return try entry(
            of: id, number: row["number"], version: version, snapshotVersion: snapshotVersion, stored: row["state"],
            tail: tail, policies: policies)
    }

    /// A case as stored, from its row's snapshot (`stored`, of `snapshotVersion`) and the events after it (`tail`,
    /// in order), whichever store read them.
    package static func entry(
        of id: CaseID, number: Int64, version: Int, snapshotVersion: Int, stored: Data, tail: [HistoryRow],
        policies: (String) throws -> Policy
    ) throws -> StateCache.Entry {
        var state = try snapshot(of: id, version: snapshotVersion, stored: stored)
        for event in tail {
            state = try replay(event, onto: state, policies: policies).state
        }
        return StateCache.Entry(number: number, version: version, snapshotVersion: snapshotVersion, state: state)
    }

    /// Applies one stored event to a state, as it was applied when it happened.
    package static func replay(_ row: HistoryRow, onto state: CaseState, policies: (String) throws -> Policy) throws
        -> (event: Event, state: CaseState)
    {
        let policy = try policies(row.policy)
        let event = try row.event()
        do {
            return (event, try row.apply(event, to: state, policy: policy))
        } catch {
            throw StoreError(
                .corrupt, "event \(row.seq) (\(row.name) on \(row.caseID)) does not replay: \(error.message)",
                cause: error)
        }
    }
}
