import CareJourneyCore
import Foundation
import GRDB
import Testing
import CareJourneyTestSupport

@testable import CareJourneyStore

@Suite struct SnapshotTests {
    /// A case in delivery (7 events) followed by 12 complaints received and concluded: 31 events.
    func storeWithALongHistory() async throws -> (CaseStore, CaseID, CaseState) {
        let store = try CaseStore(directory: temporaryDirectory())
        let (id, live) = try await withEngine(store, policy: try shippedPolicy()) { engine in
            let id = try await engine.caseInDelivery(at: start)
            var last: CaseState?
            for n in 0..<12 {
                last = try await engine.send(id, "complaint-received", at: start.addingTimeInterval(Double(n) * 60))?
                    .state
                // The last complaint stays open, so that the history is 31 events long.
                if n == 11 { break }
                last = try await engine.send(
                    id, "complaint-concluded", ["outcome": "not-upheld"],
                    at: start.addingTimeInterval(Double(n) * 60 + 30))?.state
            }
            return (id, try #require(last))
        }
        return (store, id, live)
    }

    func snapshotVersion(of id: CaseID, in store: CaseStore) async throws -> Int? {
        try await store.pool.read { db in
            try Int.fetchOne(db, sql: "SELECT state_version FROM cases WHERE id = ?", arguments: [id.rawValue])
        }
    }

    @Test func aShortHistoryHasNoSnapshotAndIsReplayedFromItsFirstEvent() async throws {
        let store = try CaseStore(directory: temporaryDirectory())
        let id = try await withEngine(store, policy: try shippedPolicy()) { engine in
            try await engine.caseInDelivery(at: start)
        }
        #expect(try await snapshotVersion(of: id, in: store) == 0)
        let record = try #require(try await store.record(of: id))
        #expect(record.version == 8)
        #expect(record.state.stage == .delivery)
        #expect(record.state.person?.name == "Ada")
        #expect(try store.verify().isClean)
    }

    @Test func aLongHistoryIsReadFromItsLatestSnapshotAndTheEventsAfterIt() async throws {
        let (store, id, live) = try await storeWithALongHistory()
        // 8 + 23 events: a snapshot at 16; the next is due at 32.
        #expect(try await snapshotVersion(of: id, in: store) == 16)
        let record = try #require(try await store.record(of: id))
        #expect(record.version == 31)
        #expect(record.state == live)
        #expect(record.state.complaint.received == 12)
        #expect(try store.verify().isClean)
    }

    @Test func aTamperedSnapshotIsFound() async throws {
        let (store, _, _) = try await storeWithALongHistory()
        try store.execute(
            #"UPDATE cases SET state = CAST(REPLACE(CAST(state AS TEXT), '"name":"Ada"', '"name":"Eve"') AS BLOB)"#)
        let report = try store.verify()
        #expect(
            report.differences.contains { $0.contains("the stored state (snapshot at version 16) differs") },
            "\(report.differences)")
    }

    /// `store verify` names the fields in which the stored state and its replayed history part, with both values
    /// and in the order of their paths; past three, it says how many more.
    @Test func aTamperedSnapshotIsFoundByTheFieldsThatDiffer() async throws {
        let (store, id, _) = try await storeWithALongHistory()
        try store.execute(
            #"UPDATE cases SET state = CAST(json_set(CAST(state AS TEXT), '$.stage', 'review', '$.person.name', 'Eve') AS BLOB)"#
        )
        let differs = "case \(id): the stored state (snapshot at version 16) differs from its replayed history: "
        #expect(
            try store.verify().differences == [
                differs + "person.name: stored Eve, replayed Ada; stage: stored review, replayed delivery"
            ])
        try store.execute(
            #"UPDATE cases SET state = CAST(json_set(CAST(state AS TEXT), '$.interimProvider', 'Nobody', '$.nextTaskNumber', 99) AS BLOB)"#
        )
        let found = try store.verify().differences
        #expect(found.count == 1, "\(found)")
        let fields = try #require(found.first?.dropFirst(differs.count)).components(separatedBy: "; ")
        #expect(fields.count == 4, "\(fields)")
        #expect(fields.first == "interimProvider: stored Nobody, replayed none")
        #expect(fields.dropFirst().first?.hasPrefix("nextTaskNumber: stored 99, replayed ") == true, "\(fields)")
        #expect(fields.dropFirst(2) == ["person.name: stored Eve, replayed Ada", "and 1 more field"])
    }

