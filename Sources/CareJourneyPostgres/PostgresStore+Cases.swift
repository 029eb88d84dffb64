import CareJourneyCore
import CareJourneyStore
import Foundation
import PostgresNIO

extension PostgresStore: CaseReading {
    /// A case with its whole history and every task it has had, or `nil` when there is no such case: read from one
    /// snapshot.
    public func record(of id: CaseID) async throws(StoreError) -> CaseRecord? {
        let read: (version: Int, state: CaseState, history: [HistoryRow], tasks: [TaskRecord])? =
            try await withSnapshot("reading case \(id) at \(address)") { [self] connection in
                guard let current = try await currentStates(of: [id.rawValue], on: connection)[id.rawValue] else {
                    return nil
                }
                let history = try await historyRows("e.case_id = \(id.rawValue)", on: connection)
                var tasks: [TaskRecord] = []
                for try await row in try await connection.query(
                    """
                    SELECT id, kind, queue, detail, status, created_at, resolved_at, attempts, progress, last_error
                    FROM tasks WHERE id > \(id.rawValue) || '#' AND id < \(id.rawValue) || '$' AND case_id = \(id.rawValue)
                    ORDER BY created_at, ord
                    """, logger: logger
                ).decode((String, String, String, String?, String, Double, Double?, Int64, String?, String?).self) {
                    tasks.append(
                        TaskRecord(
                            id: row.0, kind: row.1, queue: row.2, detail: row.3, status: row.4,
                            createdAt: Date(timeIntervalSince1970: row.5),
                            resolvedAt: row.6.map(Date.init(timeIntervalSince1970:)), attempts: Int(row.7),
                            progress: row.8, lastError: row.9))
                }
                return (current.version, current.state, history, tasks)
            }
        guard let read else { return nil }
        return CaseRecord(
            state: read.state, version: read.version,
            history: try read.history.map { row throws(StoreError) in try row.entry() }, tasks: read.tasks)
    }

    /// The open cases allocated to `worker`, by case number (at most `limit`).
    public func cases(allocatedTo worker: String, limit: Int) async throws(StoreError) -> [AllocatedCase] {
        try await withConnection("listing the cases allocated to \(worker) at \(address)") { [self] connection in
            var found: [AllocatedCase] = []
            for try await (id, name, stage, nextDue) in try await connection.query(
                """
                SELECT id, name, stage, next_due FROM cases WHERE worker = \(worker) AND stage <> 'closed'
                ORDER BY number LIMIT \(Int64(limit))
                """, logger: logger
            ).decode((String, String, String, Double?).self) {
                found.append(
                    AllocatedCase(
                        id: CaseID(id), personName: name.isEmpty ? nil : name, stage: stage,
                        nextDue: nextDue.map(Date.init(timeIntervalSince1970:))))
            }
            return found
        }
    }

    /// A page of the open tasks `query` asks for, with their cases: in the order `CaseStore.worklist` gives (soonest
    /// due first, tasks without a due date last, then oldest; or oldest first), counted up to
    /// `WorklistPage.countLimit`, from one snapshot.
    public func worklist(_ query: WorklistQuery) async throws(StoreError) -> WorklistPage {
        guard !query.queues.isEmpty else { return WorklistPage(items: [], total: 0) }
        return try await withSnapshot("reading a worklist at \(address)") { [self] connection in
            var count = PostgresStatement()
            count.sql =
                "SELECT count(*) FROM (SELECT 1 FROM tasks t WHERE \(Self.worklistConditions(query, in: &count)) "
            count.sql += "LIMIT \(count.bind(Int64(WorklistPage.countLimit + 1)))) AS matching"
            var counted = 0
            for try await value in try await connection.query(count.query, logger: logger).decode(Int64.self) {
                counted = Int(value)
            }
            var page = PostgresStatement()
            page.sql = """
                SELECT \(TaskListing.postgresColumns("t.")), t.team, c.name, c.stage
                FROM tasks t JOIN cases c ON c.id = t.case_id WHERE \(Self.worklistConditions(query, in: &page))
                ORDER BY \(query.order == .due ? "t.due IS NULL, t.due, t.created_at, t.ord" : "t.created_at, t.ord")
                LIMIT \(page.bind(Int64(query.limit))) OFFSET \(page.bind(Int64(query.offset)))
                """
            var items: [WorklistItem] = []
            for try await row in try await connection.query(page.query, logger: logger).decode(
                (
                    String, String, String, String, String, Int64, Double, String?, String?, Double?, String?, String?,
                    String, String
                ).self)
            {
                let task = TaskListing(
                    id: row.0, caseID: CaseID(row.1), kind: row.2, queue: row.3, status: row.4, attempts: Int(row.5),
                    createdAt: Date(timeIntervalSince1970: row.6), progress: row.7, lastError: row.8,
                    due: row.9.map(Date.init(timeIntervalSince1970:)), heldBy: row.10)
                items.append(
                    WorklistItem(task: task, personName: row.12.isEmpty ? nil : row.12, stage: row.13, team: row.11))
            }
            return WorklistPage(
                items: items, total: min(counted, WorklistPage.countLimit),
                totalIsAtLeast: counted > WorklistPage.countLimit)
        }
    }

    /// The conditions on `tasks t` of a worklist, its values bound in `statement`.
    private static func worklistConditions(_ query: WorklistQuery, in statement: inout PostgresStatement) -> String {
        var conditions = [
            "t.queue = ANY(\(statement.bind(query.queues))::text[])", "t.status = 'open'", "t.listed = 1",
        ]
        if let holder = query.heldBy { conditions.append("t.held_by = \(statement.bind(holder))") }
        if query.unheld { conditions.append("t.held_by IS NULL") }
        if let team = query.team { conditions.append("t.team = \(statement.bind(team))") }
        if let kind = query.kind { conditions.append("t.kind = \(statement.bind(kind.rawValue))") }
        if let now = query.overdueAt {
            conditions.append("t.due IS NOT NULL AND t.due < \(statement.bind(now.timeIntervalSince1970))")
        }
        return conditions.joined(separator: " AND ")
    }

