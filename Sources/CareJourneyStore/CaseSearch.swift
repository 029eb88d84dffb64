import CareJourneyCore
import GRDB

/// How `CaseStore.cases(matching:)` finds a page quickly in a store of a million cases.
///
/// A filter is a list of conditions; a page is the first cases after the cursor, by case number, that meet them
/// all. One condition *drives*: its cases are walked in case-number order from an index (a stage's, a team's, a
/// practitioner's, a queue's open tasks, the names' trigrams) and the others are checked on each case it yields,
/// until the page is full. The driver is the condition with the fewest cases ahead of the cursor, estimated by
/// walking up to `probeLimit` of each: SQLite's planner cannot tell a stage of 2,000 cases from one of 400,000.
///
/// A name query of three characters or more is walked in the trigram index `cases_name`, and each case it yields
/// is checked with the same `LIKE` as a plain scan (the index also folds case beyond ASCII, `LIKE` does not), so
/// the results are the scan's. A shorter query cannot be walked: a page then examines at most
/// `shortQueryWindow` of the driver's cases, and may end early with a cursor to go on from. A query is also
/// looked up as a case id, with the other conditions.
struct CaseSearch {
    /// How many of a condition's cases are walked to estimate how many it has.
    static let probeLimit = 1_000
    /// How many cases a page examines at most for a name query too short for the trigram index.
    static let shortQueryWindow = 10_000

    /// What a page holds: up to `limit + 1` cases, and the last case number examined when a short name query
    /// stopped before the end of the store.
    struct Found {
        var cases: [(number: Int64, summary: CaseSummary?)]
        var examinedTo: Int64?
    }

    let limit: Int
    let cursor: Int64
    /// The conditions on everything but the name.
    let conditions: [Condition]
    /// The name condition, and the case id the query may be.
    let query: (name: Condition, id: String)?
    let window: Int

    /// Reads `filter` into conditions; `window` is how many cases a short name query examines a page.
    init(_ filter: CaseFilter, window: Int) {
        limit = filter.limit
        cursor = filter.cursor.flatMap(Int64.init) ?? 0
        self.window = window
        var conditions: [Condition] = []
        if let stage = filter.stage, filter.overdue == true {
            conditions.append(
                .indexed("cases.stage = ? AND cases.overdue = 1", [stage.rawValue], by: "cases_overdue_by_stage"))
        } else {
            if let stage = filter.stage {
                conditions.append(.indexed("cases.stage = ?", [stage.rawValue], by: "cases_by_stage"))
            }
            // A literal, not an argument: SQLite uses a partial index only where the query names its condition.
            if let overdue = filter.overdue {
                conditions.append(.indexed("cases.overdue = \(overdue ? 1 : 0)", [], by: "cases_overdue"))
            }
        }
        if let queue = filter.queue { conditions.append(.openTask(on: queue)) }
        if let team = filter.team { conditions.append(.indexed("cases.team = ?", [team], by: "cases_by_team")) }
        if let worker = filter.worker {
            conditions.append(.indexed("cases.worker = ?", [worker], by: "cases_by_worker"))
        }
        self.conditions = conditions
        query = filter.query.flatMap { $0.isEmpty ? nil : (Condition.name(containing: $0), $0) }
    }

    /// The page: the cases the query names by id or name, merged in case-number order.
    func run(in db: Database) throws -> Found {
        let all = conditions + (query.map { [$0.name] } ?? [])
        let driving = try drivingCondition(among: all, in: db)
        let driver = driving.flatMap { all[$0].walk } ?? .everyCase
        // A short name query is checked on a window of the driver's cases; past its end is the next page's.
        var examinedTo: Int64?
        if let name = query?.name, name.walk == nil {
            let sample = try self.sample(driver, first: window, in: db)
            if sample.count == window { examinedTo = sample.last }
        }
        let checks = all.indices.filter { $0 != driving || !driver.exact }.map { all[$0] }
        var found = try fetch(from: driver, checking: checks, upTo: examinedTo, in: db)
        if let id = query?.id {
            let named = try fetch(from: .byID(id), checking: conditions, upTo: examinedTo, in: db)
            found += named.filter { match in !found.contains { $0.number == match.number } }
            found.sort { $0.number < $1.number }
        }
        if found.count > limit { examinedTo = nil }
        return Found(cases: Array(found.prefix(limit + 1)), examinedTo: examinedTo)
    }

    /// The condition whose walk has the fewest cases ahead of the cursor; `nil` when none can be walked.
    private func drivingCondition(among conditions: [Condition], in db: Database) throws -> Int? {
        let walkable = conditions.indices.filter { conditions[$0].walk != nil }
        guard walkable.count > 1 else { return walkable.first }
        let last = try Int64.fetchOne(db.cachedStatement(sql: "SELECT max(number) FROM cases")) ?? 0
        var best: (index: Int, estimate: Double)?
        for index in walkable {
            guard let walk = conditions[index].walk else { continue }
            let sample = try self.sample(walk, first: Self.probeLimit, in: db)
            // A walk that reached the limit holds about as many cases again in every stretch of numbers as long.
            let estimate =
                sample.count < Self.probeLimit
                ? Double(sample.count)
                : Double(sample.count) * Double(last - cursor) / Double(max((sample.last ?? last) - cursor, 1))
            if estimate < best?.estimate ?? .infinity { best = (index, estimate) }
        }
        return best?.index
    }

