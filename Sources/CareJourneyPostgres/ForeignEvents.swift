import CareJourneyCore
import CareJourneyStore
import Foundation
import Logging
import PostgresNIO

/// Another node's committed events, as this node's observers take them (`Engine.absorb`): each read from `events`
/// by the numbers its feed batch lists, and replayed onto its case's state just before it, so that it carries the
/// state, the stage it left and the effects it had, as the node that committed it saw them.
enum ForeignEvents {
    /// The events `batches` stored, in the order they were committed, each replayed (`fromAnotherNode`). A case
    /// removed since (disposed) is skipped; a case whose events do not replay (a bug, or a correction that rewrote
    /// what came before) is logged and skipped, never a reason to stop following the feed.
    static func read(
        _ batches: [FeedBatch], on connection: PostgresConnection, policies: PolicyBook, logger: Logger
    ) async throws -> [CommittedEvent] {
        let seqs = batches.flatMap(\.seqs)
        guard !seqs.isEmpty else { return [] }
        let rows = try await historyRows(
            """
            SELECT \(unescaped: PostgresHistory.columns) FROM events e
            WHERE e.seq = ANY(\(seqs)::bigint[]) ORDER BY e.seq
            """, on: connection, logger: logger)
        var first: [String: Int] = [:]
        for row in rows where first[row.caseID] == nil { first[row.caseID] = row.version }
        let ids = Array(first.keys)
        // Each case's stored snapshot, if it is older than its first event here; else it is replayed from its start.
        var bases: [String: (version: Int, state: CaseState)] = [:]
        for try await (id, snapshotVersion, stored) in try await connection.query(
            "SELECT id, state_version, state FROM cases WHERE id = ANY(\(ids)::text[])", logger: logger
        ).decode((String, Int64, ByteBuffer).self) {
            let usable = Int(snapshotVersion) < first[id]!
            let version = usable ? Int(snapshotVersion) : 0
            bases[id] = (version, try StateLoader.snapshot(of: CaseID(id), version: version, stored: Data(stored.readableBytesView)))
        }
        let known = bases.keys.sorted()
        let tails = try await historyRows(
            """
            SELECT \(unescaped: PostgresHistory.columns)
            FROM unnest(\(known)::text[], \(known.map { Int64(bases[$0]!.version) })::bigint[],
                        \(known.map { Int64(first[$0]!) })::bigint[]) AS k(id, base, first)
            JOIN events e ON e.case_id = k.id AND e.version > k.base AND e.version < k.first
            ORDER BY e.case_id, e.version
            """, on: connection, logger: logger)
        var states: [String: CaseState] = [:]
        var broken: Set<String> = []
        for row in tails where !broken.contains(row.caseID) {
            do {
                let state = states[row.caseID] ?? bases[row.caseID]!.state
                states[row.caseID] = try row.transition(
                    try row.event(), from: state, policy: try await policies.policy(row.policy, on: connection)
                ).state
            } catch {
                broken.insert(row.caseID)
                logger.error("another node's event on case \(row.caseID) is not shown here: its history does not replay: \(error)")
            }
        }
        var committed: [CommittedEvent] = []
        committed.reserveCapacity(rows.count)
        for row in rows where bases[row.caseID] != nil && !broken.contains(row.caseID) {
            let before = states[row.caseID] ?? bases[row.caseID]!.state
            do {
                let event = try row.event()
                let transition = try row.transition(
                    event, from: before, policy: try await policies.policy(row.policy, on: connection))
                states[row.caseID] = transition.state
                committed.append(
                    CommittedEvent(
                        seq: row.seq, version: row.version, state: transition.state, from: before.stage, event: event,
                        data: row.data, actor: row.actor, reason: row.reason, effects: transition.effects,
                        at: Date(timeIntervalSince1970: row.at), opened: [], fromAnotherNode: true))
            } catch {
                broken.insert(row.caseID)
                logger.error("another node's event on case \(row.caseID) is not shown here: it does not replay: \(error)")
            }
        }
        return committed
    }

    private static func historyRows(
        _ query: PostgresQuery, on connection: PostgresConnection, logger: Logger
    ) async throws -> [HistoryRow] {
        var rows: [HistoryRow] = []
        try await connection.forEachEvent(query, logger: logger) { rows.append($0) }
        return rows
    }
}
