import CareJourneyClock
import CareJourneyCore
import CareJourneyStore
import CareJourneyTestSupport
import Foundation
import PostgresNIO
import Testing

@testable import CareJourneyPostgres
@testable import CareJourneyStore

/// The reads of `PostgresStore` answer what `CaseStore`'s answer for the same store (written through the engine on
/// SQLite, copied to PostgreSQL): records, pages of cases and their cursors, name searches, worklists, task lists,
/// the access log. Timers and open tasks are split between two nodes on one database, and a lapsed claim or lease
/// is taken over.
@Suite struct PostgresStoreReadsTests {
    /// 2026-01-05T09:00:00Z: when the population's cases happened.
    static let start = Date(timeIntervalSince1970: 1_767_603_600)

    /// The search population, two whole lives (one found by its NHS number), and reads of personal data recorded.
    static func sqliteStore(count: Int) async throws -> CaseStore {
        let store = try await SearchPopulation.store(count: count, at: start)
        try await withEngine(store, policy: try shippedPolicy()) { engine in
            let ada = try await engine.wholeLife(
                ["name": "Ada Lovelace", "clientType": "adult", "route": "gp", "nhsNumber": "943 476 5919"], key: nil,
                from: start)
            let grace = try await engine.wholeLife(
                ["name": "Grace Hopper", "clientType": "adult", "route": "gp"], key: nil, from: start)
            for (n, actor) in ["sw.jones", "m.patel", "sw.jones", "auditor"].enumerated() {
                try await engine.recordRead(
                    AccessRecord(
                        actor: actor, at: start.addingTimeInterval(Double(n) * 3600),
                        channel: n == 3 ? .export : .search,
                        cases: n == 2 ? [grace.id] : [ada.id, "C-2", "C-3"], query: "q=n\(n)",
                        detail: n == 3 ? "x" : nil,
                        reason: n == 1 ? "safeguarding" : nil))
            }
        }
        return store
    }

    /// Runs `body` with the store `sqlite` copied into a new database of `server`, read by `PostgresStore`s of the
    /// nodes `nodes` on `clock`.
    static func withCopy<T: Sendable>(
        of sqlite: CaseStore, on server: PostgresServer, nodes: [String] = ["care-1"], clock: ManualClock,
        _ body: @Sendable ([PostgresStore]) async throws -> T
    ) async throws -> T {
        let address = try await server.newDatabase()
        let folder = URL(fileURLWithPath: sqlite.path).deletingLastPathComponent().path
        _ = try await StoreCopy.copy(from: .directory(folder), to: .postgres(address), logger: quietLogger)
        var stores: [PostgresStore] = []
        for name in nodes {
            stores.append(try await PostgresStore.open(address, node: node(name), clock: clock, logger: quietLogger))
        }
        let opened = stores
        return try await withRunningAll(opened[...]) { try await body(opened) }
    }

    /// Runs `body` with every one of `stores` running.
    static func withRunningAll<T: Sendable>(
        _ stores: ArraySlice<PostgresStore>, _ body: @Sendable () async throws -> T
    ) async throws -> T {
        guard let first = stores.first else { return try await body() }
        return try await withRunning(first) { try await withRunningAll(stores.dropFirst(), body) }
    }

    /// Every page of `filter`, following the cursor, on either store (`window` for a short name query).
    static func pages(_ filter: CaseFilter, window: Int, _ read: (CaseFilter, Int) async throws -> CasePage)
        async throws -> [CasePage]
    {
        var pages: [CasePage] = []
        var filter = filter
        repeat {
            let page = try await read(filter, window)
            pages.append(page)
            filter.cursor = page.nextCursor
        } while filter.cursor != nil && pages.count <= 1_000
        return pages
    }

