import CareJourneyCore
import Foundation

/// What every store's writer decides for one command, whatever database it writes to: whether it may open a case,
/// which transition it takes, when a snapshot is due, and the referrals it opens. Pure: the SQLite writer
/// (`BatchWriter`) and PostgreSQL's apply the same rules through these, and write the results each its own way.
package enum TransitionRules {
    /// The refusal of a command without a case that is not `contact` (only a contact opens a case); `nil` when it
    /// may open one.
    package static func refusalToOpen(_ command: Command) -> CommandOutcome? {
        guard case .contact = command.event else {
            return .rejected(
                TransitionError(
                    .notAccepted, "a new case begins with 'contact'", stage: .new, event: command.event.name.rawValue,
                    accepted: [.contact]), nil)
        }
        return nil
    }

    /// The transition `command` makes from `state` at `version`: the one its submitting task worked out
    /// (`prepared`), when it worked it out from this version, or else worked out now.
    ///
    /// - Returns: the transition or its refusal, the projection columns the submitting task worked out with it (if
    ///   it did), and whether the prepared transition was taken.
    package static func transition(
        of command: Command, from state: CaseState, version: Int, prepared: PreparedTransition?, policy: Policy
    ) -> (result: Result<Transition, TransitionError>, columns: ProjectionColumns?, tookPrepared: Bool) {
        if let prepared, prepared.version == version {
            return (prepared.result, prepared.columns, true)
        }
        let result = Result { () throws(TransitionError) in
            try Journey.apply(command.event, to: state, at: command.at, by: command.actor, policy: policy)
        }
        return (result, nil, false)
    }

    /// Whether the write of `version` stores a snapshot: every `StateLoader.snapshotEvery` events, when the case
    /// closes, and after a correction (no snapshot may hold the corrected value). Otherwise only the projection
    /// columns are written; a case without a snapshot (version 0) is read by replaying its few events.
    package static func snapshotDue(version: Int, snapshotVersion: Int, stage: Stage, corrected: Bool) -> Bool {
        corrected || stage == .closed || version - snapshotVersion >= StateLoader.snapshotEvery
    }

    /// The snapshot column's value for the write of `version` (`state` encoded when `due`): the empty "none yet" of
    /// a new case's row, or `nil` to leave the stored snapshot as it is.
    package static func snapshot(of state: CaseState, version: Int, due: Bool) throws(StoreError) -> Data? {
        due ? try StateCodec.encode(state) : (version == 1 ? StateLoader.noSnapshot : nil)
    }

    /// The commands that open the cases `effects` refer (`openCase`), each a `contact` from the case `id`.
    package static func referrals(in effects: [Effect], from id: CaseID, at: Date) -> [Command] {
        effects.compactMap { effect in
            guard case .openCase(let contact) = effect else { return nil }
            return Command(caseID: nil, event: .contact(contact), actor: "referral from \(id)", at: at)
        }
    }

    /// The text an outcome is kept as for its command's idempotency key, in the `idempotency` table's `outcome`
    /// (`RecordedOutcome`, JSON), written in the same transaction as the command's event.
    package static func keptOutcome(_ outcome: CommandOutcome) throws(StoreError) -> String {
        String(decoding: try StateCodec.encode(RecordedOutcome(outcome)), as: UTF8.self)
    }

    /// The outcome a key's row keeps (`outcome`), or the HTTP answer a version before schema v13 kept instead
    /// (`status`, `body`), as a retry of the command is given it.
    ///
    /// - Throws: `StoreError.corrupt` when the row holds neither, or an outcome that does not read.
    package static func keptOutcome(text: String?, status: Int?, body: Data?) throws(StoreError) -> RecordedOutcome {
        if let text {
            return try StateCodec.decode(RecordedOutcome.self, Data(text.utf8), what: "the outcome kept for a key")
        }
        guard let status, let body else {
            throw StoreError(.corrupt, "a row of idempotency keeps neither an outcome nor an answer")
        }
        return .earlier(status: status, body: body)
    }
}
