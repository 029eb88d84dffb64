import CareJourneyCore
import CareJourneyTestSupport
import Foundation
import GRDB
import Testing

@testable import CareJourneyStore

/// The writer's statements bound straight through SQLite's C API (`Statement.run`) store exactly what GRDB's
/// `execute(arguments:)` stores, refuse what GRDB refuses, and leave a statement that failed ready to run again.
@Suite struct StatementRunTests {
    private func database() throws -> DatabaseQueue {
        let queue = try DatabaseQueue(path: temporaryDirectory() + "/run.sqlite")
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE t (n INTEGER, x REAL, s TEXT, b BLOB, o, yes, v, UNIQUE (n))")
        }
        return queue
    }

    private let insert = "INSERT INTO t (n, x, s, b, o, yes, v) VALUES (?, ?, ?, ?, ?, ?, ?)"

    @Test func valuesAreStoredAsGRDBStoresThem() throws {
        let queue = try database()
        let texts = [
            "", "a", "Zoë O'Brien-Smith", "a longer text than fits in a small string's sixteen bytes", "a\u{0}b",
        ]
        let rows: [(run: Row, grdb: Row)] = try queue.write { db in
            try texts.enumerated().map { index, text in
                let absent: String? = nil
                let value = text.databaseValue
                try db.cachedStatement(sql: insert).run(
                    index, 1.5, text, Data(text.utf8), absent, index.isMultiple(of: 2), value)
                let ran = try #require(try Row.fetchOne(db, sql: "SELECT * FROM t WHERE n = ?", arguments: [index]))
                try db.execute(sql: "DELETE FROM t")
                try db.execute(
                    sql: insert,
                    arguments: [index, 1.5, text, Data(text.utf8), absent, index.isMultiple(of: 2), value])
                let grdb = try #require(try Row.fetchOne(db, sql: "SELECT * FROM t WHERE n = ?", arguments: [index]))
                try db.execute(sql: "DELETE FROM t")
                return (ran, grdb)
            }
        }
        for (index, row) in rows.enumerated() {
            #expect(row.run == row.grdb, "\(texts[index].debugDescription)")
        }
        #expect(rows[0].run["s"] as String? == "", "an empty text stays text, not NULL")
        #expect(rows[0].run["o"] as DatabaseValue == .null)
    }

    @Test func valuesBoundOneByOneFillTheParametersInOrder() throws {
        let queue = try database()
        let stored = try queue.write { db in
            try db.cachedStatement(sql: insert).run { parameters in
                for value in [7, 2, 3, 4, 5, 6, 1] as [Int] { parameters.bind(value) }
            }
            return try Row.fetchOne(db, sql: "SELECT n, x, s, b, o, yes, v FROM t")
        }
        #expect(stored == ["n": 7, "x": 2.0, "s": "3", "b": 4, "o": 5, "yes": 6, "v": 1])
    }

    @Test func theWrongNumberOfValuesIsRefusedAndNothingIsWritten() throws {
        let queue = try database()
        try queue.write { (db: Database) throws in
            let error = #expect(throws: DatabaseError.self) {
                try db.cachedStatement(sql: "INSERT INTO t (n, s) VALUES (?, ?)").run(1)
            }
            #expect(error?.resultCode == .SQLITE_MISUSE)
            #expect(error?.message == "1 values for 2 parameters")
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM t") == 0)
        }
    }

    @Test func aStatementThatFailsThrowsSQLitesErrorAndRunsAgainAfterwards() throws {
        let queue = try database()
        try queue.write { (db: Database) throws in
            let statement = try db.cachedStatement(sql: "INSERT INTO t (n, s) VALUES (?, ?)")
            try statement.run(1, "first")
            let error = #expect(throws: DatabaseError.self) { try statement.run(1, "again") }
            #expect(error?.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE)
            #expect(error?.message == "UNIQUE constraint failed: t.n")
            #expect(error?.sql == "INSERT INTO t (n, s) VALUES (?, ?)")
            // GRDB's own execution of the cached statement, which resets it first, is not disturbed by the failure.
            try db.cachedStatement(sql: "INSERT INTO t (n, s) VALUES (?, ?)").execute(arguments: [3, "third"])
            try statement.run(2, "second")
            #expect(try String.fetchAll(db, sql: "SELECT s FROM t ORDER BY n") == ["first", "second", "third"])
        }
    }

    @Test func aWriteTheStoreRefusesFailsItsBatchAndTheNextBatchCommits() async throws {
        let store = try CaseStore(directory: temporaryDirectory())
        try await withEngine(store, policy: try shippedPolicy()) { engine in
            let contact: JSONValue = ["name": "Ada", "clientType": "adult", "route": "gp"]
            let ada = try #require(try await engine.send(nil, "contact", contact, at: start)).state.id
            try store.execute(
                """
                CREATE TRIGGER refuse BEFORE INSERT ON events WHEN NEW.actor = 'refused'
                BEGIN SELECT RAISE(ABORT, 'refused by the test'); END
                """)
            let refused = Command(caseID: ada, event: try event("start-assessment"), actor: "refused", at: start)
            let error = await #expect(throws: StoreError.self) { try await engine.apply(refused) }
            #expect(error?.code == .io)
            #expect(error?.cause?.contains("refused by the test") == true)
            #expect(try await store.record(of: ada)?.version == 1)
            // The same statements write the next batch.
            let assessed = try #require(try await engine.send(ada, "start-assessment", at: start))
            #expect(assessed.version == 2)
            #expect(try await store.record(of: ada)?.state.stage == .assessment)
        }
    }
}
