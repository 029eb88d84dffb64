import CareJourneyCore
import CareJourneyStore
import Foundation
import Logging
import PostgresNIO

/// One node's reading of the other nodes' feeds (`NodeFeed`): for each other node, the batches after the last one
/// read, each once, in that node's order, whatever connection each read is made on. Its positions are a value:
/// after a lost connection, the next read on a new one goes on from where the last ended.
///
/// ```swift
/// var reader = FeedReader(node: try NodeName("care-1:8080"))
/// try await reader.startAtEnd(on: connection, logger: logger)        // live pages and PUB start at "now"
/// try await reader.follow(on: listening, pollEvery: .seconds(1), logger: logger) { batches in … }
/// ```
///
/// The other nodes are those in `nodes` (`NodePresence.register`): a node registered after the reader started is
/// read from its first batch.
public struct FeedReader: Sendable {
    /// The reading node: its own batches are not read.
    public let node: NodeName
    /// The most batches of one node one read returns.
    public let limit: Int
    /// The lock and statement timeouts of each read.
    public let timeouts: ClusterTimeouts
    /// Each other node's last batch read (0: none yet); a node missing here is read from its first batch.
    public private(set) var positions: [NodeName: Int64] = [:]
    /// How many batches were never read because they were gone when read (deleted from the feed while this
    /// reader was behind): the figures should then be counted again.
    public private(set) var missed: Int64 = 0

    /// Creates a reader that reads every other node's batches from the first, until `startAtEnd` moves it.
    public init(node: NodeName, limit: Int = 200, timeouts: ClusterTimeouts = ClusterTimeouts()) {
        self.node = node
        self.limit = max(1, limit)
        self.timeouts = timeouts
    }

    /// Moves every other registered node's position to its last batch now: what the reader reads from then on is
    /// what was committed after this call.
    public mutating func startAtEnd(on connection: PostgresConnection, logger: Logger) async throws(StoreError) {
        let me = node
        positions = try await timeouts.transaction("finding the end of the other nodes' feeds", on: connection, logger: logger) {
            connection in
            var positions: [NodeName: Int64] = [:]
            for try await (name, last) in try await connection.query(
                """
                SELECT name, coalesce((SELECT max(n) FROM node_batches WHERE node = nodes.name), 0)
                FROM nodes WHERE name <> \(me.rawValue)
                """, logger: logger
            ).decode((String, Int64).self) {
                if let name = try? NodeName(name) { positions[name] = last }
            }
            return positions
        }
    }

    /// Reads, for each other node, up to `limit` batches after its position, and moves its position past them.
    ///
    /// - Returns: the batches, by node, in each node's order (`n` ascending).
    /// - Throws: `StoreError` when the read fails (positions stay where they were: the next read returns the same
    ///   batches), or `.corrupt` when a batch's figures cannot be read.
    public mutating func poll(on connection: PostgresConnection, logger: Logger) async throws(StoreError) -> [FeedBatch] {
        let known = positions.sorted { $0.key < $1.key }
        let (names, after) = (known.map(\.key.rawValue), known.map(\.value))
        let (me, limit) = (node, Int64(limit))
        let rows = try await timeouts.transaction("reading the other nodes' feeds", on: connection, logger: logger) {
            connection in
            var rows: [(String, Int64, [Int64], [String], String, Double)] = []
            for try await row in try await connection.query(
                """
                SELECT b.node, b.n, b.seqs, b.removed, b.figures, b.at
                FROM (SELECT nodes.name, coalesce(p.n, 0) AS after FROM nodes
                      LEFT JOIN unnest(\(names)::text[], \(after)::bigint[]) AS p(name, n) ON p.name = nodes.name
                      WHERE nodes.name <> \(me.rawValue)) AS k
                CROSS JOIN LATERAL (SELECT * FROM node_batches
                                    WHERE node = k.name AND n > k.after ORDER BY n LIMIT \(limit)) AS b
                ORDER BY b.node, b.n
                """, logger: logger
            ).decode((String, Int64, [Int64], [String], String, Double).self) {
                rows.append(row)
            }
            return rows
        }
        var (moved, missing) = (positions, missed)
        var batches: [FeedBatch] = []
        batches.reserveCapacity(rows.count)
        for (name, n, seqs, removed, figures, at) in rows {
            guard let origin = try? NodeName(name),
                let figures = try? JSONDecoder().decode(StoreFigures.self, from: Data(figures.utf8))
            else {
                throw StoreError(
                    .corrupt,
                    "the feed's batch \(n) of a node holds a node name or figures that cannot be read: was node_batches "
                        + "changed by hand? Delete that row; the figures are right again once every node restarts")
            }
            if let last = moved[origin], n > last + 1 { missing += n - last - 1 }
            moved[origin] = n
            batches.append(
                FeedBatch(
                    node: origin, n: n, seqs: seqs, removed: removed.map { CaseID($0) }, figures: figures,
                    at: Date(timeIntervalSince1970: at)))
        }
        (positions, missed) = (moved, missing)
        return batches
    }
}

/// One committed batch of another node, as the feed keeps it.
public struct FeedBatch: Sendable, Equatable {
    /// The node that committed it.
    public let node: NodeName
    /// Its number among that node's batches, from 1, without gaps.
    public let n: Int64
    /// The numbers of the events it stored.
    public let seqs: [Int64]
    /// The cases it removed.
    public let removed: [CaseID]
    /// Its change to the store's figures.
    public let figures: StoreFigures
    /// When it committed, by its node's clock.
    public let at: Date
}
