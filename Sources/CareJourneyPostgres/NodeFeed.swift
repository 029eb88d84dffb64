import CareJourneyCore
import CareJourneyStore
import Foundation
import Logging
import PostgresNIO

/// The feed every node writes and reads when several share a store (design brief §3.10): one row per committed
/// batch of each node, `node_batches(node, n, seqs, removed, figures, at)`, numbered 1, 2, 3… without gaps per node,
/// so that the other nodes can carry its events on their event streams, its removals in their caches and its
/// figures in theirs, each once and in its order.
///
/// The row is written in the batch's own transaction (`append`), so it commits with the batch or not at all. After
/// the commit the writer rings the doorbell (`ring`): a `NOTIFY` on another connection, never in the data
/// transaction, whose commit would then take PostgreSQL's cluster-wide notify lock and serialise every node's
/// commits (brief §0.4). A doorbell is only a hint: notifications are not durable, so readers also poll
/// (`FeedReader`).
public enum NodeFeed {
    /// The channel doorbells ring on; the payload is `NODE N`.
    public static let channel = "carejourney_feed"

    /// Appends the row of `node`'s next batch inside the transaction `connection` is in (the batch's): its number
    /// is one more than the node's last. One writer per node: two writing as one node would collide on the key,
    /// and that transaction fails. It runs under the timeouts the caller's transaction set
    /// (`ClusterTimeouts.apply`, first thing in it).
    ///
    /// - Parameters:
    ///   - seqs: the numbers of the events the batch stored.
    ///   - removed: the cases it removed (disposed, or erased by a correction), which other nodes must forget.
    ///   - figures: the batch's change to the store's figures (kept as JSON text).
    ///   - now: when the batch committed, by the node's clock.
    /// - Returns: the batch's number, for the doorbell.
    /// - Throws: `StoreError` when the row cannot be written: the batch's transaction must then roll back.
    public static func append(
        node: NodeName, seqs: [Int64], removed: [CaseID], figures: StoreFigures, at now: Date,
        on connection: PostgresConnection, logger: Logger
    ) async throws(StoreError) -> Int64 {
        let removed = removed.map(\.rawValue)
        let what = "writing the node \(node)'s batch to the feed"
        try connection.requireOpen(what)
        return try await PostgresFailure.map(what) {
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            let figures = String(decoding: try encoder.encode(figures), as: UTF8.self)
            var number: Int64?
            for try await n in try await connection.query(
                """
                INSERT INTO node_batches (node, n, seqs, removed, figures, at)
                SELECT \(node.rawValue), coalesce(max(n), 0) + 1, \(seqs)::bigint[], \(removed)::text[], \(figures),
                    \(now.timeIntervalSince1970)
                FROM node_batches WHERE node = \(node.rawValue)
                RETURNING n
                """, logger: logger
            ).decode(Int64.self) {
                number = n
            }
            guard let number else { throw StoreError(.io, "the feed gave the node \(node)'s batch no number") }
            return number
        }
    }

    /// Rings the doorbell for `node`'s batch `n`, once its transaction committed, on `connection`, which must not
    /// be the one that wrote the batch while its transaction is open (`pg_notify` there would make that commit
    /// wait for every other notifying commit in the cluster).
    ///
    /// A failed ring loses nothing: readers poll. So the caller may log it and go on.
    public static func ring(
        node: NodeName, batch n: Int64, on connection: PostgresConnection, logger: Logger
    ) async throws(StoreError) {
        let payload = "\(node.rawValue) \(n)"
        let what = "ringing the feed's doorbell for the node \(node)"
        try connection.requireOpen(what)
        try await PostgresFailure.map(what) {
            try await connection.query("SELECT pg_notify(\(channel), \(payload))", logger: logger).drain()
        }
    }
}
