import CareJourneyCore
import CareJourneyStore
import Foundation
import Logging
import PostgresNIO

/// Reads the cases `store verify` checks from PostgreSQL, a batch at a time in case id order, into the batches both
/// stores check the same way (`VerificationBatch`): the whole store in slices of `batch` cases (the last open-ended,
/// so that the events of a case with no projection are read too), or each case listed on its own. Every read runs
/// in the caller's transaction. Each case's name is looked up in the name search's table (`case_names`), whatever
/// the scope: a row is a lookup by key, where SQLite's index has to be searched or tallied.
struct PostgresVerificationReader {
    /// Case ids after `after` (or from `from`, inclusive) up to `upper` (inclusive); `nil`: unbounded.
    struct Range {
        var after: String?
        var from: String?
        var upper: String?
        /// Where it stands in the listing of cases asked for, if cases were.
        var position: Int?
    }

    let connection: PostgresConnection
    let logger: Logger
    let size: Int
    /// The cases asked for (`--case`, `--sample`), in id order; `nil` for the whole store.
    let listed: [String]?
    /// How many cases there are to check.
    let total: Int
    /// The queues whose open tasks are on the worklists, if the store has listed any.
    let worklistQueues: Set<String>?

    init(scope: VerificationScope, batch: Int, on connection: PostgresConnection, logger: Logger) async throws {
        self.connection = connection
        self.logger = logger
        size = max(1, batch)
        switch scope {
        case .all:
            listed = nil
        case .cases(let ids):
            listed = Set(ids.map(\.rawValue)).sorted()
        case .sample(let count):
            var ids: [String] = []
            for try await id in try await connection.query(
                "SELECT id FROM cases ORDER BY random() LIMIT \(Int64(max(0, count)))", logger: logger
            ).decode(String.self) {
                ids.append(id)
            }
            listed = ids.sorted()
        }
        if let listed {
            total = listed.count
        } else {
            total = try await connection.integer("SELECT COUNT(*) FROM cases", logger: logger)
        }
        var queues: Set<String>?
        for try await value in try await connection.query(
            "SELECT value FROM meta WHERE key = \(CaseStore.worklistQueuesKey)", logger: logger
        ).decode(String.self) {
            queues = Set(value.split(separator: "\n").map(String.init))
        }
        worklistQueues = queues
    }

    func first() async throws -> Range? {
        guard let listed else { return try await slice(after: nil) }
        return listed.first.map { Range(from: $0, upper: $0, position: 0) }
    }

    func after(_ range: Range) async throws -> Range? {
        guard let listed else {
            guard let upper = range.upper else { return nil }
            return try await slice(after: upper)
        }
        let position = (range.position ?? 0) + 1
        return position < listed.count
            ? Range(from: listed[position], upper: listed[position], position: position) : nil
    }

    /// The slice after the case id `after`: to the id `size` cases on, or open-ended for the last.
    private func slice(after: String?) async throws -> Range {
        var upper: String?
        for try await id in try await connection.query(
            "SELECT id FROM cases WHERE id > \(after ?? "") ORDER BY id LIMIT 1 OFFSET \(Int64(size - 1))",
            logger: logger
        ).decode(String.self) {
            upper = id
        }
        return Range(after: after, upper: upper)
    }

