import CareJourneyCore
import CareJourneyStore
import Foundation
import Logging
import PostgresNIO

/// How `PostgresStore.cases(matching:)` reads a page: the same page `CaseStore.cases(matching:)` gives, by the same
/// rules (`CaseSearch`), with PostgreSQL's planner combining the indexes.
///
/// A page is the first cases after the cursor, by case number, that meet every condition. A name query matches the
/// names it is part of as SQLite's `LIKE` does, ASCII letters in either case and every other character as it is
/// (`ILIKE` on the names' `C` collation folds ASCII letters only), found in the cases' names table `case_names` through
/// its trigram index (migration `p5`, `PostgresSchema.namesMigration`) and checked by `ILIKE` itself, so the index
/// never changes an answer; a query is also looked up as a case id. The two lookups give case numbers, joined to
/// `cases` (a semi-join the planner combines with the other conditions). Neither store forgives typos: a name is found
/// by a part of it, as written.
///
/// A query of one or two characters has no trigram: a page examines at most `window` cases (those meeting every
/// other condition) and may end early with a cursor to go on from, as on SQLite. One difference: SQLite examines the
/// cases of the conditions its estimate chose to walk (`CaseSearch.intersectRatio`) and, filtering by a queue alone,
/// counts a case with two open tasks on it twice; PostgreSQL examines exactly the cases meeting every other
/// condition. Such a page may then end at another case than SQLite's does; the pages together hold the same cases.
struct PostgresCaseSearch {
    let filter: CaseFilter
    let window: Int

    /// How many cases a page examines at most for a name query too short for the trigram index: as on SQLite.
    static let shortQueryWindow = 2_000

    /// The columns a listed case is read with, in `CaseSummary` order after its number.
    static let columns = """
        c.number, c.id, c.stage, c.name, c.client_type, c.opened_at, c.updated_at, c.overdue, c.next_due, c.next_timer,
        c.team, c.worker
        """

    /// The page, read on `connection` (in a snapshot, so the window and the page agree).
    func page(on connection: PostgresConnection, logger: Logger) async throws -> CasePage {
        let cursor = filter.cursor.flatMap(Int64.init) ?? 0
        let query = filter.query.flatMap { $0.isEmpty ? nil : $0 }
        var examinedTo: Int64?
        if let query, query.unicodeScalars.count < 3 {
            var sample = PostgresStatement()
            let conditions = others(after: cursor, in: &sample)
            sample.sql = """
                SELECT count(*), max(number) FROM (SELECT c.number FROM cases c WHERE \(conditions)
                ORDER BY c.number LIMIT \(sample.bind(Int64(window)))) AS examined
                """
            for try await (count, last) in try await connection.query(sample.query, logger: logger)
                .decode((Int64, Int64?).self) where count == window
            {
                examinedTo = last
            }
        }
        let statement = pageStatement(after: cursor, examinedTo: examinedTo)
        var found: [(number: Int64, summary: CaseSummary?)] = []
        for try await row in try await connection.query(statement.query, logger: logger).decode(
            (Int64, String, String, String, String?, Double?, Double, Int64, Double?, String?, String?, String?).self)
        {
            found.append((row.0, Self.summary(row)))
        }
        let page = found.prefix(filter.limit)
        return CasePage(
            cases: page.compactMap(\.summary),
            nextCursor: found.count > filter.limit
                ? page.last.map { String($0.number) } : examinedTo.map { String($0) })
    }

    /// The statement that reads a page's cases (one more than the page, to know whether another follows) after the
    /// case number `cursor`, up to `examinedTo` when a short name query's window ends there.
    func pageStatement(after cursor: Int64, examinedTo: Int64?) -> PostgresStatement {
        var statement = PostgresStatement()
        var conditions = others(after: cursor, in: &statement)
        if let examinedTo { conditions += " AND c.number <= \(statement.bind(examinedTo))" }
        if let query = filter.query, !query.isEmpty {
            // A short query's names bounded as the page is, so that only the names examined are read.
            let examined = examinedTo.map {
                "n.number > \(statement.bind(cursor)) AND n.number <= \(statement.bind($0)) AND "
            }
            conditions += """
                 AND c.number IN (SELECT n.number FROM case_names n
                    WHERE \(examined ?? "")n.name ILIKE \(statement.bind(Self.pattern(containing: query)))
                    UNION ALL SELECT x.number FROM cases x WHERE x.id = \(statement.bind(query)))
                """
        }
        statement.sql = """
            SELECT \(Self.columns) FROM cases c WHERE \(conditions)
            ORDER BY c.number LIMIT \(statement.bind(Int64(filter.limit + 1)))
            """
        return statement
    }

