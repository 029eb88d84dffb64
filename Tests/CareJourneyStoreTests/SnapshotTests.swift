import CareJourneyCore
import Foundation
import GRDB
import Testing

@testable import CareJourneyStore

@Suite struct SnapshotTests {
    @Test func aLongHistoryIsReadFromItsLatestSnapshotAndTheEventsAfterIt() async throws {
        let store = try CaseStore(directory: temporaryDirectory())
        let (id, live) = try await withEngine(store, policy: try shippedPolicy()) { engine in
            let id = try await engine.caseInDelivery(at: start)
            var last: CaseState?
            for n in 0..<12 {
                last = try await engine.send(id, "complaint-received", at: start.addingTimeInterval(Double(n) * 60))?
                    .state
                last = try await engine.send(
                    id, "complaint-concluded", ["outcome": "not-upheld"],
                    at: start.addingTimeInterval(Double(n) * 60 + 30))?.state
            }
            return (id, try #require(last))
        }
        // 7 + 24 events: snapshots at 1, 17 and 31 (its 16th after the last).
        let snapshot = try await store.pool.read { db in
            try Int.fetchOne(db, sql: "SELECT state_version FROM cases WHERE id = ?", arguments: [id.rawValue])
        }
        #expect(snapshot == 17)
        let record = try #require(try await store.record(of: id))
        #expect(record.version == 31)
        #expect(record.state == live)
        #expect(record.state.complaint.received == 12)
        #expect(try store.verify().isClean)
    }

    @Test func aStoreWrittenBeforeSnapshotsOpensAndMigrates() async throws {
        let directory = temporaryDirectory()
        let store = try CaseStore(directory: directory)
        let id = try await withEngine(store, policy: try shippedPolicy()) { engine in
            try await engine.caseInDelivery(at: start)
        }
        let live = try #require(try await store.record(of: id)?.state)
        // Make it a version-1 store: the full state in every row, no snapshot column, v2 not applied.
        try store.execute(
            """
            ALTER TABLE cases DROP COLUMN state_version;
            DELETE FROM grdb_migrations WHERE identifier LIKE 'v2%';
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
        #expect(versions == [7, 7])
        #expect(try await reopened.record(of: id)?.state == live)
        #expect(try reopened.verify().isClean)
    }
}
