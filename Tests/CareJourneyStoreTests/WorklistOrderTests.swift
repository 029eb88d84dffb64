import CareJourneyCore
import Foundation
import GRDB
import Testing
import CareJourneyTestSupport

@testable import CareJourneyStore

/// Worklists read each queue through an index in the order asked for and merge the queues: every page, in every
/// order and with every filter, is what sorting all the matching tasks would give; counts stop at `countLimit`.
@Suite struct WorklistOrderTests {
    /// One task as the test wrote it.
    struct Written {
        let id: String
        let queue: String
        let due: Double?
        let created: Double
        let team: String
        let kind: String
        let rowid: Int64
    }

    /// A store with `cases` cases over three teams, each with one open task on one of three queues — due dates
    /// missing on a third, ties on due and created times — and a few tasks no longer open.
    func store(cases: Int) throws -> (CaseStore, [Written]) {
        let store = try CaseStore(directory: temporaryDirectory())
        var written: [Written] = []
        try store.pool.write { db in
            for number in 1...cases {
                let team = ["north", "south", "east"][number % 3]
                try db.execute(
                    sql: """
                        INSERT INTO cases (id, number, version, stage, name, updated_at, state, team)
                        VALUES (?, ?, 1, 'assessment', ?, 0, x'7b7d', ?)
                        """, arguments: ["C-\(number)", number, "Person \(number)", team])
                let queue = ["practice", "team-manager", "safeguarding"][(number / 3) % 3]
                let due: Double? = number % 3 == 0 ? nil : Double(1_000 + (number * 7) % 50)
                let created = Double((number * 13) % 40)
                let kind = number % 2 == 0 ? "screen-contact" : "assess-needs"
                let status = number % 10 == 0 ? "completed" : "open"
                try db.execute(
                    sql: """
                        INSERT INTO tasks (id, case_id, kind, queue, status, created_at, case_number, due, team, listed)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1)
                        """,
                    arguments: ["C-\(number)#1", "C-\(number)", kind, queue, status, created, number, due, team])
                if status == "open" {
                    written.append(
                        Written(
                            id: "C-\(number)#1", queue: queue, due: due, created: created, team: team, kind: kind,
                            rowid: db.lastInsertedRowID))
                }
            }
        }
        return (store, written)
    }

    /// What sorting every matching task gives.
    func expected(_ written: [Written], _ query: WorklistQuery) -> [String] {
        let matching = written.filter { task in
            query.queues.contains(task.queue) && (query.team == nil || task.team == query.team)
                && (query.kind == nil || task.kind == query.kind?.rawValue)
        }
        let sorted = matching.sorted { a, b in
            let tie = (a.created, a.rowid) < (b.created, b.rowid)
            guard query.order == .due else { return tie }
            switch (a.due, b.due) {
            case (let x?, let y?): return x != y ? x < y : tie
            case (.some, nil): return true
            case (nil, .some): return false
            case (nil, nil): return tie
            }
        }
        return sorted.dropFirst(query.offset).prefix(query.limit).map(\.id)
    }

