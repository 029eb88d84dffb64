import CareJourneyCore
import Foundation
import GRDB

/// Replays stored histories case by case, each event under the policy it was applied under: what `store verify`
/// compares with the projections and what reports read.
package enum HistoryReplay {
    /// Replays the events `sql` selects (ordered by case, then version) and hands over each case's history when
    /// its last event is read.
    ///
    /// - Parameters:
    ///   - onFailure: called with an event that does not replay (it is left out and the case goes on); throw to
    ///     stop.
    static func forEachCase(
        in db: Database, sql: String, arguments: StatementArguments = [], policies: [String: Policy],
        onFailure: (StoreError) throws -> Void, _ body: (CaseHistory) throws -> Void
    ) throws {
        var replayer = Replayer(policies: policies)
        let cursor = try Row.fetchCursor(db, sql: sql, arguments: arguments)
        while let row = try cursor.next() {
            if let done = try replayer.feed(HistoryRow(row: row), onFailure: onFailure) { try body(done) }
        }
        if let done = replayer.finish() { try body(done) }
    }

    /// `forEachCase` over rows already read (ordered by case, then version).
    static func forEachCase(
        in rows: [HistoryRow], policies: [String: Policy], onFailure: (StoreError) throws -> Void,
        _ body: (CaseHistory) throws -> Void
    ) rethrows {
        var replayer = Replayer(policies: policies)
        for row in rows {
            if let done = try replayer.feed(row, onFailure: onFailure) { try body(done) }
        }
        if let done = replayer.finish() { try body(done) }
    }

    /// Builds one case's history at a time from rows ordered by case, then version, whichever store streams them.
    package struct Replayer {
        let policies: [String: Policy]
        var current: CaseHistory?

        package init(policies: [String: Policy]) { self.policies = policies }

        /// Adds `history`'s event; returns the previous case's history when `history` begins another case.
        package mutating func feed(_ history: HistoryRow, onFailure: (StoreError) throws -> Void) rethrows
            -> CaseHistory?
        {
            var done: CaseHistory?
            if current?.id.rawValue != history.caseID {
                done = current
                current = CaseHistory(id: CaseID(history.caseID))
            }
            do {
                let replayed = try StateLoader.replay(history, onto: current?.latest ?? CaseState(id: "")) {
                    fingerprint in
                    guard let policy = policies[fingerprint] else {
                        throw StoreError(
                            .corrupt,
                            "event \(history.seq) was applied under policy \(fingerprint), which the store does not hold"
                        )
                    }
                    return policy
                }
                current?.append(
                    replayed.event, at: Date(timeIntervalSince1970: history.at), state: replayed.state,
                    version: history.version)
            } catch {
                // StateLoader.replay says which event failed and why (it does not read, the policy is missing, or
                // the case refuses it).
                try onFailure(
                    error as? StoreError
                        ?? StoreError(.corrupt, "event \(history.seq) does not replay", cause: error))
            }
            return done
        }

        /// The last case's history.
        package mutating func finish() -> CaseHistory? {
            defer { current = nil }
            return current
        }
    }
}

extension CaseStore {
    /// How many cases `reduceHistories(activeFrom:)` reads: every case not closed before `from` (for a progress
    /// line; one pass over the cases).
    public func casesToReplay(activeFrom from: Date) async throws(StoreError) -> Int {
        try await readAsync { db in
            try Int.fetchOne(
                db, sql: "SELECT COUNT(*) FROM cases WHERE stage != 'closed' OR updated_at >= ?",
                arguments: [from.timeIntervalSince1970]) ?? 0
        }
    }

    /// Folds, from one consistent read, the replayed history of every case that may have something to report from
    /// `from` on: every case not closed before it. Runs beside a live server, off the caller's thread.
    ///
    /// - Parameters:
    ///   - initial: the accumulator to start from.
    ///   - update: folds one case's history into the accumulator.
    /// - Throws: `corrupt` if an event does not replay; `io` if the store cannot be read.
    public func reduceHistories<Accumulator: Sendable>(
        activeFrom from: Date, into initial: Accumulator,
        _ update: @escaping @Sendable (inout Accumulator, CaseHistory) -> Void
    ) async throws(StoreError) -> Accumulator {
        let policies = try policies()
        return try await readAsync { db in
            var accumulator = initial
            try HistoryReplay.forEachCase(
                in: db,
                sql: """
                    SELECT events.* FROM cases JOIN events ON events.case_id = cases.id
                    WHERE cases.stage != 'closed' OR cases.updated_at >= ?
                    ORDER BY events.case_id, events.version
                    """,
                arguments: [from.timeIntervalSince1970], policies: policies,
                onFailure: { throw $0 }
            ) { history in update(&accumulator, history) }
            return accumulator
        }
    }