    /// The snapshot's dates (seconds since 1970) are read by the core's own decoder: a date moved by half a second
    /// is a difference named with both values, one that is not a number a snapshot that does not read back; the
    /// same date written again by SQLite is none.
    @Test(arguments: [
        ("json_extract(CAST(state AS TEXT), '$.openedAt') + 0", nil),
        (
            "json_extract(CAST(state AS TEXT), '$.openedAt') + 0.5",
            "differs from its replayed history: openedAt: stored OPENED.5, replayed OPENED"
        ),
        ("'yesterday'", "does not read back: "),
    ])
    func aSnapshotsDatesAreCheckedToTheFraction(openedAt: String, found: String?) async throws {
        let (store, id, live) = try await storeWithALongHistory()
        try store.execute(
            "UPDATE cases SET state = CAST(json_set(CAST(state AS TEXT), '$.openedAt', \(openedAt)) AS BLOB)")
        let report = try store.verify()
        #expect(report.isClean == (found == nil), "\(report.differences)")
        guard let found else { return }
        let opened = try #require(live.openedAt).timeIntervalSince1970
        #expect(opened == opened.rounded(), "the case opened on a whole second")
        let expected =
            "case \(id): the stored state (snapshot at version 16) "
            + found.replacingOccurrences(of: "OPENED", with: String(Int(opened)))
        #expect(report.differences.count == 1, "\(report.differences)")
        #expect(report.differences.first?.hasPrefix(expected) == true, "\(report.differences)")
        if openedAt == "'yesterday'" {
            #expect(report.differences.first?.contains("openedAt") == true, "\(report.differences)")
        } else {
            #expect(report.differences.first == expected)
        }
    }

    @Test func aVersion1StoreOpensAndMigrates() async throws {
        let directory = temporaryDirectory()
        let store = try CaseStore(directory: directory)
        let id = try await withEngine(store, policy: try shippedPolicy()) { engine in
            try await engine.caseInDelivery(at: start)
        }
        let live = try #require(try await store.record(of: id)?.state)
        // Make it a version-1 store: the full state in every row, no snapshot column, an index of events by name,
        // and neither v2 nor v3 applied.
        try store.execute(
            """
            ALTER TABLE cases DROP COLUMN state_version;
            CREATE INDEX events_by_name ON events(name);
            DELETE FROM grdb_migrations WHERE identifier LIKE 'v2%' OR identifier LIKE 'v3%';
            """)
        let old = try DatabaseQueue(path: store.path)
        try await old.write { db in
            try db.execute(
                sql: "UPDATE cases SET state = ? WHERE id = ?", arguments: [try StateCodec.encode(live), id.rawValue])
        }
        try old.close()
        let reopened = try CaseStore(directory: directory)
        let versions = try await reopened.pool.read { db in
            try Row.fetchOne(db, sql: "SELECT version, state_version FROM cases WHERE id = ?", arguments: [id.rawValue])
                .map { [$0["version"] as Int, $0["state_version"] as Int] }
        }
        #expect(versions == [8, 8])
        let indexes = try await reopened.pool.read { db in try db.indexes(on: "events").map(\.name) }
        #expect(!indexes.contains("events_by_name"))
        #expect(try await reopened.record(of: id)?.state == live)
        #expect(try reopened.verify().isClean)
    }

    @Test func aVersion4StoreDropsItsLeaseColumns() async throws {
        let directory = temporaryDirectory()
        let store = try CaseStore(directory: directory)
        // Make it a version-4 store: leases kept on the task rows, v5 not applied.
        try store.execute(
            """
            ALTER TABLE tasks ADD COLUMN leased_to TEXT;
            ALTER TABLE tasks ADD COLUMN lease_expires REAL;
            DELETE FROM grdb_migrations WHERE identifier LIKE 'v5%';
            """)
        let reopened = try CaseStore(directory: directory)
        let columns = try await reopened.pool.read { db in try db.columns(in: "tasks").map(\.name) }
        #expect(!columns.contains("leased_to") && !columns.contains("lease_expires"))
        #expect(columns.contains("attempts") && columns.contains("last_error"))
    }
}
