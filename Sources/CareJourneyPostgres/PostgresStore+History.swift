import CareJourneyCore
import CareJourneyStore
import Foundation
import Logging
import PostgresNIO

/// Whole histories, replayed for reports and planning, as `CaseStore` replays them (`HistoryReplay`): each event
/// under the policy it was applied under. The events stream from the server case by case; only the case being
/// replayed is held in memory, whatever the store's size.
extension PostgresStore: HistoryReading {
    /// How many cases `reduceHistories(activeFrom:into:_:)` reads: every case not closed before `from`.
    public func casesToReplay(activeFrom from: Date) async throws(StoreError) -> Int {
        let logger = logger
        return try await withConnection("counting the cases to replay") { connection in
            try await connection.integer(
                "SELECT COUNT(*) FROM cases WHERE stage <> 'closed' OR updated_at >= \(from.timeIntervalSince1970)",
                logger: logger)
        }
    }

    /// Folds, from one consistent read (a `REPEATABLE READ` transaction), the replayed history of every case not
    /// closed before `from`, in order of case id.
    ///
    /// - Throws: `corrupt` if an event does not replay; `io` if the store cannot be read.
    public func reduceHistories<Accumulator: Sendable>(
        activeFrom from: Date, into initial: Accumulator,
        _ update: @escaping @Sendable (inout Accumulator, CaseHistory) -> Void
    ) async throws(StoreError) -> Accumulator {
        let logger = logger
        return try await withSnapshot("replaying the histories") { connection in
            try await Self.fold(
                """
                SELECT \(unescaped: PostgresHistory.columns) FROM cases c JOIN events e ON e.case_id = c.id
                WHERE c.stage <> 'closed' OR c.updated_at >= \(from.timeIntervalSince1970)
                ORDER BY e.case_id, e.version
                """, on: connection, logger: logger,
                policies: try await connection.policies(logger: logger), into: initial, update)
        }
    }

    /// Folds the same histories `chunk` cases at a time, each chunk in a transaction of its own: no snapshot is
    /// held for the whole fold, so PostgreSQL's autovacuum is not held back beside a live service. Each case is read
    /// whole and consistent; cases committed between chunks are read as they then stand.
    public func reduceHistories<Accumulator: Sendable>(
        activeFrom from: Date, into initial: Accumulator, inChunksOf chunk: Int,
        _ update: @escaping @Sendable (inout Accumulator, CaseHistory) -> Void
    ) async throws(StoreError) -> Accumulator {
        let logger = logger
        let size = max(1, chunk)
        return try await reduceHistories(into: initial, update) { connection, after in
            var ids: [String] = []
            for try await id in try await connection.query(
                """
                SELECT id FROM cases
                WHERE id > \(after) AND (stage <> 'closed' OR updated_at >= \(from.timeIntervalSince1970))
                ORDER BY id LIMIT \(size)
                """, logger: logger
            ).decode(String.self) {
                ids.append(id)
            }
            return ids
        }
    }

    /// Folds the replayed histories of the cases `ids` (those the store holds), in order of id, `chunk` at a time,
    /// each chunk in a transaction of its own.
    public func reduceHistories<Accumulator: Sendable>(
        of ids: [CaseID], into initial: Accumulator, inChunksOf chunk: Int,
        _ update: @escaping @Sendable (inout Accumulator, CaseHistory) -> Void
    ) async throws(StoreError) -> Accumulator {
        let sorted = Set(ids.map(\.rawValue)).sorted()
        let size = max(1, chunk)
        return try await reduceHistories(into: initial, update) { _, after in
            let start = sorted.partitioningIndex { $0 > after }
            return Array(sorted[start..<min(sorted.count, start + size)])
        }
    }

    /// Folds the histories of the cases `chunkAfter` names — the next chunk of ids after the last one folded (`""`
    /// at first), none once done — each chunk in a read of its own.
    private func reduceHistories<Accumulator: Sendable>(
        into initial: Accumulator, _ update: @escaping @Sendable (inout Accumulator, CaseHistory) -> Void,
        chunkAfter: @escaping @Sendable (PostgresConnection, _ after: String) async throws -> [String]
    ) async throws(StoreError) -> Accumulator {
        let logger = logger
        var folded = initial
        var after = ""
        while true {
            let (next, last) = try await withSnapshot("replaying a chunk of histories") {
                [folded, after] (connection) -> (Accumulator, String?) in
                let ids = try await chunkAfter(connection, after)
                guard !ids.isEmpty else { return (folded, nil) }
                let next = try await Self.fold(
                    """
                    SELECT \(unescaped: PostgresHistory.columns) FROM events e WHERE e.case_id = ANY(\(ids)::text[])
                    ORDER BY e.case_id, e.version
                    """, on: connection, logger: logger, policies: try await connection.policies(logger: logger),
                    into: folded, update)
                return (next, ids.last)
            }
            folded = next
            guard let last else { return folded }
            after = last
        }
    }

