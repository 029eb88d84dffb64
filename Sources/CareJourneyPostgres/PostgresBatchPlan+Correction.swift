import CareJourneyCore
import CareJourneyStore
import Foundation
import Logging
import PostgresNIO

/// `correct-record` on PostgreSQL, worked out by the rule SQLite's writer uses (`TransitionRules.rewrite`): the
/// case's history is read once a batch (its stored events, then those the batch added before the correction), the
/// corrected event's data is rewritten (a stored event's with one `UPDATE` a batch, an event of this batch before it
/// is inserted), and the case, replayed, gets a fresh snapshot with the correction's event.
extension PostgresBatchPlan {
    /// Works out `correction` of case `id` (now `current`) from its history as this batch leaves it.
    ///
    /// - Throws: `StoreError` when the history or one of its policies cannot be read.
    mutating func rewrite(_ id: CaseID, by correction: Correction, current: CaseState, command: Command) async throws
        -> Result<TransitionRules.Rewrite, TransitionError>
    {
        let history = try await self.history(of: id)
        var policies = [batch.policyFingerprint: batch.policy]
        for fingerprint in Set(history.map(\.policy)) where policies[fingerprint] == nil {
            policies[fingerprint] = try await writer.policy(fingerprint, on: connection)
        }
        let worked = try TransitionRules.rewrite(
            id, by: correction, current: current, command: command, history: history, policy: batch.policy
        ) { fingerprint in
            guard let policy = policies[fingerprint] else {
                throw StoreError(.corrupt, "policy \(fingerprint) of case \(id)'s events is not in the store")
            }
            return policy
        }
        if case .success = worked { corrections.corrected(id) }
        return worked
    }

    /// Case `id`'s events in order: those stored (read once a batch, with the data corrections of this batch gave
    /// them), then those this batch added.
    private mutating func history(of id: CaseID) async throws -> [HistoryRow] {
        if corrections.histories[id] == nil {
            var rows: [PostgresCorrections.StoredEvent] = []
            for try await row in try await connection.query(
                """
                SELECT seq, version, name, data, at, actor, reason, policy, late FROM events
                WHERE case_id = \(id.rawValue) ORDER BY version
                """, logger: logger
            ).decode((Int64, Int64, String, String, Double, String, String?, String, Double?).self) {
                rows.append(row)
            }
            corrections.histories[id] = rows
        }
        let stored = corrections.histories[id]!.map { row in
            HistoryRow(
                seq: row.seq, caseID: id.rawValue, version: Int(row.version), name: row.name,
                data: corrections.data(of: id, Int(row.version)) ?? row.data, at: row.at, actor: row.actor,
                reason: row.reason, policy: row.policy, late: row.late)
        }
        let added = events.filter { $0.state.id == id }.map { event in
            HistoryRow(
                seq: 0, caseID: id.rawValue, version: event.version, name: event.event.name.rawValue,
                data: event.storedData, at: event.command.at.timeIntervalSince1970, actor: event.command.actor,
                reason: event.command.reason, policy: batch.policyFingerprint, late: event.command.late)
        }
        return stored + added
    }

    /// Gives event `version` of case `id` the corrected `data`: an event of this batch before it is inserted, a
    /// stored one by `PostgresCorrections.write`.
    mutating func rewriteEvent(_ version: Int, of id: CaseID, to data: String) {
        if let index = events.lastIndex(where: { $0.state.id == id && $0.version == version }) {
            events[index].storedData = data
        } else {
            corrections.rewrite(version, of: id, to: data)
        }
    }
}

/// What a batch's corrections change in stored events, and the cases they corrected.
struct PostgresCorrections {
    /// A stored event as read.
    typealias StoredEvent = (
        seq: Int64, version: Int64, name: String, data: String, at: Double, actor: String, reason: String?,
        policy: String, late: Double?
    )

    /// Stored events' histories as read, by case.
    var histories: [CaseID: [StoredEvent]] = [:]
    /// Stored events' corrected data, by case and version, and the order they were corrected in.
    private var data: [CaseID: [Int: String]] = [:]
    private var order: [(CaseID, Int)] = []
    /// The cases corrected, in order: other nodes forget what they hold of them (`NodeFeed`'s `removed`).
    private(set) var cases: [CaseID] = []

    mutating func corrected(_ id: CaseID) {
        if !cases.contains(id) { cases.append(id) }
    }

    mutating func rewrite(_ version: Int, of id: CaseID, to data: String) {
        if self.data[id, default: [:]].updateValue(data, forKey: version) == nil { order.append((id, version)) }
    }

    /// The data this batch's corrections gave the stored event `version` of case `id`, if they did.
    func data(of id: CaseID, _ version: Int) -> String? { data[id]?[version] }

    /// Writes the corrected data over the stored events', one statement.
    func write(on connection: PostgresConnection, logger: Logger) async throws {
        guard !order.isEmpty else { return }
        try await connection.query(
            """
            UPDATE events e SET data = u.d
            FROM unnest(\(PostgresArray(order.map { .text($0.0.rawValue) }).literal)::text[],
                \(PostgresArray(order.map { .int($0.1) }).literal)::bigint[],
                \(PostgresArray(order.map { .text(data[$0.0]![$0.1]!) }).literal)::text[]) AS u(c, v, d)
            WHERE e.case_id = u.c AND e.version = u.v
            """, logger: logger
        ).drain()
    }
}
