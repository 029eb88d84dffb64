import CareJourneyCore
import CareJourneyStore
import Foundation
import Logging
import PostgresNIO

/// What a command does to the outbox (`tasks`), gathered as it is applied and carried out on the rows afterwards.
enum TaskChange {
    /// A task put on its queue: a new one inserted, or one put back (`retry-task`) reopened as new.
    case enqueue(CareTask, caseNumber: Int64, team: StoreValue)
    /// A task resolved, from `open` or `failed`; `queue` is the one its case held it on, when it did.
    case resolve(String, TaskResolution, at: Date, attempts: Int?, queue: String?)
    case hold(String, holder: String?)
    /// A case's open tasks follow it to another team.
    case setTeam(case: CaseID, team: StoreValue)

    /// The task it is about, if one.
    var taskID: String? {
        switch self {
        case .enqueue(let task, _, _): task.id.description
        case .resolve(let id, _, _, _, _), .hold(let id, _): id
        case .setTeam: nil
        }
    }

    /// The case whose open tasks it touches, for a team's change.
    var teamCase: String? {
        if case .setTeam(let id, _) = self { return id.rawValue }
        return nil
    }
}

extension StoreNote {
    /// The task the note is on.
    var taskID: String {
        switch self {
        case .task(.progress(let id, _)), .task(.released(let id, _, _)), .task(.failed(let id, _, _)): id
        }
    }
}

/// The rows of `tasks` a batch touches, read once, changed in memory in the batch's order with the rules of
/// `BatchWriter`'s statements (a note only on an open task; a resolution only from `open` or `failed`; a task put
/// on its queue again reopened as new), then written: new rows inserted in the order they were made (their `ord`),
/// changed rows updated, two statements.
struct PostgresTaskRows {
    /// A row of `tasks`, as the batch leaves it: the columns a batch may change, and what it is read or found by.
    struct Row {
        let id: String
        let caseID: String
        let queue: String
        var status: String
        var resolvedAt: Double?
        var attempts: Int64
        var progress: String?
        var lastError: String?
        var heldBy: String?
        var team: StoreValue
        var listed: Int64
        /// The rest of a row the batch enqueues, to insert; `nil` for a row read from the store, whose other columns
        /// no batch changes (and none reads).
        let enqueued: Enqueued?
        var changed = false

        /// Made in this batch: inserted, not updated.
        var isNew: Bool { enqueued != nil }
    }

    /// The columns of a new row that no batch changes after.
    struct Enqueued {
        let caseNumber: Int64
        let kind: String
        let detail: String?
        let createdAt: Double
        let due: Double?
    }

    private var rows: [String: Row] = [:]
    /// The ids of the rows, in the order they were read or added.
    private(set) var order: [String] = []
    /// The tasks read from the store that the batch moves to a status other than open (resolves, or fails): their
    /// leases (`TaskLeases`) go in the same transaction.
    private(set) var leftOpen: Set<String> = []
    /// The tasks the batch enqueues that are open when it commits: their node's broker hands them out.
    var enqueued: [String] { order.filter { rows[$0].map { $0.isNew && $0.status == "open" } ?? false } }

    /// No rows yet.
    init() {}

    /// The rows `query` read.
    init(_ read: PostgresQueryResult) throws {
        for row in read {
            let (id, caseID, queue, status, resolvedAt, attempts, progress, lastError, heldBy, team, listed, _) =
                try row.decode(
                    (String, String, String, String, Double?, Int64, String?, String?, String?, String?, Int64, Int64)
                        .self)
            add(
                Row(
                    id: id, caseID: caseID, queue: queue, status: status, resolvedAt: resolvedAt, attempts: attempts,
                    progress: progress, lastError: lastError, heldBy: heldBy, team: .textOrNull(team), listed: listed,
                    enqueued: nil))
        }
    }

