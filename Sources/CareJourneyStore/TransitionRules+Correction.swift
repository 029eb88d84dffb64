import CareJourneyCore
import Foundation

/// `correct-record`, as every store's writer works it out: the named event's data rewritten and the case replayed
/// from its corrected history, each event under the policy and actor it was applied with. Pure: SQLite's writer
/// (`BatchWriter+Correction`) and PostgreSQL's read the history each their own way, call this, and write the result.
extension TransitionRules {
    /// A correction worked out, before anything is written.
    package struct Rewrite {
        /// The corrected event's version and its data as it will be stored.
        package let version: Int
        package let data: String
        /// The correction's own event as stored (without the value), and its data.
        package let recorded: Event
        package let recordedData: String
        /// The correction applied to the case as its corrected history leaves it.
        package let transition: Transition
    }

    /// Works out `correction` of case `id` (now `current`, its history `rows`, in order): the corrected event, typed
    /// by the core's reader, and the case replayed with it, each event under the policy (`policies`, by fingerprint)
    /// and actor it was applied with; the correction's own event applied under `policy`.
    ///
    /// - Returns: the rewrite, or why the correction is refused: no such event, an event that cannot be corrected,
    ///   a value the event does not take (`Correction.corrected`), a corrected history that no longer replays, or
    ///   one that would change where the case stands (`Correction.changes`).
    /// - Throws: `StoreError` when the history does not read, or `policies` throws.
    package static func rewrite(
        _ id: CaseID, by correction: Correction, current: CaseState, command: Command, history rows: [HistoryRow],
        policy: Policy, policies: (String) throws -> Policy
    ) throws -> Result<Rewrite, TransitionError> {
        func refuse(_ code: TransitionError.Code, _ message: String, field: String? = nil, missing: [String] = [])
            -> Result<Rewrite, TransitionError>
        {
            .failure(
                TransitionError(
                    code, message, stage: current.stage, event: EventName.correctRecord.rawValue, missing: missing,
                    field: field))
        }
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
                state = try row.apply(event, to: state, policy: try policies(row.policy))
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
