import CareJourneyCore
import CareJourneyTestSupport
import Foundation
import GRDB
import Testing

@testable import CareJourneyStore

/// The outbox keeps few indexes (migration v14): a case's tasks are found through the primary key, and figures
/// through the partial indexes of open and of other tasks.
@Suite struct TaskRowsTests {
    /// Eleven cases, so that C-1's key range sits beside C-10's and C-11's, with tasks resolved and open.
    static func store() async throws -> CaseStore {
        let store = try CaseStore(directory: temporaryDirectory())
        try await withEngine(store, policy: try shippedPolicy()) { engine in
            for number in 1...11 {
                let id = try #require(
                    try await engine.send(
                        nil, "contact", ["name": .string("P\(number)"), "clientType": "adult", "route": "gp"], at: start)
                ).state.id
                // Half of them move on, resolving their first task and opening another.
                if number.isMultiple(of: 2), let step = EventCatalog.pathToDelivery.first {
                    try await engine.send(id, step.name.rawValue, step.data, at: start)
                }
            }
        }
        return store
    }

    @Test func aCaseRecordHasItsOwnTasksAndNoOtherCases() async throws {
        let store = try await Self.store()
        // A case whose id begins with another's id and `#` falls in the other's key range: `case_id` keeps it out.
        try store.execute(
            """
            INSERT INTO tasks (id, case_id, case_number, kind, queue, status, created_at)
            VALUES ('C-1#9#1', 'C-1#9', 99, 'screen-contact', 'practice', 'open', 0)
            """)
        for number in [1, 10, 11] {
            let id = CaseID("C-\(number)")
            let record = try #require(try await store.record(of: id))
            let expected = try store.count("SELECT COUNT(*) FROM tasks WHERE case_id = '\(id)'")
            #expect(expected > 0)
            #expect(record.tasks.count == expected)
            #expect(record.tasks.allSatisfy { $0.id.hasPrefix("\(id)#") && !$0.id.hasPrefix("C-1#9#") })
        }
    }

    @Test func queriesUseTheKeyAndThePartialIndexesNotAScan() async throws {
        let store = try await Self.store()
        func plan(_ sql: String) async throws -> String {
            try await store.pool.read { db in
                try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: ["case": "C-1"])
                    .map { $0["detail"] as String }.joined(separator: "; ")
            }
        }
        let ofCase = try await plan("SELECT * FROM tasks WHERE \(TaskRows.ofCase(":case"))")
        #expect(ofCase.contains("sqlite_autoindex_tasks_1"), "\(ofCase)")
        let counts = try await plan(StoreFigures.taskCounts)
        #expect(counts.contains("tasks_open_by_queue") && counts.contains("tasks_closed_by_queue"), "\(counts)")
        #expect(!counts.split(separator: "; ").contains("SCAN tasks"), "\(counts)")
    }

    @Test func figuresCountedThroughTheIndexesMatchEveryRow() async throws {
        let store = try await Self.store()
        let figures = try await store.pool.read { db in try StoreFigures.count(in: db) }
        let rows = try store.pool.read { db in
            try Row.fetchAll(db, sql: "SELECT queue, status, COUNT(*) AS n FROM tasks NOT INDEXED GROUP BY queue, status")
        }
        #expect(!rows.isEmpty)
        for row in rows {
            let status = try #require(TaskStatus(rawValue: row["status"]))
            #expect(figures.tasks[row["queue"]]?[status] == row["n"], "\(row)")
        }
        let counted: Int = figures.tasks.values.flatMap(\.values).reduce(0, +)
        let all: Int = rows.map { row -> Int in row["n"] }.reduce(0, +)
        #expect(counted == all)
    }
}