    /// The query reading the rows of tasks `ids` and the open tasks of the cases `openOf`, sent with the batch's
    /// other statements (`PostgresPipeline`); `nil` when there is nothing to read. The tasks by id, and each case's
    /// open tasks through the primary key's index, between `case#` and `case$` (`TaskRows.ofCase`), case by case.
    /// No index leads by case: a condition on `case_id` read every open task whenever a batch moved a case's team,
    /// and a join on it let the planner hash the whole table; the subquery for each case (`OFFSET 0` keeps it one)
    /// reads that case's range alone. A row both parts find comes twice, side by side (`init(_:)` keeps one):
    /// cheaper than having PostgreSQL compare whole rows to drop it. Only the columns a batch reads or changes
    /// (`Row`), and `ord`, the order.
    static func query(ids: [String], openOf cases: [String]) -> PostgresQuery? {
        guard !ids.isEmpty || !cases.isEmpty else { return nil }
        let columns = (identity + changing).map { "tasks." + $0.name }.joined(separator: ", ") + ", tasks.ord"
        return """
            SELECT \(unescaped: columns) FROM tasks WHERE tasks.id = ANY(\(Array(Set(ids)))::text[])
            UNION ALL
            SELECT t.* FROM unnest(\(Array(Set(cases)))::text[] COLLATE "C") AS c(id) CROSS JOIN LATERAL (
                SELECT \(unescaped: columns) FROM tasks
                WHERE \(unescaped: TaskRows.ofCase("c.id")) AND tasks.status = 'open' OFFSET 0) AS t
            ORDER BY ord
            """
    }

    private mutating func add(_ row: Row) {
        if rows.updateValue(row, forKey: row.id) == nil { order.append(row.id) }
    }

    /// A note on a task's dispatch, as `BatchWriter` writes it: only on an open task.
    mutating func apply(_ note: StoreNote, changes: inout StoreFigures) {
        let note: TaskNote = switch note { case .task(let note): note }
        switch note {
        case .progress(let id, let progress):
            change(id, ifStatus: [.open]) { $0.progress = progress }
        case .released(let id, let attempts, let reason):
            change(id, ifStatus: [.open]) {
                $0.attempts = Int64(attempts)
                $0.lastError = reason
            }
        case .failed(let id, let attempts, let reason):
            change(id, ifStatus: [.open]) {
                $0.status = TaskStatus.failed.rawValue
                $0.attempts = Int64(attempts)
                $0.lastError = reason
                changes.task(on: $0.queue, from: .open, to: .failed)
            }
        }
    }

    /// What a command does to the tasks, as `BatchWriter.writeTasks` does it.
    mutating func apply(_ change: TaskChange, policy: Policy, changes: inout StoreFigures) {
        switch change {
        case .enqueue(let task, let caseNumber, let team):
            let listed: Int64 = policy.server(of: task.queue) == .people ? 1 : 0
            guard let existing = rows[task.id.description] else {
                var row = Row(
                    id: task.id.description, caseID: task.id.caseID.rawValue, queue: task.queue,
                    status: TaskStatus.open.rawValue, resolvedAt: nil, attempts: 0, progress: nil, lastError: nil,
                    heldBy: task.heldBy, team: team, listed: listed,
                    enqueued: Enqueued(
                        caseNumber: caseNumber, kind: task.kind.rawValue, detail: task.detail,
                        createdAt: task.createdAt.timeIntervalSince1970, due: task.due?.timeIntervalSince1970))
                row.changed = true
                add(row)
                changes.task(on: task.queue, from: nil, to: .open)
                return
            }
            guard let old = TaskStatus(rawValue: existing.status), old == .failed || old == .open else { return }
            self.change(existing.id, ifStatus: [old]) {
                $0.status = TaskStatus.open.rawValue
                $0.attempts = 0
                $0.progress = nil
                $0.lastError = nil
                $0.resolvedAt = nil
                $0.team = team
                $0.listed = listed
                changes.task(on: $0.queue, from: old, to: .open)
            }
        case .resolve(let id, let resolution, let at, let attempts, let queue):
            guard let status = rows[id].flatMap({ TaskStatus(rawValue: $0.status) }), status == .open || status == .failed
            else { return }
            self.change(id, ifStatus: [status]) {
                $0.status = resolution.rawValue
                $0.resolvedAt = at.timeIntervalSince1970
                if let attempts { $0.attempts = Int64(attempts) }
                changes.task(on: queue ?? $0.queue, from: status, to: TaskStatus(resolution))
            }
        case .hold(let id, let holder):
            self.change(id, ifStatus: nil) { $0.heldBy = holder }
        case .setTeam(let caseID, let team):
            for id in order where rows[id]!.caseID == caseID.rawValue {
                self.change(id, ifStatus: [.open]) { $0.team = team }
            }
        }
    }

