import CareJourneyCore
import GRDB

/// How `CaseStore.cases(matching:)` finds a page quickly in a store of a million cases.
///
/// A filter is a list of conditions; a page is the first cases after the cursor, by case number, that meet them
/// all. Most conditions can be *walked*: an index holds their cases in case-number order (a stage's, a team's, a
/// practitioner's, the overdue cases, a queue's open tasks, the names' trigrams). The page's candidates are the
/// intersection of the walks, which SQLite merges index entry by index entry without reading a case; each
/// candidate's row is then read and checked against the other conditions, a round of candidates at a time until
/// the page is full. A walk joins the intersection only while it holds at most `intersectRatio` times as many
/// cases ahead of the cursor as the smallest, estimated by walking up to `probeLimit` of each (stepping through
/// a walk's index costs about 50 ns a case, reading and checking a case about 5 µs); a larger one is checked on
/// the candidates instead. SQLite's own planner can do neither: it cannot tell a stage of 2,000 cases from one of
/// 400,000, and it drives from one index only, reading every case of a large one when few meet the rest.
///
/// A name query of three characters or more is walked in the trigram index (`NameSearch`), which matches what
/// `LIKE` matches; each candidate is checked with the same `LIKE` as a plain scan all the same. A shorter query cannot be walked: a page then examines at most `shortQueryWindow`
/// candidates, and may end early with a cursor to go on from. A query is also looked up as a case id, with the
/// other conditions.
struct CaseSearch {
    /// How many of a walk's cases are stepped through to estimate how many it has.
    static let probeLimit = 1_000
    /// How many times the smallest walk's cases a walk may hold and still join the intersection.
    static let intersectRatio = 100.0
    /// How many candidates a round reads at most (the first reads a page's worth; each after, twice as many).
    static let largestRound = 1_024
    /// How many cases a page examines at most for a name query too short for the trigram index.
    static let shortQueryWindow = 2_000

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
        let walked = try intersected(all, in: db)
        let walks = walked.isEmpty ? [Walk.everyCase] : walked.compactMap { all[$0].walk }
        let checks = all.indices.filter { !walked.contains($0) || all[$0].walk?.exact != true }.map { all[$0] }
        // A short name query is checked on a window of candidates; past its end is the next page's.
        var examinedTo: Int64?
        if let name = query?.name, name.walk == nil {
            let sample = try self.sample(walks, first: window, in: db)
            if sample.count == window { examinedTo = sample.last }
        }
        var found: [(number: Int64, summary: CaseSummary?)] = []
        var after = cursor
        var round = limit + 1
        while found.count <= limit {
            let candidates = try Int64.fetchAll(
                db.cachedStatement(sql: Self.intersection(of: walks, bounded: examinedTo != nil) + " LIMIT ?"),
                arguments: Self.arguments(of: walks, after: after, upTo: examinedTo) + [round])
            guard let last = candidates.last else { break }
            found += try rows(
                "cases.number IN (\(candidates.map { _ in "?" }.joined(separator: ", ")))",
                candidates.map(\.databaseValue), checking: checks, in: db)
            if candidates.count < round { break }
            after = last
            round = min(round * 2, Self.largestRound)
        }
        if let id = query?.id {
            var sql = "cases.id = ? AND cases.number > ?"
            if examinedTo != nil { sql += " AND cases.number <= ?" }
            let named = try rows(
                sql, [id.databaseValue, cursor.databaseValue] + (examinedTo.map { [$0.databaseValue] } ?? []),
                checking: conditions, in: db)
            found += named.filter { match in !found.contains { $0.number == match.number } }
            found.sort { $0.number < $1.number }
        }
        if found.count > limit { examinedTo = nil }
        return Found(cases: Array(found.prefix(limit + 1)), examinedTo: examinedTo)
    }

    /// The conditions whose walks are intersected: those with at most `intersectRatio` times as many cases ahead
    /// of the cursor as the smallest. None when no condition can be walked.
    private func intersected(_ conditions: [Condition], in db: Database) throws -> [Int] {
        let walkable = conditions.indices.filter { conditions[$0].walk != nil }
        guard walkable.count > 1 else { return walkable }
        let last = try Int64.fetchOne(db.cachedStatement(sql: "SELECT max(number) FROM cases")) ?? 0
        let estimates = try walkable.map { index in
            let sample = try self.sample(conditions[index].walk.map { [$0] } ?? [], first: Self.probeLimit, in: db)
            // A walk that reached the limit holds about as many cases again in every stretch of numbers as long.
            return sample.count < Self.probeLimit
                ? Double(sample.count)
                : Double(sample.count) * Double(last - cursor) / Double(max((sample.last ?? last) - cursor, 1))
        }
        let smallest = estimates.min() ?? 0
        return zip(walkable, estimates).filter { $0.1 <= max(smallest, 1) * Self.intersectRatio }.map(\.0)
    }

    /// How many of the walks' first `count` common cases after the cursor there are, and the last one's number.
    private func sample(_ walks: [Walk], first count: Int, in db: Database) throws -> (count: Int, last: Int64?) {
        let row = try Row.fetchOne(
            db.cachedStatement(
                sql: "SELECT count(*) AS count, max(number) AS last FROM (\(Self.intersection(of: walks)) LIMIT ?)"),
            arguments: Self.arguments(of: walks, after: cursor) + [count])
        return (row?["count"] ?? 0, row?["last"])
    }

    /// The case numbers every walk holds, in order, after a number (and up to one, when `bounded`): SQLite
    /// merges the walks' indexes entry by entry.
    private static func intersection(of walks: [Walk], bounded: Bool = false) -> String {
        walks.map { walk in
            "SELECT \(walk.number) AS number FROM \(walk.table) WHERE \(walk.condition) AND \(walk.number) > ?"
                + (bounded ? " AND \(walk.number) <= ?" : "")
        }.joined(separator: " INTERSECT ") + " ORDER BY 1"
    }

    /// The arguments of `intersection(of:)`.
    private static func arguments(of walks: [Walk], after: Int64, upTo bound: Int64? = nil) -> StatementArguments {
        StatementArguments(
            walks.flatMap { walk in walk.arguments + [after.databaseValue] + (bound.map { [$0.databaseValue] } ?? []) })
    }

    /// The cases whose rows meet `sql` and `checks`, in case-number order.
    private func rows(
        _ sql: String, _ arguments: [DatabaseValue], checking checks: [Condition], in db: Database
    ) throws -> [(number: Int64, summary: CaseSummary?)] {
        let sql = """
            SELECT number, id, stage, name, client_type, opened_at, updated_at, overdue, next_due, next_timer, team,
                worker
            FROM cases WHERE \(([sql] + checks.map(\.sql)).joined(separator: " AND ")) ORDER BY number
            """
        return try Row.fetchAll(
            db, sql: sql, arguments: StatementArguments(arguments + checks.flatMap(\.arguments))
        ).map { row in (number: row["number"], summary: CaseSummary(row: row)) }
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
                table: "cases INDEXED BY \(index)", condition: sql, arguments: arguments, number: "cases.number",
                exact: true))
    }

    /// An open task on `queue`: checked among the case's tasks (SQLite would otherwise read all the queue's open
    /// tasks for each case), walked in the queue's open tasks by case number (a case with two comes twice, once
    /// among the candidates).
    static func openTask(on queue: String) -> Condition {
        Condition(
            sql: """
                EXISTS (SELECT 1 FROM tasks t INDEXED BY sqlite_autoindex_tasks_1
                WHERE \(TaskRows.ofCase("cases.id", in: "t")) AND t.queue = ? AND t.status = 'open')
                """,
            arguments: [queue.databaseValue],
            walk: Walk(
                table: "tasks INDEXED BY tasks_open_by_queue", condition: "tasks.queue = ? AND tasks.status = 'open'",
                arguments: [queue.databaseValue], number: "tasks.case_number", exact: true))
    }

    /// A name containing `fragment`, as `LIKE` matches it (ASCII letters in either case); walked in the trigram
    /// index when the fragment has three characters or more (and checked with `LIKE` all the same).
    static func name(containing fragment: String) -> Condition {
        let pattern =
            fragment.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
            .replacingOccurrences(of: "_", with: "\\_")
        return Condition(
            sql: "cases.name LIKE ? ESCAPE '\\'", arguments: ["%\(pattern)%".databaseValue],
            walk: fragment.unicodeScalars.count < 3
                ? nil
                : Walk(
                    table: "cases_name", condition: NameSearch.match, arguments: [fragment.databaseValue],
                    number: "cases_name.rowid", exact: false))
    }
}

/// A condition's cases in case-number order, from an index.
struct Walk {
    /// The table walked, with the index it is walked by.
    let table: String
    /// What the walked rows meet.
    let condition: String
    let arguments: [DatabaseValue]
    /// A walked row's case number.
    let number: String
    /// Whether every case walked meets the condition (otherwise its SQL is checked too).
    let exact: Bool

    /// Every case, by number.
    static let everyCase = Walk(table: "cases", condition: "TRUE", arguments: [], number: "cases.number", exact: true)
}