    /// Folds the same histories as `reduceHistories(activeFrom:into:_:)`, `chunk` cases at a time, each chunk in a
    /// read of its own: for a summary beside a live service, where one read held for the minute a million cases
    /// take keeps the write-ahead log from being checkpointed while the writer goes on (it grew by gigabytes under
    /// a disposal run). Between two chunks, with no read of its own held, the WAL is checkpointed
    /// (`checkpointPassively`), so that the writer can start it again rather than grow it. Each case is read whole
    /// and consistent; cases committed between chunks are read as they then stand.
    public func reduceHistories<Accumulator: Sendable>(
        activeFrom from: Date, into initial: Accumulator, inChunksOf chunk: Int,
        _ update: @escaping @Sendable (inout Accumulator, CaseHistory) -> Void
    ) async throws(StoreError) -> Accumulator {
        try await reduceHistories(
            into: initial,
            chunkAfter: { db, after in
                try String.fetchAll(
                    db,
                    sql: """
                        SELECT id FROM cases WHERE id > ? AND (stage != 'closed' OR updated_at >= ?) ORDER BY id LIMIT ?
                        """, arguments: [after, from.timeIntervalSince1970, chunk])
            }, update)
    }

    /// Folds the replayed histories of the cases `ids` (those the store holds), in order of id, `chunk` at a time,
    /// each chunk in a read of its own as `reduceHistories(activeFrom:into:inChunksOf:_:)` does: the few cases a
    /// report reads again after its fold (`CaseHistoryReport.casesToReadAgain`), each folded as it is read, so that
    /// a council where many people come back is not held whole in memory.
    public func reduceHistories<Accumulator: Sendable>(
        of ids: [CaseID], into initial: Accumulator, inChunksOf chunk: Int,
        _ update: @escaping @Sendable (inout Accumulator, CaseHistory) -> Void
    ) async throws(StoreError) -> Accumulator {
        let sorted = Set(ids.map(\.rawValue)).sorted()
        return try await reduceHistories(
            into: initial,
            chunkAfter: { _, after in
                // The first id after `after`, by halving (the ids are sorted), then a chunk from there.
                var low = 0
                var high = sorted.count
                while low < high {
                    let middle = (low + high) / 2
                    if sorted[middle] <= after { low = middle + 1 } else { high = middle }
                }
                return Array(sorted[low..<min(sorted.count, low + max(1, chunk))])
            }, update)
    }

    /// Folds the histories of the cases `chunkAfter` names — the next chunk of ids after the last one folded (`""`
    /// at first), none once done — each chunk in a read of its own, checkpointing the WAL between two.
    private func reduceHistories<Accumulator: Sendable>(
        into initial: Accumulator, chunkAfter: @escaping @Sendable (Database, _ after: String) throws -> [String],
        _ update: @escaping @Sendable (inout Accumulator, CaseHistory) -> Void
    ) async throws(StoreError) -> Accumulator {
        let policies = try policies()
        let folded = Folded(initial)
        var next = ""
        while true {
            let after = next
            let last = try await readAsync { db -> String? in
                let ids = try chunkAfter(db, after)
                guard !ids.isEmpty else { return nil }
                try HistoryReplay.forEachCase(of: ids, in: db, policies: policies) { history in
                    update(&folded.value, history)
                }
                return ids.last
            }
            guard let last else { return folded.value }
            next = last
            await checkpointPassively()
        }
    }
}

extension HistoryReplay {
    /// `forEachCase` over the events of the cases `ids`, each history whole; an event that does not replay throws.
    static func forEachCase(
        of ids: [String], in db: Database, policies: [String: Policy], _ body: (CaseHistory) throws -> Void
    ) throws {
        try forEachCase(
            in: db,
            sql: """
                SELECT * FROM events WHERE case_id IN (\(ids.map { _ in "?" }.joined(separator: ", ")))
                ORDER BY case_id, version
                """,
            arguments: StatementArguments(ids), policies: policies, onFailure: { throw $0 }, body)
    }
}

/// The accumulator of a chunked fold, carried from one read to the next without a copy. Only one read runs at a
/// time (each awaited before the next begins), so it is never touched by two threads at once.
private final class Folded<Value>: @unchecked Sendable {
    var value: Value
    init(_ value: Value) { self.value = value }
}