    /// How many of the walk's next `count` entries after the cursor there are, and the last one's case number.
    private func sample(_ walk: Walk, first count: Int, in db: Database) throws -> (count: Int, last: Int64?) {
        let row = try Row.fetchOne(
            db.cachedStatement(
                sql: """
                    SELECT count(*) AS count, max(number) AS last FROM (
                        SELECT \(walk.number) AS number FROM \(walk.table)
                        WHERE \(walk.condition) AND \(walk.number) > ? ORDER BY \(walk.number) LIMIT \(count))
                    """),
            arguments: StatementArguments(walk.arguments + [cursor.databaseValue]))
        return (row?["count"] ?? 0, row?["last"])
    }

    /// Up to `limit + 1` cases the walk yields after the cursor (and up to `bound`) that meet `checks`.
    private func fetch(from walk: Walk, checking checks: [Condition], upTo bound: Int64?, in db: Database) throws
        -> [(number: Int64, summary: CaseSummary?)]
    {
        var sql = """
            SELECT cases.number, cases.id, cases.stage, cases.name, cases.client_type, cases.opened_at,
                cases.updated_at, cases.overdue, cases.next_due, cases.next_timer, cases.team, cases.worker
            FROM \(walk.table) \(walk.join ?? "") WHERE \(walk.condition) AND \(walk.number) > ?
            """
        var arguments = walk.arguments + [cursor.databaseValue]
        if let bound {
            sql += " AND \(walk.number) <= ?"
            arguments.append(bound.databaseValue)
        }
        for check in checks {
            sql += " AND \(check.sql)"
            arguments += check.arguments
        }
        if walk.repeats { sql += " GROUP BY \(walk.number)" }
        sql += " ORDER BY \(walk.number) LIMIT \(limit + 1)"
        return try Row.fetchAll(db.cachedStatement(sql: sql), arguments: StatementArguments(arguments)).map { row in
            (number: row["number"], summary: CaseSummary(row: row))
        }
    }
}

/// One thing a listed case must meet: SQL true of its row in `cases`, and, when an index holds its cases in
/// case-number order, the walk through them.
struct Condition {
    let sql: String
    let arguments: [DatabaseValue]
    let walk: Walk?

    /// A condition on `cases` columns that `index` holds, followed by the case number.
    static func indexed(_ sql: String, _ arguments: [String], by index: String) -> Condition {
        let arguments = arguments.map(\.databaseValue)
        return Condition(
            sql: sql, arguments: arguments,
            walk: Walk(
                table: "cases INDEXED BY \(index)", join: nil, condition: sql, arguments: arguments,
                number: "cases.number", repeats: false, exact: true))
    }

    /// An open task on `queue`: checked among the case's tasks (SQLite would otherwise read all the queue's open
    /// tasks for each case), walked in the queue's open tasks by case number.
    static func openTask(on queue: String) -> Condition {
        Condition(
            sql: """
                EXISTS (SELECT 1 FROM tasks t INDEXED BY tasks_by_case
                WHERE t.case_id = cases.id AND t.queue = ? AND t.status = 'open')
                """,
            arguments: [queue.databaseValue],
            walk: Walk(
                table: "tasks INDEXED BY tasks_open_by_queue",
                join: "CROSS JOIN cases ON cases.number = tasks.case_number",
                condition: "tasks.queue = ? AND tasks.status = 'open'", arguments: [queue.databaseValue],
                number: "tasks.case_number", repeats: true, exact: true))
    }

    /// A name containing `fragment`, as `LIKE` matches it (ASCII letters in either case); walked in the trigram
    /// index when the fragment has three characters or more.
    static func name(containing fragment: String) -> Condition {
        let pattern =
            fragment.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
            .replacingOccurrences(of: "_", with: "\\_")
        return Condition(
            sql: "cases.name LIKE ? ESCAPE '\\'", arguments: ["%\(pattern)%".databaseValue],
            walk: fragment.unicodeScalars.count < 3
                ? nil
                : Walk(
                    table: "cases_name", join: "CROSS JOIN cases ON cases.number = cases_name.rowid",
                    condition: "cases_name MATCH ?", arguments: [phrase(fragment).databaseValue],
                    number: "cases_name.rowid",
                    repeats: false, exact: false))
    }

    /// `text` as one FTS5 phrase: in the trigram index, its three-character sequences in a row.
    static func phrase(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

/// A condition's cases in case-number order, from an index. `CROSS JOIN` keeps the walked table first.
struct Walk {
    /// The table walked, with the index it is walked by.
    let table: String
    /// How its rows meet `cases`, when it is not `cases` itself.
    let join: String?
    /// What the walked rows meet.
    let condition: String
    let arguments: [DatabaseValue]
    /// A walked row's case number.
    let number: String
    /// Whether a case may be met more than once (several open tasks on one queue).
    let repeats: Bool
    /// Whether every case walked meets the condition (otherwise its SQL is checked too).
    let exact: Bool

    /// Every case, by number.
    static let everyCase = Walk(
        table: "cases", join: nil, condition: "TRUE", arguments: [], number: "cases.number", repeats: false,
        exact: true)

    /// The case with this id, if any.
    static func byID(_ id: String) -> Walk {
        Walk(
            table: "cases", join: nil, condition: "cases.id = ?", arguments: [id.databaseValue],
            number: "cases.number", repeats: false, exact: true)
    }
}