    /// Folds the histories of the events `query` selects (`PostgresHistory.columns`, by case then version) into
    /// `initial`, as they stream; an event that does not replay throws.
    static func fold<Accumulator>(
        _ query: PostgresQuery, on connection: PostgresConnection, logger: Logger, policies: [String: Policy],
        into initial: Accumulator, _ update: (inout Accumulator, CaseHistory) -> Void
    ) async throws -> Accumulator {
        var accumulator = initial
        var replayer = HistoryReplay.Replayer(policies: policies)
        try await connection.forEachEvent(query, logger: logger) { row in
            if let done = try replayer.feed(row, onFailure: { throw $0 }) { update(&accumulator, done) }
        }
        if let done = replayer.finish() { update(&accumulator, done) }
        return accumulator
    }

    /// Reads the open cases as of `now` (or an even sample of about `sample` of them, every n-th by case number) and
    /// the last year's contacts, as `CaseStore.planningStart` does: the states a thousand cases a transaction, so
    /// that no snapshot is held for the whole read.
    public func planningStart(asOf now: Date, sample: Int?) async throws(StoreError) -> PlanningStart {
        let logger = logger
        let open = try await withConnection("listing the open cases") { connection in
            var ids: [String] = []
            for try await id in try await connection.query(
                "SELECT id FROM cases WHERE stage NOT IN ('closed', 'new') ORDER BY number", logger: logger
            ).decode(String.self) {
                ids.append(id)
            }
            return ids
        }
        let step = sample.map { max(1, Int((Double(open.count) / Double(max($0, 1))).rounded(.up))) } ?? 1
        let chosen = stride(from: 0, to: open.count, by: step).map { open[$0] }
        var states: [CaseState] = []
        states.reserveCapacity(chosen.count)
        for start in stride(from: 0, to: chosen.count, by: CaseStore.planningChunk) {
            let ids = Array(chosen[start..<min(start + CaseStore.planningChunk, chosen.count)])
            let read = try await withSnapshot("reading the open cases' states") { [self] connection in
                try await PostgresHistory.states(of: ids, on: connection, logger: logger) {
                    try await policy($0, on: connection)
                }.mapValues { try $0.get().state }
            }
            states += ids.compactMap { read[$0] }
        }
        let contacts = try await contactsInYear(before: now, sample: sample)
        return PlanningStart(asOf: now, openCases: states, openCaseCount: open.count, contactsInLastYear: contacts)
    }

    /// Contacts recorded in the 365 days before `now`: all of them without a sample, else those of about `sample`
    /// cases — every n-th case number ever given — multiplied by n (as `CaseStore` estimates them).
    private func contactsInYear(before now: Date, sample: Int?) async throws(StoreError) -> Int {
        let logger = logger
        let (from, to) = (now.timeIntervalSince1970 - 365 * 86_400, now.timeIntervalSince1970)
        return try await withSnapshot("counting the last year's contacts") { connection in
            let highest = try await connection.integer("SELECT MAX(number) FROM cases", logger: logger)
            guard let sample, highest > sample else {
                return try await connection.integer(
                    "SELECT COUNT(*) FROM events WHERE name = 'contact' AND at > \(from) AND at <= \(to)",
                    logger: logger)
            }
            let step = Int((Double(highest) / Double(max(sample, 1))).rounded(.up))
            let numbers = stride(from: 1, through: highest, by: step).map { Int64($0) }
            let contacts = try await connection.integer(
                """
                SELECT COUNT(*) FROM cases c JOIN events e ON e.case_id = c.id
                WHERE c.number = ANY(\(numbers)::bigint[]) AND e.name = 'contact' AND e.at > \(from) AND e.at <= \(to)
                """, logger: logger)
            return contacts * step
        }
    }
}

extension Array where Element == String {
    /// The index of the first element for which `belongs` holds, in an array where it holds for a suffix (by halving).
    fileprivate func partitioningIndex(where belongs: (String) -> Bool) -> Int {
        var (low, high) = (0, count)
        while low < high {
            let middle = (low + high) / 2
            if belongs(self[middle]) { high = middle } else { low = middle + 1 }
        }
        return low
    }
}
