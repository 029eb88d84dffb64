import CareJourneyClock
import CareJourneyCore
import CareJourneyStore
import Foundation

/// Reading people's records, as the API and the dashboard both do: every read of personal data is recorded in the
/// access log — durably, before the data is returned — and a case with an open safeguarding enquiry outside the
/// reader's team is opened only with a reason ("break the glass"), which is recorded and shown to managers.
///
/// When the record cannot be written (a full disk, a read-only store) the read does not go ahead: the caller
/// answers 503 and shows nothing.
struct CaseReads: Sendable {
    let engine: Engine
    let clock: any CareClock

    /// What reading a case came to.
    enum Outcome {
        case read(CaseRecord)
        case notFound
        /// The reader must say why before the case is shown.
        case needsReason(String)
        /// The read could not be recorded, so nothing is shown.
        case unrecorded(StoreError)
    }

    /// The longest reason kept.
    static let maxReason = 500

    /// The case `id` for `principal`, read through `channel`, recorded before it is returned.
    func read(_ id: CaseID, by principal: Principal, through channel: AccessRecord.Channel, reason: String?) async
        -> Outcome
    {
        let record: CaseRecord
        do {
            guard let found = try await engine.store.record(of: id) else { return .notFound }
            record = found
        } catch {
            return .unrecorded(error)
        }
        let reason = reason?.trimmingCharacters(in: .whitespacesAndNewlines).prefix(Self.maxReason)
        let given = reason.map(String.init).flatMap { $0.isEmpty ? nil : $0 }
        if let why = Self.needsReason(record.state, for: principal), given == nil { return .needsReason(why) }
        do {
            try await engine.recordRead(
                AccessRecord(actor: principal.name, at: clock.now(), channel: channel, cases: [id], reason: given))
        } catch {
            return .unrecorded(error)
        }
        return .read(record)
    }

    /// Records that `principal` was shown `cases` (a search's or a list's), before they are shown.
    ///
    /// - Throws: `StoreError` when the read could not be recorded: show nothing.
    func recordList(
        _ cases: [CaseID], by principal: Principal, through channel: AccessRecord.Channel, query: String?,
        detail: String? = nil
    ) async throws(StoreError) {
        try await engine.recordRead(
            AccessRecord(
                actor: principal.name, at: clock.now(), channel: channel, cases: cases, query: query, detail: detail))
    }

    /// Why `principal` must say why before opening the case, or `nil`: an open safeguarding enquiry on a case
    /// allocated to another team (or to none, or read by someone in no team).
    static func needsReason(_ state: CaseState, for principal: Principal) -> String? {
        guard state.safeguarding.status == .enquiry else { return nil }
        let team = state.allocation?.team
        if let team, team == principal.team { return nil }
        return "this case has an open safeguarding enquiry and is allocated to "
            + (team.map { "the \($0) team" } ?? "no team") + (principal.team.map { ", not yours (\($0))" } ?? "")
    }
}
