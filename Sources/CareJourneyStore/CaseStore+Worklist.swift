import CareJourneyCore
import Foundation
import GRDB

/// Which open tasks a worklist shows, in what order, and which page of them.
public struct WorklistQuery: Sendable, Equatable {
    /// How a worklist is ordered.
    public enum Order: String, Sendable, CaseIterable {
        /// Soonest due first (tasks without a due date last), then oldest.
        case due
        /// Oldest first.
        case age
    }

    /// The queues whose tasks it shows (people's queues).
    public var queues: [String]
    /// Only tasks this person holds.
    public var heldBy: String? = nil
    /// Only tasks nobody holds.
    public var unheld = false
    /// Only tasks of cases of this team.
    public var team: String? = nil
    /// Only tasks of this kind.
    public var kind: TaskKind? = nil
    /// Only tasks overdue at this time.
    public var overdueAt: Date? = nil
    public var order: Order = .due
    /// Tasks skipped (earlier pages) and taken.
    public var offset = 0
    public var limit = 50

    /// A query of `queues`.
    public init(queues: [String]) { self.queues = queues }
}

/// One open task of a worklist, with its case as the list shows it.
public struct WorklistItem: Sendable, Equatable {
    public let task: TaskListing
    public let personName: String?
    public let stage: String
    public let team: String?

    /// Made field by field (by any store's reads).
    package init(task: TaskListing, personName: String?, stage: String, team: String?) {
        self.task = task
        self.personName = personName
        self.stage = stage
        self.team = team
    }
}

/// A page of a worklist, and how many tasks match in all (counted up to `countLimit`).
public struct WorklistPage: Sendable, Equatable {
    public let items: [WorklistItem]
    /// How many tasks match: exact, unless `totalIsAtLeast`.
    public let total: Int
    /// More tasks match than were counted: `total` is `countLimit` and the list goes on.
    public let totalIsAtLeast: Bool

    /// Tasks counted at most: a queue of hundreds of thousands is "1,000 or more", counted in milliseconds even
    /// when a filter (a kind, overdue ones) has to look at a dozen tasks for each it counts.
    public static let countLimit = 1_000

    public init(items: [WorklistItem], total: Int, totalIsAtLeast: Bool = false) {
        self.items = items
        self.total = total
        self.totalIsAtLeast = totalIsAtLeast
    }
}

/// An open case allocated to someone, for "My work".
public struct AllocatedCase: Sendable, Equatable {
    public let id: CaseID
    public let personName: String?
    public let stage: String
    /// The case's next timer's due time.
    public let nextDue: Date?

    /// Made field by field (by any store's reads).
    package init(id: CaseID, personName: String?, stage: String, nextDue: Date?) {
        self.id = id
        self.personName = personName
        self.stage = stage
        self.nextDue = nextDue
    }
}

extension CaseStore {
    /// A page of the open tasks `query` asks for, with their cases.
    ///
    /// A person's own tasks are few, found through the index of held tasks and sorted whole. Any other list reads
    /// each queue's open tasks in the order asked for, through an index in that order (of every team's listed
    /// tasks, or of one team's: migration v18), only as far as the page needs, and merges the queues: a page of a
    /// queue of hundreds of thousands of tasks costs what the page holds, not what the queue holds.
    public func worklist(_ query: WorklistQuery) async throws(StoreError) -> WorklistPage {
        guard !query.queues.isEmpty else { return WorklistPage(items: [], total: 0) }
        return try await readAsync { db in
            let filter = WorklistFilter(query)
            // A team's tasks are counted through its index, unless one person's (few, through the index of held tasks).
            let countedThrough = query.heldBy == nil ? filter.team.map { WorklistFilter.indexes(team: $0).age } : nil
            let counted =
                try Int.fetchOne(
                    db,
                    sql: """
                        SELECT COUNT(*) FROM (SELECT 1 \(filter.from(queues: query.queues.count, index: countedThrough))
                        LIMIT \(WorklistPage.countLimit + 1))
                        """,
                    arguments: StatementArguments(query.queues + filter.arguments)) ?? 0
            let rows: [Row]
            if query.heldBy != nil {
                rows = try filter.fetch(
                    db, queues: query.queues, order: query.order == .due
                        ? "t.due IS NULL, t.due, t.created_at, t.rowid" : "t.created_at, t.rowid",
                    limit: query.limit, offset: query.offset)
            } else {
                let wanted = query.offset + query.limit
                var found: [Row] = []
                for queue in query.queues { found += try filter.first(wanted, on: queue, order: query.order, in: db) }
                rows = Array(found.sorted(by: WorklistFilter.precedes(query.order)).dropFirst(query.offset).prefix(query.limit))
            }
            let items = rows.map { row in
                let name: String? = row["person"]
                return WorklistItem(
                    task: TaskListing(row), personName: name?.isEmpty == false ? name : nil, stage: row["stage"],
                    team: row["team"])
            }
            return WorklistPage(
                items: items, total: min(counted, WorklistPage.countLimit),
                totalIsAtLeast: counted > WorklistPage.countLimit)
        }
    }