    @Test func everyReadAnswersWhatSQLiteAnswers() async throws {
        let sqlite = try await Self.sqliteStore(count: 120)
        let server = try await PostgresServer.shared()
        try await Self.withCopy(of: sqlite, on: server, clock: ManualClock(Self.start)) { stores in
            let postgres = stores[0]
            try await Self.expectSameRecordsAndTasks(sqlite, postgres)
            try await Self.expectSameCasePages(sqlite, postgres)
            // A name query of three characters or more can be served by the trigram index (on so few cases the
            // planner reads the table unless told not to).
            let plan = try await postgres.address.onConnection { connection in
                try await connection.query("SET enable_seqscan = off", logger: quietLogger).drain()
                let statement = PostgresCaseSearch(filter: CaseFilter(query: "ovelac"), window: 2_000)
                    .pageStatement(after: 0, examinedTo: nil)
                return try await connection.plan(of: statement.query).joined(separator: "\n")
            }
            #expect(plan.contains("case_names_trigrams"), "\(plan)")
            try await Self.expectSameWorklists(sqlite, postgres)
            try await Self.expectSameAccessLog(sqlite, postgres)
            // The store's own settings and figures.
            #expect(try await postgres.isEmpty() == false)
            #expect(try await postgres.latestEventTime() == sqlite.latestEventTime())
            #expect(try await postgres.currentPolicy() == sqlite.currentPolicy())
            #expect(try await postgres.policies() == sqlite.policies())
            #expect(try await postgres.meta("worklist-queues") == sqlite.meta("worklist-queues"))
            #expect(try await postgres.meta("no such key") == nil)
            try await postgres.setMeta("clock.scaled", "1 2 3")
            #expect(try await postgres.meta("clock.scaled") == "1 2 3")
            for days in [0.0, 30, 400] {
                let deadline = Self.start.addingTimeInterval(days * 86_400)
                #expect(try await postgres.timerCount(dueBy: deadline) == sqlite.timerCount(dueBy: deadline))
            }
        }
    }