    /// The conditions other than the name's, after the cursor, as SQL on `cases c`, their values bound in `statement`.
    private func others(after cursor: Int64, in statement: inout PostgresStatement) -> String {
        var conditions = ["c.number > \(statement.bind(cursor))"]
        if let stage = filter.stage { conditions.append("c.stage = \(statement.bind(stage.rawValue))") }
        if let overdue = filter.overdue { conditions.append("c.overdue = \(overdue ? 1 : 0)") }
        if let queue = filter.queue {
            conditions.append(
                """
                EXISTS (SELECT 1 FROM tasks t WHERE t.id > c.id || '#' AND t.id < c.id || '$' AND t.case_id = c.id
                    AND t.queue = \(statement.bind(queue)) AND t.status = 'open')
                """)
        }
        if let team = filter.team { conditions.append("c.team = \(statement.bind(team))") }
        if let worker = filter.worker { conditions.append("c.worker = \(statement.bind(worker))") }
        return conditions.joined(separator: " AND ")
    }

    /// `ILIKE`'s pattern for the names containing `fragment` (its `\`, `%` and `_` taken as themselves).
    static func pattern(containing fragment: String) -> String {
        let escaped =
            fragment.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
            .replacingOccurrences(of: "_", with: "\\_")
        return "%\(escaped)%"
    }

    /// A case as listed, from the row `columns` reads; `nil` when its stage is one this build does not know.
    static func summary(
        _ row: (Int64, String, String, String, String?, Double?, Double, Int64, Double?, String?, String?, String?)
    ) -> CaseSummary? {
        guard let stage = Stage(rawValue: row.2) else { return nil }
        return CaseSummary(
            id: CaseID(row.1), stage: stage, name: row.3, clientType: row.4,
            openedAt: row.5.map(Date.init(timeIntervalSince1970:)), updatedAt: Date(timeIntervalSince1970: row.6),
            overdue: row.7 != 0, nextDue: row.8.map(Date.init(timeIntervalSince1970:)), nextTimer: row.9, team: row.10,
            worker: row.11)
    }
}

extension PostgresStore {
    /// A page of cases matching `filter`, oldest first (by case number): as `CaseStore.cases(matching:)` pages them
    /// (`PostgresCaseSearch` says where a short name query's page may end elsewhere).
    public func cases(matching filter: CaseFilter) async throws(StoreError) -> CasePage {
        try await cases(matching: filter, window: PostgresCaseSearch.shortQueryWindow)
    }

    /// A page of cases matching `filter`, a name query of one or two characters examining at most `window` cases.
    func cases(matching filter: CaseFilter, window: Int) async throws(StoreError) -> CasePage {
        try await withSnapshot("listing cases at \(address)") { [self] connection in
            try await PostgresCaseSearch(filter: filter, window: window).page(on: connection, logger: logger)
        }
    }

    /// The cases whose `contact` or `record-person-details` events record the NHS number `digits`, at most `limit`,
    /// in the order their first such event was recorded (`CaseReading.caseIDs(withNHSNumber:limit:)`).
    public func caseIDs(withNHSNumber digits: String, limit: Int) async throws(StoreError) -> [String] {
        try await withConnection("finding a person's cases at \(address)") { [self] connection in
            var ids: [String] = []
            for try await id in try await connection.query(
                """
                SELECT case_id FROM events
                WHERE name IN ('contact', 'record-person-details') AND replace(data, ' ', '') LIKE \("%\"nhsNumber\":\"\(digits)\"%")
                GROUP BY case_id ORDER BY min(seq) LIMIT \(Int64(limit))
                """, logger: logger
            ).decode(String.self) {
                ids.append(id)
            }
            return ids
        }
    }
}