    @Test func everyPageInEveryOrderIsTheWholeSortedList() async throws {
        let (store, written) = try store(cases: 300)
        for order in WorklistQuery.Order.allCases {
            for queues in [["practice"], ["practice", "team-manager", "safeguarding"], ["safeguarding", "practice"]] {
                for team in [nil, "south"] {
                    for kind in [nil, TaskKind.screenContact] {
                        for offset in [0, 7, 40, 260] {
                            var query = WorklistQuery(queues: queues)
                            query.order = order
                            query.team = team
                            query.kind = kind
                            query.offset = offset
                            query.limit = 20
                            let page = try await store.worklist(query)
                            let want = expected(written, query)
                            #expect(
                                page.items.map(\.task.id) == want,
                                "\(order) \(queues) team \(team ?? "any") kind \(kind?.rawValue ?? "any") from \(offset)")
                            let all = written.filter { task in
                                queues.contains(task.queue) && (team == nil || task.team == team)
                                    && (kind == nil || task.kind == kind?.rawValue)
                            }
                            #expect(page.total == all.count)
                            #expect(!page.totalIsAtLeast)
                        }
                    }
                }
            }
        }
        // The cases come with their tasks.
        var query = WorklistQuery(queues: ["practice"])
        query.limit = 1
        let first = try #require(try await store.worklist(query).items.first)
        #expect(first.personName == "Person \(first.task.caseID.rawValue.dropFirst(2))")
        #expect(first.stage == "assessment")
    }

    @Test func aCountStopsAtTheLimitAndSaysSo() async throws {
        let store = try CaseStore(directory: temporaryDirectory())
        let many = WorklistPage.countLimit + 25
        try await store.pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO cases (id, number, version, stage, name, updated_at, state)
                    VALUES ('C-1', 1, 1, 'assessment', 'Ada', 0, x'7b7d')
                    """)
            for number in 1...many {
                try db.execute(
                    sql: """
                        INSERT INTO tasks (id, case_id, kind, queue, status, created_at, case_number, listed)
                        VALUES (?, 'C-1', 'screen-contact', 'practice', 'open', ?, 1, 1)
                        """, arguments: ["C-1#\(number)", Double(number)])
            }
        }
        var query = WorklistQuery(queues: ["practice"])
        query.order = .age
        query.offset = many - 5
        let last = try await store.worklist(query)
        #expect(last.total == WorklistPage.countLimit)
        #expect(last.totalIsAtLeast)
        #expect(last.items.map(\.task.id) == (many - 4...many).map { "C-1#\($0)" })
    }

    @Test func failedTasksOnEveryQueueAreMergedInTheOrderTheyWereMade() async throws {
        let store = try CaseStore(directory: temporaryDirectory())
        let failed = (1...40).filter { $0 % 3 == 0 }.map { "C-1#\($0)" }
        try await store.pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO cases (id, number, version, stage, name, updated_at, state)
                    VALUES ('C-1', 1, 1, 'assessment', 'Ada', 0, x'7b7d')
                    """)
            for number in 1...40 {
                let queue = ["brokerage", "advocacy", "finance", "zebra"][number % 4]
                let status = number % 3 == 0 ? "failed" : number % 3 == 1 ? "completed" : "open"
                try db.execute(
                    sql: """
                        INSERT INTO tasks (id, case_id, kind, queue, status, created_at, case_number)
                        VALUES (?, 'C-1', 'find-provider', ?, ?, ?, 1)
                        """, arguments: ["C-1#\(number)", queue, status, Double(number)])
            }
        }
        #expect(try await store.tasks(on: nil, status: "failed", limit: 100).map(\.id) == failed)
        #expect(try await store.tasks(on: nil, status: "failed", limit: 5).map(\.id) == Array(failed.prefix(5)))
        #expect(try await store.tasks(on: "zebra", status: "failed", limit: 100).map(\.queue).allSatisfy { $0 == "zebra" })
        #expect(try await store.tasks(on: nil, status: "completed", limit: 100).count == 14)
    }

    @Test func theWorklistIndexesAreTheOnesRead() throws {
        let (store, _) = try store(cases: 30)
        // Each queue's page is read through the index in its order, with no sort of the queue's tasks.
        try store.pool.read { db in
            let orders = [
                ("tasks_listed_by_due", "", "t.due, t.created_at, t.rowid"),
                ("tasks_listed_by_age", "", "t.created_at, t.rowid"),
                ("tasks_team_by_due", "t.team = 'south' AND", "t.due, t.created_at, t.rowid"),
                ("tasks_team_by_age", "t.team = 'south' AND", "t.created_at, t.rowid"),
            ]
            for (index, team, order) in orders {
                let plan = try Row.fetchAll(
                    db,
                    sql: """
                        EXPLAIN QUERY PLAN SELECT t.* FROM tasks t INDEXED BY \(index)
                        WHERE \(team) t.queue = 'practice' AND t.status = 'open' AND t.listed = 1 ORDER BY \(order)
                        LIMIT 10
                        """
                ).map { $0["detail"] as String }
                #expect(plan.contains { $0.contains(index) }, "\(plan)")
                #expect(!plan.contains { $0.contains("TEMP B-TREE") }, "\(plan)")
            }
        }
    }
}