    static func expectSameRecordsAndTasks(_ sqlite: CaseStore, _ postgres: PostgresStore) async throws {
        let all = try await sqlite.cases(matching: CaseFilter(limit: 500)).cases
        #expect(all.count == 122)
        var taskIDs: [String] = []
        for summary in all {
            let expected = try #require(try await sqlite.record(of: summary.id))
            let record = try #require(try await postgres.record(of: summary.id))
            #expect(record.state == expected.state, "\(summary.id)")
            #expect(record.version == expected.version && record.history == expected.history, "\(summary.id)")
            #expect(record.tasks == expected.tasks, "\(summary.id)")
            taskIDs += expected.tasks.map(\.id)
        }
        #expect(try await postgres.record(of: "C-404") == nil)
        for id in taskIDs + ["C-1#99", "nothing"] {
            #expect(try await postgres.taskStatus(id) == sqlite.taskStatus(id), "\(id)")
        }
        for worker in SearchPopulation.workers + ["nobody"] {
            #expect(
                try await postgres.cases(allocatedTo: worker, limit: 7) == sqlite.cases(allocatedTo: worker, limit: 7))
        }
        // Task lists of every status, queue, and page.
        for status in ["open", "completed", "withdrawn", "failed"] {
            for queue in [nil, "practice", "brokerage", "team-manager", "nowhere"] {
                let expected = try await sqlite.tasks(on: queue, status: status, limit: 1_000)
                #expect(try await postgres.tasks(on: queue, status: status, limit: 1_000) == expected, "\(status)")
                var after: String?
                var paged: [TaskListing] = []
                repeat {
                    let page = try await postgres.tasks(on: queue, status: status, limit: 3, after: after)
                    #expect(page == (try await sqlite.tasks(on: queue, status: status, limit: 3, after: after)))
                    paged += page
                    after = page.count == 3 ? page.last?.id : nil
                } while after != nil
                #expect(paged == expected)
            }
        }
        #expect(try await postgres.tasks(on: nil, status: "open", limit: 5, after: "no such task").isEmpty)
        // The tasks a broker would dispatch, with their cases' states (one node: every open one).
        for queue in ["practice", "brokerage", "team-manager"] {
            let expected = try await sqlite.openTasks(on: queue, excluding: [], limit: 1_000)
            let skipped = Set(expected.prefix(2).map(\.task.id.description))
            let found = try await postgres.openTasks(on: queue, excluding: skipped, limit: 1_000) { _, _ in nil }
            #expect(found.map(\.task) == expected.dropFirst(2).map(\.task), "\(queue)")
            #expect(found.map(\.state) == expected.dropFirst(2).map(\.state))
            #expect(found.map(\.attempts) == expected.dropFirst(2).map(\.attempts))
        }
    }

    static func expectSameCasePages(_ sqlite: CaseStore, _ postgres: PostgresStore) async throws {
        func same(_ filter: CaseFilter, window: Int = 2_000, exactPages: Bool = true) async throws {
            let expected = try await pages(filter, window: window) { try await sqlite.cases(matching: $0, window: $1) }
            let found = try await pages(filter, window: window) { try await postgres.cases(matching: $0, window: $1) }
            #expect(found.flatMap(\.cases) == expected.flatMap(\.cases), "\(filter)")
            if exactPages {
                #expect(found.map(\.cases) == expected.map(\.cases), "\(filter)")
                #expect(found.map(\.nextCursor) == expected.map(\.nextCursor), "\(filter)")
            }
        }
        // Every query (typos and parts of names among them), a page of 7, and short ones a window of 7 at a time.
        for query in SearchPopulation.queries + ["Lovelase", "Hoper", "race Hop", "GRACE", "lovelace ada"] {
            try await same(CaseFilter(query: query, limit: 7))
            try await same(CaseFilter(query: query, limit: 3), window: 7)
        }
        #expect(try await postgres.cases(matching: CaseFilter(query: "Ada")).cases.count > 10)
        #expect(try await postgres.cases(matching: CaseFilter(query: "Lovelase")).cases.isEmpty, "no typo is forgiven")
        let stages: [Stage?] = [nil, .contact, .assessment, .delivery, .review, .closed]
        let queues: [String?] = [nil, "practice", "brokerage", "team-manager", "nowhere"]
        let teams: [String?] = [nil] + SearchPopulation.teams
        let queries: [String?] = [nil, "Ada", "smith", "%", "_", "é", "Al", "C-17", "son"]
        var n = 0
        for stage in stages {
            for overdue in [nil, true, false] as [Bool?] {
                for queue in queues {
                    n += 1
                    let filter = CaseFilter(
                        stage: stage, overdue: overdue, queue: queue, query: queries[n % queries.count],
                        team: teams[n % teams.count], worker: [nil, "sw.one", "sw.two"][(n / 3) % 3],
                        limit: [2, 7, 50][n % 3])
                    try await same(filter)
                    // A short query beside other conditions may end its pages elsewhere (`PostgresCaseSearch`).
                    try await same(filter, window: 5, exactPages: false)
                    try await same(CaseFilter(stage: stage, overdue: overdue, queue: queue, limit: 4))
                }
            }
        }
        // A subject access request, by name or NHS number.
        for text in ["Ada Lovelace", "smith", "9434765919", "943 476 5919", "0000000000", "Zoë"] {
            #expect(try await postgres.cases(ofPerson: text) == sqlite.cases(ofPerson: text), "\(text)")
            #expect(try await postgres.cases(ofPerson: text, limit: 2) == sqlite.cases(ofPerson: text, limit: 2))
        }
        #expect(try await postgres.cases(ofPerson: "943 476 5919").map(\.name) == ["Ada Lovelace"])
    }

    static func expectSameWorklists(_ sqlite: CaseStore, _ postgres: PostgresStore) async throws {
        let policy = try shippedPolicy()
        var queries: [WorklistQuery] = [WorklistQuery(queues: []), WorklistQuery(queues: ["nowhere"])]
        for order in WorklistQuery.Order.allCases {
            for n in 0..<8 {
                var query = WorklistQuery(queues: n == 7 ? ["practice"] : policy.peopleQueues)
                query.order = order
                query.team = n == 1 ? "north" : n == 2 ? "hospital-discharge" : nil
                query.unheld = n == 3
                query.kind =
                    n == 4
                    ? (try await sqlite.tasks(on: "practice", status: "open", limit: 1).first)
                        .flatMap { TaskKind(rawValue: $0.kind) } : nil
                query.overdueAt = n == 5 ? Self.start.addingTimeInterval(30 * 86_400) : nil
                query.heldBy = n == 6 ? "sw.one" : nil
                for (offset, limit) in [(0, 50), (0, 3), (3, 3), (10, 7), (1_000, 5)] {
                    query.offset = offset
                    query.limit = limit
                    queries.append(query)
                }
            }
        }
        var listed = 0
        for query in queries {
            let expected = try await sqlite.worklist(query)
            #expect(try await postgres.worklist(query) == expected, "\(query)")
            listed += expected.items.count
        }
        #expect(listed > 100, "the worklists hold tasks")
    }

    static func expectSameAccessLog(_ sqlite: CaseStore, _ postgres: PostgresStore) async throws {
        let queries = [
            AccessQuery(), AccessQuery(limit: 2), AccessQuery(actor: "sw.jones"), AccessQuery(cases: ["C-2"]),
            AccessQuery(cases: []), AccessQuery(cases: ["C-121", "C-122", "C-404"], actor: "sw.jones"),
            AccessQuery(from: start.addingTimeInterval(3600), to: start.addingTimeInterval(3 * 3600)),
        ]
        for query in queries {
            #expect(try await postgres.accessLog(matching: query) == sqlite.accessLog(matching: query), "\(query)")
        }
        #expect(try await postgres.accessLog(matching: AccessQuery()).count == 4)
    }

    // MARK: Several nodes

    @Test func twoNodesSplitTheDueTimersAndALapsedClaimIsTakenOver() async throws {
        let sqlite = try await Self.sqliteStore(count: 40)
        let now = Self.start.addingTimeInterval(400 * 86_400)
        let due = try await sqlite.timers(dueBy: now, limit: 10_000)
        #expect(due.count > 20)
        let clock = ManualClock(now)
        let server = try await PostgresServer.shared()
        try await Self.withCopy(of: sqlite, on: server, nodes: ["care-1", "care-2"], clock: clock) { stores in
            let (one, two) = (stores[0], stores[1])
            // Timers due at the same time are claimed in any order among themselves.
            let first = try await one.timers(dueBy: now, limit: 7)
            #expect(first.count == 7 && first.map(\.due) == due.prefix(7).map(\.due), "the earliest")
            let second = try await two.timers(dueBy: now, limit: 10_000)
            #expect(first.allSatisfy { !second.contains($0) }, "none of the first node's")
            #expect((first + second).sorted(by: Self.timerOrder) == due, "between them, every due timer")
            #expect(second == second.sorted(by: Self.timerOrder))
            #expect(try await one.timers(dueBy: now, limit: 10_000) == first, "its own claims, no one else's")
            #expect(try await one.timerCount(dueBy: now) == due.count, "every pending timer is counted")
            // The second node dies; once its claims lapse, the first takes them over.
            clock.advance(by: 29)
            #expect(try await one.timers(dueBy: clock.now(), limit: 10_000) == first)
            clock.advance(by: 2)
            #expect(try await one.timers(dueBy: clock.now(), limit: 10_000) == due)
            #expect(try await two.timers(dueBy: clock.now(), limit: 10_000).isEmpty, "the first node holds all")
        }
    }

    /// The order timers are listed in: by due time, case and name.
    static func timerOrder(_ a: TimerRecord, _ b: TimerRecord) -> Bool {
        (a.due, a.caseID, a.name.rawValue) < (b.due, b.caseID, b.name.rawValue)
    }

    @Test func timersDueLaterAreSeenByEveryNodeAndClaimedOnlyOnceDue() async throws {
        let sqlite = try await Self.sqliteStore(count: 20)
        let clock = ManualClock(Self.start.addingTimeInterval(-1))
        let window = Self.start.addingTimeInterval(60 * 86_400)
        let expected = try await sqlite.timers(dueBy: window, limit: 10_000)
        #expect(!expected.isEmpty)
        let server = try await PostgresServer.shared()
        try await Self.withCopy(of: sqlite, on: server, nodes: ["care-1", "care-2"], clock: clock) {
            (stores: [PostgresStore]) async throws in
            #expect(try await stores[0].timers(dueBy: window, limit: 10_000) == expected)
            #expect(try await stores[1].timers(dueBy: window, limit: 10_000) == expected, "none claimed yet")
            #expect(try await stores[0].timers(dueBy: window, limit: 3) == Array(expected.prefix(3)))
        }
    }

    @Test func twoNodesLeaseDisjointOpenTasksAndALapsedLeaseIsTakenOver() async throws {
        let sqlite = try await Self.sqliteStore(count: 40)
        let open = try await sqlite.openTasks(on: "practice", excluding: [], limit: 10_000).map(\.task.id)
        #expect(open.count > 5)
        let clock = ManualClock(Self.start)
        let server = try await PostgresServer.shared()
        try await Self.withCopy(of: sqlite, on: server, nodes: ["care-1", "care-2"], clock: clock) { stores in
            let (one, two) = (stores[0], stores[1])
            func tasks(_ store: PostgresStore, limit: Int = 10_000) async throws -> [TaskID] {
                try await store.openTasks(on: "practice", excluding: [], limit: limit) { _, _ in nil }.map(
                    \.task.id)
            }
            let first = try await tasks(one, limit: 4)
            #expect(first == Array(open.prefix(4)))
            let second = try await tasks(two)
            #expect(second == Array(open.dropFirst(4)), "the rest: none the first node leased")
            #expect(try await tasks(one) == first, "its own leases, renewed, and no other node's")
            clock.advance(by: 31)
            #expect(try await tasks(one) == open, "the second node's leases lapsed: taken over")
            #expect(try await tasks(two).isEmpty)
        }
    }
}
