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
    /// A correction worked out, before anything is written.
    struct Rewrite {
        /// The corrected event's version and its data as it will be stored.
        let version: Int
        let data: String
        /// The correction's own event as stored (without the value), and its data.
        let recorded: Event
        let recordedData: String
        /// The correction applied to the case as its corrected history leaves it.
        let transition: Transition

        /// Writes the corrected data over the event's.
        func write(of id: CaseID, in db: Database) throws {
            try db.cachedStatement(sql: "UPDATE events SET data = ? WHERE case_id = ? AND version = ?")
                .execute(arguments: [data, id.rawValue, version])
        }
    }

    /// Works out `correction` of case `id` (now `current`): the corrected event, typed by the core's reader, and
    /// the case replayed with it, each event under the policy and actor it was applied with. Reads only.
    ///
    /// - Returns: the rewrite, or why the correction is refused: no such event, an event that cannot be corrected,
    ///   a value the event does not take (`Correction.corrected`), a corrected history that no longer replays, or
    ///   one that would change where the case stands (`Correction.changes`).
    /// - Throws: `StoreError` when the history cannot be read.
    func rewrite(_ id: CaseID, by correction: Correction, current: CaseState, command: Command, in db: Database) throws
        -> Result<Rewrite, TransitionError>
    {
        func refuse(_ code: TransitionError.Code, _ message: String, field: String? = nil, missing: [String] = [])
            -> Result<Rewrite, TransitionError>
        {
            .failure(
                TransitionError(
                    code, message, stage: current.stage, event: EventName.correctRecord.rawValue, missing: missing,
                    field: field))
        }
        let rows = try Row.fetchAll(
            db.cachedStatement(sql: "SELECT * FROM events WHERE case_id = ? ORDER BY version"), arguments: [id.rawValue]
        ).map(HistoryRow.init)
        guard let target = rows.first(where: { $0.version == correction.event }) else {
            return refuse(
                .invalidData, "case \(id) has no event \(correction.event): its events are 1 to \(rows.count)",
                field: "event")
        }
        guard let name = EventName(rawValue: target.name) else {
            throw StoreError(.corrupt, "event \(target.seq) on \(id) has the unknown name '\(target.name)'")
        }
        let original = try StateCodec.json(target.data)
        let corrected: Event
        do {
            corrected = try correction.corrected(name, data: original)
        } catch {
            return .failure(error)
        }
        var state = CaseState(id: id)
        for row in rows {
            let event = row.version == target.version ? corrected : try row.event()
            do {
                state = try row.apply(event, to: state, policy: try store.policy(fingerprint: row.policy, in: db))
            } catch let error as TransitionError {
                if row.version == target.version {
                    return refuse(
                        error.code,
                        "the correction cannot be made: the corrected event \(row.version) ('\(row.name)') cannot be "
                            + "recorded: \(error.message)", field: "value", missing: error.missing)
                }
                return refuse(
                    .guardFailed,
                    "the correction cannot be made: event \(row.version) ('\(row.name)') would no longer apply after "
                        + "it: \(error.message)", missing: [error.message])
            }
        }
        let changes = Correction.changes(from: current, to: state)
        guard changes.isEmpty else {
            return refuse(
                .guardFailed,
                "the correction would change where case \(id) stands (\(changes.joined(separator: ", "))): a correction "
                    + "puts right what was recorded, not what was decided; record the decision as an event of its own",
                missing: changes)
        }
        let recorded = Event.correctRecord(correction.recorded)
        let transition: Transition
        do {
            transition = try Journey.apply(recorded, to: state, at: command.at, by: command.actor, policy: policy)
        } catch {
            return .failure(error)
        }
        return .success(
            Rewrite(
                version: target.version, data: StateCodec.eventData(corrected), recorded: recorded,
                recordedData: StateCodec.eventData(recorded), transition: transition))
    }
}