    /// The cases of `range`: their rows, timers, tasks and events.
    func batch(_ range: Range) async throws -> VerificationBatch {
        // Every statement takes the range's bounds as $1 (after), $2 (from) and $3 (upper), each null when unbounded.
        var bounds = PostgresBindings(capacity: 3)
        for bound in [range.after, range.from, range.upper] {
            if let bound { bounds.append(bound) } else { bounds.appendNull() }
        }
        func query(_ sql: String) -> PostgresQuery { PostgresQuery(unsafeSQL: sql, binds: bounds) }
        /// The condition on the case id `column`.
        func cases(_ column: String) -> String {
            """
            ($1::text IS NULL OR \(column) > $1) AND ($2::text IS NULL OR \(column) >= $2) \
            AND ($3::text IS NULL OR \(column) <= $3)
            """
        }
        var batch = VerificationBatch(asked: range.position == nil ? nil : range.from)
        for try await row in try await connection.query(
            query(
                """
                SELECT id, number, version, state_version, state, \(ProjectionColumns.names.joined(separator: ", "))
                FROM cases WHERE \(cases("id"))
                """), logger: logger
        ).decode(
            (
                String, Int64, Int64, Int64, ByteBuffer, String, String, String?, Double?, Int64, Double?, String?,
                String?, String?
            ).self)
        {
            let (id, number, version, snapshotVersion, state, stage, name, clientType, openedAt, overdue) = (
                row.0, row.1, row.2, row.3, row.4, row.5, row.6, row.7, row.8, row.9
            )
            let (nextDue, nextTimer, team, worker) = (row.10, row.11, row.12, row.13)
            let columns = ProjectionColumns(values: [
                .text(stage), .text(name), .textOrNull(clientType), .realOrNull(openedAt), .integer(overdue),
                .realOrNull(nextDue), .textOrNull(nextTimer), .textOrNull(team), .textOrNull(worker),
            ])
            batch.cases[id] = VerificationBatch.StoredCase(
                number: number, version: Int(version), snapshotVersion: Int(snapshotVersion),
                state: Data(state.readableBytesView), columns: columns, name: name)
        }
        // Each case's row in the name search (`case_names`): there, under its number, with its name.
        var names: [String: Bool] = [:]
        for try await (id, name, indexed) in try await connection.query(
            query(
                """
                SELECT c.id, c.name, n.name FROM cases c LEFT JOIN case_names n ON n.number = c.number
                WHERE \(cases("c.id"))
                """), logger: logger
        ).decode((String, String, String?).self) {
            names[id] = indexed == name
        }
        batch.nameFound = names
        for try await (caseID, name, due) in try await connection.query(
            query("SELECT case_id, name, due FROM timers WHERE \(cases("case_id"))"), logger: logger
        ).decode((String, String, Double).self) {
            if let name = TimerName(rawValue: name) {
                batch.timers[caseID, default: [:]][name] = Date(timeIntervalSince1970: due)
            }
        }
        // A case's tasks are `case#n`, between `case#` and `case$` (`TaskRows`).
        for try await (id, caseID, caseNumber, status, team, queue, listed, number) in try await connection.query(
            query(
                """
                SELECT t.id, t.case_id, t.case_number, t.status, t.team, t.queue, t.listed, c.number
                FROM tasks t LEFT JOIN cases c ON c.id = t.case_id
                WHERE ($1::text IS NULL OR t.id >= $1 || '$') AND ($2::text IS NULL OR t.id > $2 || '#')
                    AND ($3::text IS NULL OR t.id < $3 || '$')
                """), logger: logger
        ).decode((String, String, Int64?, String, String?, String, Int64, Int64?).self) {
            let open = status == TaskStatus.open.rawValue
            if open || status == TaskStatus.failed.rawValue { batch.openTasks[caseID, default: []].insert(id) }
            if open, let stored = batch.cases[caseID], stored.team != .textOrNull(team) { batch.misteamed.append(id) }
            if open, let queues = worklistQueues, (listed != 0) != queues.contains(queue) {
                batch.mislisted.append((id, listed != 0))
            }
            // As `tasks LEFT JOIN cases`: a task of no case counts unless it carries no number either.
            if caseNumber != number { batch.misnumbered += 1 }
        }
        try await connection.forEachEvent(
            query(
                """
                SELECT \(PostgresHistory.columns) FROM events e WHERE \(cases("e.case_id"))
                ORDER BY e.case_id, e.version
                """), logger: logger
        ) { batch.events.append($0) }
        return batch
    }
}
