import CareJourneyCore
import Foundation
import GRDB
import Testing
import CareJourneyTestSupport

@testable import CareJourneyStore

/// `cases(matching:)` through its indexes returns exactly what a plain scan of every case returns, page by page.
@Suite struct CaseSearchTests {
    static let names = SearchPopulation.names
    static let teams = SearchPopulation.teams
    static let workers = SearchPopulation.workers
    static let queries = SearchPopulation.queries

    /// A few hundred cases through the engine (`SearchPopulation`).
    static func population(count: Int = 300) async throws -> CaseStore {
        try await SearchPopulation.store(count: count, at: start)
    }

    /// The cases a filter matches, in order, by a plain scan of every case with the SQL the store used before
    /// its search indexes.
    static func scan(_ filter: CaseFilter, in store: CaseStore) async throws -> [CaseSummary] {
        try await store.pool.read { db in
            var conditions: [String] = []
            var arguments: [(any DatabaseValueConvertible)?] = []
            if let stage = filter.stage {
                conditions.append("stage = ?")
                arguments.append(stage.rawValue)
            }
            if let overdue = filter.overdue {
                conditions.append("overdue = ?")
                arguments.append(overdue)
            }
            if let queue = filter.queue {
                conditions.append(
                    "EXISTS (SELECT 1 FROM tasks t WHERE t.case_id = cases.id AND t.queue = ? AND t.status = 'open')")
                arguments.append(queue)
            }
            if let query = filter.query, !query.isEmpty {
                conditions.append("(id = ? OR name LIKE ? ESCAPE '\\')")
                let escaped = query.replacingOccurrences(of: "\\", with: "\\\\")
                    .replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
                arguments += [query, "%\(escaped)%"]
            }
            for (column, value) in [("team", filter.team), ("worker", filter.worker)] {
                guard let value else { continue }
                conditions.append("\(column) = ?")
                arguments.append(value)
            }
            let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            return try Row.fetchAll(
                db, sql: "SELECT * FROM cases NOT INDEXED \(whereClause) ORDER BY number",
                arguments: StatementArguments(arguments)
            ).compactMap(CaseSummary.init(row:))
        }
    }

    /// Every page of a filter, following the cursor.
    static func pages(_ filter: CaseFilter, in store: CaseStore, window: Int = CaseSearch.shortQueryWindow)
        async throws -> [CasePage]
    {
        var pages: [CasePage] = []
        var filter = filter
        repeat {
            let page = try await store.cases(matching: filter, window: window)
            pages.append(page)
            filter.cursor = page.nextCursor
        } while filter.cursor != nil && pages.count <= 1_000
        return pages
    }

    /// Expects the pages to be the scan's cases, `limit` a page, with a cursor on every page but the last.
    static func expectSamePages(
        _ filter: CaseFilter, in store: CaseStore, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let expected = try await scan(filter, in: store)
        let pages = try await pages(filter, in: store)
        let chunks = stride(from: 0, to: max(expected.count, 1), by: filter.limit).map {
            Array(expected[$0..<min($0 + filter.limit, expected.count)])
        }
        #expect(pages.map(\.cases) == chunks, "\(filter)", sourceLocation: sourceLocation)
        #expect(pages.dropLast().allSatisfy { $0.nextCursor != nil }, "\(filter)", sourceLocation: sourceLocation)
    }

    @Test func everyFilterAndCombinationReturnsWhatAScanReturns() async throws {
        let store = try await Self.population()
        let practiceTwice = try store.count(
            "SELECT COUNT(*) FROM (SELECT case_id FROM tasks WHERE queue = 'practice' AND status = 'open' GROUP BY case_id HAVING COUNT(*) > 1)"
        )
        #expect(practiceTwice > 0, "some case has two open tasks on one queue")
        #expect(try store.count("SELECT COUNT(*) FROM cases WHERE overdue = 1") > 0)
        for query in Self.queries { try await Self.expectSamePages(CaseFilter(query: query, limit: 7), in: store) }
        let stages: [Stage?] = [nil, .contact, .assessment, .delivery, .review, .closed]
        let overdue: [Bool?] = [nil, true, false]
        let queues: [String?] = [nil, "practice", "brokerage", "advocacy", "team-manager", "nowhere"]
        let teams: [String?] = [nil] + Self.teams
        let workers: [String?] = [nil, Self.workers[0], Self.workers[1]]
        let queries: [String?] = [nil, "Ada", "smith", "%", "_", "é", "Al", "C-17", "son"]
        var n = 0
        for stage in stages {
            for overdue in overdue {
                for queue in queues {
                    // A different slice of the rest for each: every value of each is met with every other.
                    n += 1
                    let filter = CaseFilter(
                        stage: stage, overdue: overdue, queue: queue, query: queries[n % queries.count],
                        team: teams[n % teams.count], worker: workers[(n / 3) % workers.count],
                        limit: [2, 7, 50][n % 3])
                    try await Self.expectSamePages(filter, in: store)
                    try await Self.expectSamePages(
                        CaseFilter(stage: stage, overdue: overdue, queue: queue, limit: 4), in: store)
                }
            }
        }
        for team in teams {
            for worker in workers {
                for query in queries {
                    try await Self.expectSamePages(
                        CaseFilter(query: query, team: team, worker: worker, limit: 5), in: store)
                }
            }
        }
        #expect(try store.verify().isClean)
    }

