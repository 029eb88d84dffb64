import CareJourneyCore
import Foundation
import GRDB

extension CaseStore {
    /// A case with its whole history and every task it has had, or `nil` when there is no such case.
    public func record(of id: CaseID) async throws(StoreError) -> CaseRecord? {
        let rows = try await readAsync { db -> (StateCache.Entry, [HistoryRow], [TaskRecord])? in
            guard let current = try self.currentState(of: id, in: db) else { return nil }
            let history = try Row.fetchAll(
                db, sql: "SELECT * FROM events WHERE case_id = ? ORDER BY version", arguments: [id.rawValue]
            ).map(HistoryRow.init)
            let tasks = try Row.fetchAll(
                db, sql: "SELECT * FROM tasks WHERE \(TaskRows.ofCase(":case")) ORDER BY created_at, rowid",
                arguments: ["case": id.rawValue]
            ).map(TaskRecord.init)
            return (current, history, tasks)
        }
        guard let (current, history, tasks) = rows else { return nil }
        return CaseRecord(
            state: current.state, version: current.version,
            history: try history.map { row throws(StoreError) in try row.entry() }, tasks: tasks)
    }

    /// A page of cases matching `filter`, oldest first (by case number), found through indexes whatever the
    /// store's size (see `CaseSearch`).
    ///
    /// A name query of one or two characters examines at most 2,000 cases a page: such a page may hold fewer
    /// cases than the limit, or none, with a `nextCursor` to go on from; the pages together hold the same cases.
    public func cases(matching filter: CaseFilter) async throws(StoreError) -> CasePage {
        try await cases(matching: filter, window: CaseSearch.shortQueryWindow)
    }

    /// A page of cases matching `filter`, a short name query examining at most `window` cases.
    func cases(matching filter: CaseFilter, window: Int) async throws(StoreError) -> CasePage {
        let found = try await readAsync { db in try CaseSearch(filter, window: window).run(in: db) }
        let page = found.cases.prefix(filter.limit)
        return CasePage(
            cases: page.compactMap(\.summary),
            nextCursor: found.cases.count > filter.limit
                ? page.last.map { String($0.number) } : found.examinedTo.map { String($0) })
    }

    /// Counts by stage, overdue reviews, pending timers and open tasks by queue, read from the store now.
    public func stats() async throws(StoreError) -> StoreStats {
        StoreStats(try await readAsync { db in try StoreFigures.count(in: db) })
    }

    /// A read transaction held open on the store as it is now, for reading later.
    func snapshot() throws(StoreError) -> DatabaseSnapshot {
        do {
            return try pool.makeSnapshot()
        } catch {
            throw StoreError(.io, "cannot take a snapshot of the store", cause: error)
        }
    }

    /// The figures as they stood when `snapshot` was taken.
    func figures(in snapshot: DatabaseSnapshot) async throws(StoreError) -> StoreFigures {
        do {
            return try await snapshot.read { db in try StoreFigures.count(in: db) }
        } catch {
            throw StoreError(.io, "reading the store's figures failed", cause: error)
        }
    }

    /// How many pending timers are due by `deadline` (through the index by due time).
    public func timerCount(dueBy deadline: Date) async throws(StoreError) -> Int {
        try await readAsync { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM timers WHERE due <= ?", arguments: [deadline.timeIntervalSince1970])
                ?? 0
        }
    }

    /// Pending timers due by `deadline`, earliest first.
    public func timers(dueBy deadline: Date, limit: Int) async throws(StoreError) -> [TimerRecord] {
        try await readAsync { db in
            try Row.fetchAll(
                db, sql: "SELECT case_id, name, due FROM timers WHERE due <= ? ORDER BY due, case_id, name LIMIT ?",
                arguments: [deadline.timeIntervalSince1970, limit]
            ).compactMap { row in
                guard let name = TimerName(rawValue: row["name"]) else { return nil }
                return TimerRecord(
                    caseID: CaseID(row["case_id"] as String), name: name,
                    due: Date(timeIntervalSince1970: row["due"]))
            }
        }
    }
}

/// An open task waiting on its queue, with the state of its case (for the worker's brief).
public struct OpenTask: Sendable {
    public let task: CareTask
    /// How many times it has been dispatched before.
    public let attempts: Int
    public let state: CaseState

    /// Made field by field (by any store's reads).
    package init(task: CareTask, attempts: Int, state: CaseState) {
        self.task = task
        self.attempts = attempts
        self.state = state
    }
}

extension CaseStore {
    /// A task's status (`open`, `completed`, `withdrawn`, `failed`), or `nil` if there is no such task.
    public func taskStatus(_ id: String) throws(StoreError) -> String? {
        try read { db in try String.fetchOne(db, sql: "SELECT status FROM tasks WHERE id = ?", arguments: [id]) }
    }