    /// Changes the row of `id` with `body` when it exists and its status is one of `statuses` (any when `nil`).
    private mutating func change(_ id: String, ifStatus statuses: Set<TaskStatus>?, _ body: (inout Row) -> Void) {
        guard var row = rows[id] else { return }
        if let statuses {
            guard let status = TaskStatus(rawValue: row.status), statuses.contains(status) else { return }
        }
        let before = row.status
        body(&row)
        row.changed = true
        rows[id] = row
        if row.status == TaskStatus.open.rawValue {
            leftOpen.remove(id)
        } else if row.status != before, !row.isNew {
            leftOpen.insert(id)
        }
    }

    /// The statements inserting the new rows, in the order they were made, and updating the changed ones.
    func statements() -> [PostgresQuery] {
        let changed = order.compactMap { rows[$0] }.filter(\.changed)
        return [Self.insert(changed.filter(\.isNew)), Self.update(changed.filter { !$0.isNew })].compactMap { $0 }
    }

    /// The columns a batch may change in a row it read (`apply`); the others are the task's as it was enqueued.
    private static let changing: [Column] = [
        ("status", "text", { .text($0.status) }),
        ("resolved_at", "float8", { .realOrNull($0.resolvedAt) }),
        ("attempts", "bigint", { .integer($0.attempts) }),
        ("progress", "text", { .textOrNull($0.progress) }),
        ("last_error", "text", { .textOrNull($0.lastError) }),
        ("held_by", "text", { .textOrNull($0.heldBy) }),
        ("team", "text", { $0.team }),
        ("listed", "bigint", { .integer($0.listed) }),
    ]

    /// The columns a row is found by, the id first: a task's, for good.
    private static let identity: [Column] = [
        ("id", "text", { .text($0.id) }),
        ("case_id", "text", { .text($0.caseID) }),
        ("queue", "text", { .text($0.queue) }),
    ]

    /// The other columns a new row is inserted with (`Enqueued`), which no batch changes after.
    private static let enqueuedColumns: [Column] = [
        ("case_number", "bigint", { $0.enqueued.map { .integer($0.caseNumber) } ?? .null }),
        ("kind", "text", { $0.enqueued.map { .text($0.kind) } ?? .null }),
        ("detail", "text", { .textOrNull($0.enqueued?.detail) }),
        ("created_at", "float8", { $0.enqueued.map { .real($0.createdAt) } ?? .null }),
        ("due", "float8", { .realOrNull($0.enqueued?.due) }),
    ]

    /// A column of `tasks`: its name, its type, and a row's value of it.
    private typealias Column = (name: String, type: String, value: @Sendable (Row) -> StoreValue)

    /// The statement inserting `rows`, in their order (their `ord`); `nil` for none.
    static func insert(_ rows: [Row]) -> PostgresQuery? {
        guard !rows.isEmpty else { return nil }
        var parameters = ArrayParameters()
        let columns = identity + enqueuedColumns + changing
        let arrays = columns.map { parameters.array(rows.map($0.value), $0.type) }.joined(separator: ", ")
        let names = columns.map(\.name).joined(separator: ", ")
        return PostgresQuery(
            unsafeSQL: """
                INSERT INTO tasks (\(names)) SELECT \(names)
                FROM unnest(\(arrays)) WITH ORDINALITY AS t(\(names), o) ORDER BY o
                """, binds: parameters.bindings)
    }

    /// The statement writing the changing columns of `rows`, read from the store; `nil` for none.
    static func update(_ rows: [Row]) -> PostgresQuery? {
        guard !rows.isEmpty else { return nil }
        let updated = [identity[0]] + changing
        var parameters = ArrayParameters()
        let arrays = updated.map { parameters.array(rows.map($0.value), $0.type) }.joined(separator: ", ")
        return PostgresQuery(
            unsafeSQL: """
                UPDATE tasks t SET \(changing.map { "\($0.name) = u.\($0.name)" }.joined(separator: ", "))
                FROM unnest(\(arrays)) AS u(\(updated.map(\.name).joined(separator: ", ")))
                WHERE t.id = u.id
                """, binds: parameters.bindings)
    }
}
