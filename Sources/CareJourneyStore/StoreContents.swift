import Foundation
import GRDB

/// What a store holds, in the terms an operator checks a backup or a restore by: how many cases and events, and the
/// last event committed (everything committed before it is in the store, nothing after it).
public struct StoreContents: Sendable, Equatable, CustomStringConvertible {
    /// Cases.
    public var cases: Int
    /// Events in their histories.
    public var events: Int
    /// The last event committed, if there is one.
    public var lastEvent: LastEvent?

    package init(cases: Int, events: Int, lastEvent: LastEvent?) {
        self.cases = cases
        self.events = events
        self.lastEvent = lastEvent
    }

    /// An event, by where it stands in the store.
    public struct LastEvent: Sendable, Equatable {
        /// Its place in the store's one sequence of events.
        public var seq: Int64
        /// Its case.
        public var caseID: String
        /// Its name (`review-due`).
        public var name: String
        /// When it happened, on the service's clock (scaled under `--time-scale`).
        public var at: Date
        /// When it was committed, on the wall clock.
        public var committedAt: Date

        package init(seq: Int64, caseID: String, name: String, at: Date, committedAt: Date) {
            self.seq = seq
            self.caseID = caseID
            self.name = name
            self.at = at
            self.committedAt = committedAt
        }
    }

    /// `120 case(s), 840 event(s); the last, #840 (sign-off on C-120), at … committed at …`.
    public var description: String {
        var text = "\(cases) case(s), \(events) event(s)"
        if let last = lastEvent {
            text +=
                "; the last, #\(last.seq) (\(last.name) on \(last.caseID)), at \(last.at.formatted(.iso8601)), "
                + "committed at \(last.committedAt.formatted(.iso8601))"
        }
        return text
    }
}

extension CaseStore {
    /// Counts the store's cases and events and reads its last event, from one snapshot.
    ///
    /// - Throws: `StoreError.io` when the store cannot be read.
    public func contents() throws(StoreError) -> StoreContents {
        try read { db in
            let last = try Row.fetchOne(
                db, sql: "SELECT seq, case_id, name, at, recorded_at FROM events ORDER BY seq DESC LIMIT 1"
            ).map { row in
                StoreContents.LastEvent(
                    seq: row["seq"], caseID: row["case_id"], name: row["name"],
                    at: Date(timeIntervalSince1970: row["at"]),
                    committedAt: Date(timeIntervalSince1970: row["recorded_at"]))
            }
            return StoreContents(
                cases: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM cases") ?? 0,
                events: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM events") ?? 0, lastEvent: last)
        }
    }
}
