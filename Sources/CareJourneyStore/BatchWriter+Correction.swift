import CareJourneyCore
import Foundation
import GRDB

/// `correct-record`: the named event's data is rewritten and the case replayed from its corrected history, in the
/// same transaction as the correction's own event, which keeps who, when, why, which event and which field, but not
/// the value.
///
/// Replay and `store verify` then agree by construction: the history holds the corrected event, the correction's
/// event changes nothing when it is replayed (the core's `correct-record` only checks its reason), and the case's
/// snapshot is written afresh from the corrected history. The name search follows the name, as for any change.
extension BatchWriter {
    typealias Rewrite = TransitionRules.Rewrite

    /// Works out `correction` of case `id` (now `current`) from its history as stored (`TransitionRules.rewrite`).
    /// Reads only.
    ///
    /// - Throws: `StoreError` when the history cannot be read.
    func rewrite(_ id: CaseID, by correction: Correction, current: CaseState, command: Command, in db: Database) throws
        -> Result<Rewrite, TransitionError>
    {
        let rows = try Row.fetchAll(
            db.cachedStatement(sql: "SELECT * FROM events WHERE case_id = ? ORDER BY version"), arguments: [id.rawValue]
        ).map(HistoryRow.init)
        return try TransitionRules.rewrite(
            id, by: correction, current: current, command: command, history: rows, policy: policy
        ) { fingerprint in try store.policy(fingerprint: fingerprint, in: db) }
    }
}

extension TransitionRules.Rewrite {
    /// Writes the corrected data over the event's.
    func write(of id: CaseID, in db: Database) throws {
        try db.cachedStatement(sql: "UPDATE events SET data = ? WHERE case_id = ? AND version = ?")
            .execute(arguments: [data, id.rawValue, version])
    }
}