    /// The open cases allocated to `worker`, by case number (at most `limit`).
    public func cases(allocatedTo worker: String, limit: Int) async throws(StoreError) -> [AllocatedCase] {
        try await readAsync { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT id, name, stage, next_due FROM cases WHERE worker = ? AND stage <> 'closed'
                    ORDER BY number LIMIT ?
                    """, arguments: [worker, limit]
            ).map { row in
                let name: String? = row["name"]
                return AllocatedCase(
                    id: CaseID(row["id"] as String), personName: name?.isEmpty == false ? name : nil,
                    stage: row["stage"], nextDue: (row["next_due"] as Double?).map(Date.init(timeIntervalSince1970:)))
            }
        }
    }
}

extension CaseStore {
    /// Puts on the worklists (`listed`) the open tasks of the queues people serve now and not when this was last
    /// done, and takes off them those of queues people no longer serve: only when the policy's people's queues
    /// changed (they are kept in `meta`), so a start costs nothing, and a store migrated to v18 (nothing listed)
    /// lists its people's open tasks once. The writer lists each new task as the policy says.
    static func list(peopleQueues: [String], in db: Database) throws {
        let kept = try worklistQueues(in: db)
        let before = kept ?? []
        let now = Set(peopleQueues)
        guard kept == nil || before != now else { return }
        func mark(_ queues: Set<String>, listed: Bool) throws {
            for queue in queues.sorted() {
                try db.execute(
                    sql: """
                        UPDATE tasks INDEXED BY tasks_open_by_queue SET listed = ?
                        WHERE queue = ? AND status = 'open' AND listed = ?
                        """, arguments: [listed, queue, !listed])
            }
        }
        try mark(now.subtracting(before), listed: true)
        try mark(before.subtracting(now), listed: false)
        try db.execute(
            sql: "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
            arguments: [worklistQueuesKey, now.sorted().joined(separator: "\n")])
    }

    package static let worklistQueuesKey = "worklist-queues"

    /// The queues whose open tasks are on the worklists (`listed`), as `list(peopleQueues:in:)` last listed them;
    /// `nil` before it ever has.
    static func worklistQueues(in db: Database) throws -> Set<String>? {
        try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = ?", arguments: [worklistQueuesKey])
            .map { Set($0.split(separator: "\n").map(String.init)) }
    }
}

/// A worklist's conditions other than its queues, as SQL and arguments, and the reads built on them.
private struct WorklistFilter {
    var conditions: [String] = ["t.status = 'open'", "t.listed = 1"]
    var arguments: [(any DatabaseValueConvertible)?] = []
    /// Whether the rows read need the task's case (its name and stage, for the rows shown; a count does not).
    var joinsCases = false
    /// The team whose tasks are read, if one is: read through the indexes that lead by team.
    var team: String?

    init(_ query: WorklistQuery) {
        if let holder = query.heldBy {
            conditions.append("t.held_by = ?")
            arguments.append(holder)
        }
        if query.unheld { conditions.append("t.held_by IS NULL") }
        if let team = query.team {
            // The task's own copy of its case's team, which the writer keeps (migration v18): a team's list is read
            // through the indexes that lead by team, never by looking up each task's case.
            conditions.append("t.team = ?")
            arguments.append(team)
            self.team = team
        }
        if let kind = query.kind {
            conditions.append("t.kind = ?")
            arguments.append(kind.rawValue)
        }
        if let now = query.overdueAt {
            conditions.append("t.due IS NOT NULL AND t.due < ?")
            arguments.append(now.timeIntervalSince1970)
        }
    }

    /// `FROM … WHERE …` for tasks on `queues` queues (their names bound first), through `index` if named.
    func from(queues: Int, index: String? = nil, extra: [String] = []) -> String {
        let tasks = index.map { "tasks t INDEXED BY \($0)" } ?? "tasks t"
        let cases = joinsCases ? " JOIN cases c ON c.id = t.case_id" : ""
        let queue = queues == 1 ? "t.queue = ?" : "t.queue IN (\(Array(repeating: "?", count: queues).joined(separator: ", ")))"
        return "FROM \(tasks)\(cases) WHERE " + ([queue] + conditions + extra).joined(separator: " AND ")
    }

    /// The listed columns: the task's (its case's team among them), its rowid (the last tie-break) and its case's
    /// name and stage (stored before the case's state, so read without it).
    static let columns = "t.*, t.rowid AS listed_rowid, c.name AS person, c.stage AS stage"

    /// The tasks on `queues` in `order`, a page of them, read whole (a person's own tasks: few).
    func fetch(_ db: Database, queues: [String], order: String, limit: Int, offset: Int) throws -> [Row] {
        var query = self
        query.joinsCases = true
        return try Row.fetchAll(
            db, sql: "SELECT \(Self.columns) \(query.from(queues: queues.count)) ORDER BY \(order) LIMIT ? OFFSET ?",
            arguments: StatementArguments(queues + arguments + [limit, offset]))
    }

    /// The first `count` tasks on `queue` in `order`, read through the index in that order and no further. Soonest
    /// due first puts the tasks without a due date last: those with one are read first, then, if the page needs
    /// more, those without, oldest first.
    func first(_ count: Int, on queue: String, order: WorklistQuery.Order, in db: Database) throws -> [Row] {
        var query = self
        query.joinsCases = true
        func read(_ index: String, _ extra: [String], _ orderBy: String, _ limit: Int) throws -> [Row] {
            try Row.fetchAll(
                db,
                sql: "SELECT \(Self.columns) \(query.from(queues: 1, index: index, extra: extra)) ORDER BY \(orderBy) LIMIT ?",
                arguments: StatementArguments([queue] + arguments + [limit]))
        }
        let (byAge, byDue) = Self.indexes(team: team)
        switch order {
        case .age:
            return try read(byAge, [], "t.created_at, t.rowid", count)
        case .due:
            let dated = try read(byDue, ["t.due IS NOT NULL"], "t.due, t.created_at, t.rowid", count)
            guard dated.count < count else { return dated }
            return dated + (try read(byDue, ["t.due IS NULL"], "t.created_at, t.rowid", count - dated.count))
        }
    }

    /// The indexes of listed open tasks in age and in due order (migration v18): a team's, which lead by team, or
    /// every team's.
    static func indexes(team: String?) -> (age: String, due: String) {
        team == nil ? ("tasks_listed_by_age", "tasks_listed_by_due") : ("tasks_team_by_age", "tasks_team_by_due")
    }

    /// The order of a merged list: the order the indexes read each queue in.
    static func precedes(_ order: WorklistQuery.Order) -> (Row, Row) -> Bool {
        func key(_ row: Row) -> (Double, Int64) { (row["created_at"], row["listed_rowid"]) }
        switch order {
        case .age: return { key($0) < key($1) }
        case .due:
            return { left, right in
                let (a, b): (Double?, Double?) = (left["due"], right["due"])
                switch (a, b) {
                case (let a?, let b?): return a != b ? a < b : key(left) < key(right)
                case (.some, nil): return true
                case (nil, .some): return false
                case (nil, nil): return key(left) < key(right)
                }
            }
        }
    }
}
