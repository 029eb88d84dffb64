import CareJourneyCore
import CareJourneyStore
import Foundation
import Logging
import PostgresNIO

/// The idempotency keys of one batch (design brief §3.7): those its commands carry that were kept before, read once
/// at the batch's start (after its cases are locked, so a key kept by another node's batch on the same cases is
/// seen), and those it keeps, inserted with one statement in its transaction, with its events.
///
/// Two nodes that keep the same new key at once both insert it; the second waits for the first's commit and fails
/// on the key (`idempotency_pkey`); its writer runs its batch again (`PostgresWriter`), which then finds the key
/// kept and answers with the first outcome.
struct PostgresKeys {
    /// A key's row.
    struct Kept {
        let fingerprint: String
        /// The outcome as kept (`TransitionRules.keptOutcome`), or the answer kept before schema v13.
        let text: String?
        let status: Int64?
        let body: ByteBuffer?

        /// The outcome it keeps, as a retry is given it.
        func outcome() throws(StoreError) -> RecordedOutcome {
            try TransitionRules.keptOutcome(
                text: text, status: status.map(Int.init), body: body.map { Data($0.readableBytesView) })
        }
    }

    private var kept: [String: Kept] = [:]
    /// The keys this batch keeps, in order.
    private var new: [(key: String, fingerprint: String, outcome: String, at: Date, caseID: CaseID?)] = []

    /// The row of `key`, kept before the batch or by one of its commands.
    subscript(key: String) -> Kept? { kept[key] }

    /// Reads the rows of `keys`.
    static func read(_ keys: [String], on connection: PostgresConnection, logger: Logger) async throws -> PostgresKeys {
        var found = PostgresKeys()
        guard !keys.isEmpty else { return found }
        for try await (key, fingerprint, outcome, status, body) in try await connection.query(
            "SELECT key, fingerprint, outcome, status, body FROM idempotency WHERE key = ANY(\(Array(Set(keys)))::text[])",
            logger: logger
        ).decode((String, String, String?, Int64?, ByteBuffer?).self) {
            found.kept[key] = Kept(fingerprint: fingerprint, text: outcome, status: status, body: body)
        }
        return found
    }

    /// Keeps `outcome` for `key`, with the time its command was sent (`at`) and the case it names, so that disposing
    /// of the case removes it.
    mutating func keep(_ key: IdempotencyKey, outcome: CommandOutcome, at: Date) throws(StoreError) {
        let text = try TransitionRules.keptOutcome(outcome)
        kept[key.key] = Kept(fingerprint: key.fingerprint, text: text, status: nil, body: nil)
        new.append((key.key, key.fingerprint, text, at, RecordedOutcome(outcome).caseID))
    }

    /// The statement inserting the keys this batch keeps; `nil` for none.
    func statement() -> PostgresQuery? {
        guard !new.isEmpty else { return nil }
        return
            """
            INSERT INTO idempotency (key, fingerprint, outcome, created_at, case_id)
            SELECT * FROM unnest(\(PostgresArray(new.map { .text($0.key) }).literal)::text[],
                \(PostgresArray(new.map { .text($0.fingerprint) }).literal)::text[],
                \(PostgresArray(new.map { .text($0.outcome) }).literal)::text[],
                \(PostgresArray(new.map { .time($0.at) }).literal)::float8[],
                \(PostgresArray(new.map { .textOrNull($0.caseID?.rawValue) }).literal)::text[])
            """
    }
}

extension RecordedOutcome {
    /// The case the outcome is about, or `nil` for a contact refused (no case opened) and for an answer kept before
    /// schema v13.
    var caseID: CaseID? {
        switch self {
        case .applied(let applied): applied.caseID
        case .rejected(_, let id): id
        case .notFound(let id): id
        case .earlier: nil
        }
    }
}