    /// Tasks on `queue` (any queue when `nil`) with `status`, in the order they were made, after the task `after`
    /// (none when there is no such task): at most `limit`.
    public func tasks(on queue: String?, status: String, limit: Int, after: String?) async throws(StoreError)
        -> [TaskListing]
    {
        var statement = PostgresStatement()
        statement.sql = "SELECT \(TaskListing.postgresColumns()) FROM tasks WHERE status = \(statement.bind(status))"
        if let queue { statement.sql += " AND queue = \(statement.bind(queue))" }
        if let after { statement.sql += " AND ord > (SELECT ord FROM tasks WHERE id = \(statement.bind(after)))" }
        statement.sql += " ORDER BY ord LIMIT \(statement.bind(Int64(limit)))"
        let query = statement.query
        return try await withConnection("listing \(status) tasks at \(address)") { [self] connection in
            var found: [TaskListing] = []
            for try await row in try await connection.query(query, logger: logger).decode(
                (String, String, String, String, String, Int64, Double, String?, String?, Double?, String?).self)
            {
                found.append(
                    TaskListing(
                        id: row.0, caseID: CaseID(row.1), kind: row.2, queue: row.3, status: row.4,
                        attempts: Int(row.5), createdAt: Date(timeIntervalSince1970: row.6), progress: row.7,
                        lastError: row.8, due: row.9.map(Date.init(timeIntervalSince1970:)), heldBy: row.10))
            }
            return found
        }
    }

    /// A task's status (`open`, `completed`, `withdrawn`, `failed`), or `nil` if there is no such task.
    public func taskStatus(_ id: String) async throws(StoreError) -> String? {
        try await withConnection("reading task \(id)'s status at \(address)") { [self] connection in
            var status: String?
            for try await value in try await connection.query(
                "SELECT status FROM tasks WHERE id = \(id)", logger: logger
            ).decode(String.self) {
                status = value
            }
            return status
        }
    }

    /// The reads of personal data `query` asks for, newest first: who looked at which cases, when, how and why.
    public func accessLog(matching query: AccessQuery) async throws(StoreError) -> [AccessRecord] {
        if let cases = query.cases, cases.isEmpty { return [] }
        var statement = PostgresStatement(
            "SELECT id, at, actor, channel, query, detail, reason FROM access_log WHERE true")
        if let cases = query.cases {
            statement.sql += """
                 AND id IN (SELECT access_id FROM access_log_cases WHERE case_id = ANY(\(statement.bind(cases.map(\.rawValue)))::text[]))
                """
        }
        if let actor = query.actor { statement.sql += " AND actor = \(statement.bind(actor))" }
        if let start = query.from { statement.sql += " AND at >= \(statement.bind(start.timeIntervalSince1970))" }
        if let end = query.to { statement.sql += " AND at < \(statement.bind(end.timeIntervalSince1970))" }
        statement.sql += " ORDER BY at DESC, id DESC LIMIT \(statement.bind(Int64(query.limit)))"
        let reads = statement.query
        return try await withSnapshot("reading the access log at \(address)") { [self] connection in
            var rows:
                [(
                    id: Int64, at: Double, actor: String, channel: String, query: String?, detail: String?,
                    reason: String?
                )] = []
            for try await row in try await connection.query(reads, logger: logger).decode(
                (Int64, Double, String, String, String?, String?, String?).self)
            {
                rows.append(row)
            }
            var cases: [Int64: [CaseID]] = [:]
            for try await (access, caseID) in try await connection.query(
                "SELECT access_id, case_id FROM access_log_cases WHERE access_id = ANY(\(rows.map(\.id))::bigint[]) ORDER BY ord",
                logger: logger
            ).decode((Int64, String).self) {
                cases[access, default: []].append(CaseID(caseID))
            }
            return rows.map { row in
                AccessRecord(
                    actor: row.actor, at: Date(timeIntervalSince1970: row.at),
                    channel: AccessRecord.Channel(rawValue: row.channel) ?? .view, cases: cases[row.id] ?? [],
                    query: row.query, detail: row.detail, reason: row.reason)
            }
        }
    }

    /// Whether the store has no cases yet (cheap, whatever its size).
    public func isEmpty() async throws(StoreError) -> Bool {
        try await withConnection("reading whether \(address) holds cases") { [self] connection in
            var empty = true
            for try await value in try await connection.query("SELECT NOT EXISTS (SELECT 1 FROM cases)", logger: logger)
                .decode(Bool.self)
            {
                empty = value
            }
            return empty
        }
    }

    /// When the latest event happened (a scaled clock continues from it after a restart).
    public func latestEventTime() async throws(StoreError) -> Date? {
        try await withConnection("reading the latest event's time at \(address)") { [self] connection in
            var at: Double?
            for try await value in try await connection.query(
                "SELECT at FROM events ORDER BY seq DESC LIMIT 1", logger: logger
            ).decode(Double.self) {
                at = value
            }
            return at.map(Date.init(timeIntervalSince1970:))
        }
    }
}

extension TaskListing {
    /// The columns of `tasks` a listing is read from, in the order its initialiser takes them, each after `table`.
    static func postgresColumns(_ table: String = "") -> String {
        [
            "id", "case_id", "kind", "queue", "status", "attempts", "created_at", "progress", "last_error", "due",
            "held_by",
        ]
        .map { table + $0 }.joined(separator: ", ")
    }
}