    /// Open tasks on `queue`, oldest first, skipping those in `excluding` (the broker's own): up to `limit`.
    /// `known` gives a case's state at a version when it is already in memory (the engine's cache).
    public func openTasks(
        on queue: String, excluding: Set<String>, limit: Int,
        known: @escaping @Sendable (CaseID, Int) -> CaseState? = { _, _ in nil }
    ) async throws(StoreError) -> [OpenTask] {
        try await readAsync { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT tasks.id, tasks.case_id, tasks.attempts, cases.version FROM tasks
                    JOIN cases ON cases.id = tasks.case_id
                    WHERE tasks.queue = ? AND tasks.status = 'open'
                    ORDER BY tasks.created_at, tasks.id LIMIT ?
                    """,
                arguments: [queue, limit + excluding.count])
            var found: [OpenTask] = []
            for row in rows where found.count < limit {
                let id: String = row["id"]
                let caseID = CaseID(row["case_id"] as String)
                guard !excluding.contains(id),
                    let state = try known(caseID, row["version"]) ?? self.currentState(of: caseID, in: db)?.state,
                    let task = state.tasks.values.first(where: { $0.id.description == id })
                else { continue }
                found.append(OpenTask(task: task, attempts: row["attempts"], state: state))
            }
            return found
        }
    }
}

/// An events row, read before its data is typed.
package struct HistoryRow: Sendable {
    package let seq: Int64
    package let caseID: String
    package let version: Int
    package let name: String
    package let data: String
    package let at: Double
    package let actor: String
    package let reason: String?
    package let policy: String
    package let late: Double?

    /// A row of `events` as read by any store.
    package init(
        seq: Int64, caseID: String, version: Int, name: String, data: String, at: Double, actor: String,
        reason: String?, policy: String, late: Double?
    ) {
        self.seq = seq
        self.caseID = caseID
        self.version = version
        self.name = name
        self.data = data
        self.at = at
        self.actor = actor
        self.reason = reason
        self.policy = policy
        self.late = late
    }

    init(row: Row) {
        seq = row["seq"]
        caseID = row["case_id"]
        version = row["version"]
        name = row["name"]
        data = row["data"]
        at = row["at"]
        actor = row["actor"]
        reason = row["reason"]
        policy = row["policy"]
        late = row["late"]
    }

    /// The row as a line of a case's history (its data parsed as JSON).
    package func entry() throws(StoreError) -> HistoryEntry {
        let json: JSONValue
        do {
            json = try JSONDecoder().decode(JSONValue.self, from: Data(data.utf8))
        } catch {
            throw StoreError(.corrupt, "event \(seq) has data that is not JSON", cause: error)
        }
        return HistoryEntry(
            seq: seq, version: version, name: name, data: json, at: Date(timeIntervalSince1970: at), actor: actor,
            reason: reason, policy: policy, late: late)
    }

    package func event() throws(StoreError) -> Event { try StateCodec.event(name: name, data: data) }

    /// `event` (this row's, or a corrected one) applied to `state` as this row's was: at its time, by its actor.
    func apply(_ event: Event, to state: CaseState, policy: Policy) throws(TransitionError) -> CaseState {
        try transition(event, from: state, policy: policy).state
    }

    /// `event` applied to `state` as this row's was, with the effects it had.
    package func transition(_ event: Event, from state: CaseState, policy: Policy) throws(TransitionError) -> Transition {
        try Journey.apply(event, to: state, at: Date(timeIntervalSince1970: at), by: actor, policy: policy)
    }
}

extension TaskRecord {
    init(row: Row) {
        id = row["id"]
        kind = row["kind"]
        queue = row["queue"]
        detail = row["detail"]
        status = row["status"]
        createdAt = Date(timeIntervalSince1970: row["created_at"])
        resolvedAt = (row["resolved_at"] as Double?).map(Date.init(timeIntervalSince1970:))
        attempts = row["attempts"]
        progress = row["progress"]
        lastError = row["last_error"]
    }
}

extension CaseSummary {
    init?(row: Row) {
        guard let stage = Stage(rawValue: row["stage"]) else { return nil }
        id = CaseID(row["id"] as String)
        self.stage = stage
        name = row["name"]
        clientType = row["client_type"]
        openedAt = (row["opened_at"] as Double?).map(Date.init(timeIntervalSince1970:))
        updatedAt = Date(timeIntervalSince1970: row["updated_at"])
        overdue = row["overdue"]
        nextDue = (row["next_due"] as Double?).map(Date.init(timeIntervalSince1970:))
        nextTimer = row["next_timer"]
        team = row["team"]
        worker = row["worker"]
    }
}

extension CaseStore {
    /// When the latest event happened (a scaled clock continues from it after a restart).
    public func latestEventTime() throws(StoreError) -> Date? {
        try read { db in
            try Double.fetchOne(db, sql: "SELECT at FROM events ORDER BY seq DESC LIMIT 1")
                .map(Date.init(timeIntervalSince1970:))
        }
    }

    /// Whether the store has no cases yet (cheap, whatever its size).
    public func isEmpty() async throws(StoreError) -> Bool {
        try await readAsync { db in try !(Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM cases)") ?? false) }
    }
}