    @Test func aShortQueryExaminesAWindowAPageAndThePagesHoldWhatAScanReturns() async throws {
        let store = try await Self.population(count: 60)
        for filter in [
            CaseFilter(query: "a", limit: 4), CaseFilter(query: "Al", limit: 2), CaseFilter(query: "%", limit: 3),
            CaseFilter(query: "é", limit: 50), CaseFilter(stage: .delivery, query: "Sm", limit: 2),
            CaseFilter(query: "C-", limit: 1), CaseFilter(query: "X", team: "north", limit: 3),
        ] {
            let pages = try await Self.pages(filter, in: store, window: 7)
            #expect(pages.flatMap(\.cases) == (try await Self.scan(filter, in: store)), "\(filter)")
            #expect(pages.allSatisfy { $0.cases.count <= filter.limit })
            #expect(pages.count > 1, "\(filter) is read a window at a time")
        }
    }

    @Test func aCaseOpenedLaterIsFound() async throws {
        let store = try await Self.population(count: 20)
        #expect(try await store.cases(matching: CaseFilter(query: "tecom")).cases.isEmpty)
        let id = try await withEngine(store, policy: try shippedPolicy()) { engine in
            try #require(
                try await engine.send(
                    nil, "contact", ["name": "Lena Latecomer", "clientType": "adult", "route": "gp"], at: start)
            ).state.id
        }
        #expect(try await store.cases(matching: CaseFilter(query: "tecom")).cases.map(\.id) == [id])
        #expect(try await store.cases(matching: CaseFilter(query: "LATECOMER", cursor: "20")).cases.map(\.id) == [id])
        try await Self.expectSamePages(CaseFilter(query: "Lena", limit: 1), in: store)
        #expect(try store.verify().isClean)
    }

    @Test func aStoreFromBeforeNameSearchFindsItsCasesOnceMigrated() async throws {
        let store = try await Self.population(count: 40)
        // Make it a version-7 store: no name index, tasks without their case's number, no reviews done, none of
        // v8, v9 or v10 applied.
        try store.execute(
            """
            DROP TABLE cases_name;
            DROP INDEX tasks_open_by_queue;
            DROP INDEX cases_overdue_by_stage;
            ALTER TABLE tasks DROP COLUMN case_number;
            DROP TABLE reviews_done;
            DELETE FROM grdb_migrations WHERE identifier LIKE 'v8%' OR identifier LIKE 'v9%' OR identifier LIKE 'v10%';
            """)
        let migrated = try CaseStore(directory: URL(fileURLWithPath: store.path).deletingLastPathComponent().path)
        #expect(try migrated.count("SELECT COUNT(*) FROM tasks WHERE case_number IS NULL") == 0)
        let indexes = try await migrated.pool.read { db in try db.indexes(on: "tasks").map(\.name) }
        #expect(indexes.contains("tasks_open_by_queue") && indexes.contains("tasks_closed_by_queue"))
        #expect(!indexes.contains("tasks_by_queue") && !indexes.contains("tasks_by_case"))
        for filter in [
            CaseFilter(query: "Ada", limit: 3), CaseFilter(query: "smith"), CaseFilter(queue: "practice", limit: 5),
            CaseFilter(stage: .delivery, overdue: true), CaseFilter(query: "ñez", team: "south"),
        ] {
            try await Self.expectSamePages(filter, in: migrated)
        }
        #expect(!(try await migrated.cases(matching: CaseFilter(query: "Lovelace")).cases.isEmpty))
        #expect(try migrated.verify().isClean)
    }
}
