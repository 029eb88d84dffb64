import CareJourneyCore
import CareJourneyStore
import Foundation
import Logging
import PostgresNIO

/// Disposal of the cases kept their full period, as on SQLite (`CaseStore+Disposal.swift`): the same plan, the same
/// rows removed, the same certificates.
///
/// Each step is a transaction of its own on one of the pool's connections, not a turn of the engine's writer: it
/// locks its cases' rows (`FOR UPDATE`, as every node's writer locks a case it writes), so no node can change a case
/// while it goes, and one that changed since it was examined is kept for the next run. `perform` is then given the
/// step's outcome, which the engine applies on its writer (its figures, and forgetting the cases removed, whose
/// states it may hold). PostgreSQL leaves the removed rows' old versions to autovacuum, which reclaims them as it
/// reclaims any deleted row's: there is no `VACUUM` or checkpoint to run here, as SQLite's WAL needs.
extension PostgresStore {
    /// Every kind of row a case has, and how disposal removes it (`$1` is the case's id), in the order they run,
    /// under the names SQLite's certificates count them by (`CaseRows`): the name search's row (`case_names`) first,
    /// while the case's row still gives its number.
    static let disposalSteps: [(table: String, sql: String)] = [
        ("cases_name", "DELETE FROM case_names WHERE number = (SELECT number FROM cases WHERE id = $1)"),
        ("events", "DELETE FROM events WHERE case_id = $1"),
        ("cases", "DELETE FROM cases WHERE id = $1"),
        ("timers", "DELETE FROM timers WHERE case_id = $1"),
        ("tasks", "DELETE FROM tasks WHERE \(TaskRows.ofCase("$1"))"),
        ("idempotency", "DELETE FROM idempotency WHERE case_id = $1"),
        (
            "access_log",
            """
            DELETE FROM access_log WHERE id IN (SELECT access_id FROM access_log_cases WHERE case_id = $1)
            AND NOT EXISTS (SELECT 1 FROM access_log_cases o WHERE o.access_id = access_log.id AND o.case_id <> $1)
            """
        ),
        (
            "access_log_queries",
            "UPDATE access_log SET query = NULL WHERE id IN (SELECT access_id FROM access_log_cases WHERE case_id = $1)"
        ),
        ("access_log_cases", "DELETE FROM access_log_cases WHERE case_id = $1"),
        ("reviews_done", "DELETE FROM reviews_done WHERE case_id = $1"),
    ]

    /// Examines every closed case's history, from one consistent read beside live nodes, for those kept their full
    /// period by `date` under `schedule` (`CaseStore.planDisposal`).
    public func planDisposal(
        asOf date: Date, under schedule: RetentionSchedule, policy: String,
        progress: (@Sendable (_ done: Int, _ total: Int) -> Void)?
    ) async throws(StoreError) -> DisposalPlan {
        let logger = logger
        let (examined, due) = try await withSnapshot("examining the closed cases") { connection in
            let total =
                progress == nil
                ? 0 : try await connection.integer("SELECT COUNT(*) FROM cases WHERE stage = 'closed'", logger: logger)
            return try await Self.fold(
                """
                SELECT \(unescaped: PostgresHistory.columns) FROM cases c JOIN events e ON e.case_id = c.id
                WHERE c.stage = 'closed' ORDER BY e.case_id, e.version
                """, on: connection, logger: logger, policies: try await connection.policies(logger: logger),
                into: (examined: 0, due: [(review: RetentionReview, version: Int)]())
            ) { found, history in
                found.examined += 1
                progress?(found.examined, total)
                if let review = schedule.review(history, asOf: date) {
                    found.due.append((review, history.steps.last?.version ?? 0))
                }
            }
        }
        return DisposalPlan(asOf: date, policy: policy, examined: examined, due: due)
    }

    /// Removes the cases of `plan` that may go — no legal hold, no open task, unchanged since they were examined —
    /// every row of each (`disposalSteps`), leaving a certificate without personal data; `batch` at a time, each
    /// batch a transaction of its own whose outcome `perform` is given (see above). A run stopped half-way leaves
    /// the cases removed so far removed, each with its certificate, and the next run looks again.
    public func carryOut(
        _ plan: DisposalPlan, by actor: String, at now: Date, batch: Int,
        progress: ((_ done: Int, _ total: Int) -> Void)?,
        perform: (@escaping @Sendable () throws(StoreError) -> DisposalStep) async throws(StoreError) -> DisposalStep
    ) async throws(StoreError) -> DisposalReport {
        let walked = try await plan.walk(inBatchesOf: batch, progress: progress) { cases throws(StoreError) in
            let removed = try await removeBatch(cases, of: plan, by: actor, at: now)
            return try await perform { removed }
        }
        let logger = logger
        try await withConnection("recording when disposal ran") { connection in
            try await connection.query(
                """
                INSERT INTO meta (key, value) VALUES (\(CaseStore.lastDisposalKey), \(String(now.timeIntervalSince1970)))
                ON CONFLICT (key) DO UPDATE SET value = excluded.value
                """, logger: logger
            ).drain()
        }
        return plan.report(walked.entries, by: actor, at: now)
    }

    /// Removes `cases` of `plan` in one transaction, their rows locked first, each that may go leaving its
    /// certificate.
    private func removeBatch(
        _ cases: [(review: RetentionReview, version: Int)], of plan: DisposalPlan, by actor: String, at now: Date
    ) async throws(StoreError) -> DisposalStep {
        let logger = logger
        return try await withConnection("disposing of \(cases.count) case(s)") { [self] connection in
            try await connection.withTransaction(logger: logger) { connection in
                let states = try await PostgresHistory.states(
                    of: cases.filter { plan.kept($0.review) == nil }.map { $0.review.caseID.rawValue },
                    on: connection, logger: logger, locking: true
                ) { try await policy($0, on: connection) }
                var step = DisposalStep()
                for (review, version) in cases {
                    if let kept = plan.kept(review) {
                        step.entries.append(.init(review, outcome: kept))
                        continue
                    }
                    let id = review.caseID
                    guard let entry = try states[id.rawValue]?.get(), entry.version == version else {
                        step.entries.append(.init(review, outcome: .changed))
                        continue
                    }
                    var tasks: [(queue: String, status: TaskStatus)] = []
                    for try await (queue, status) in try await connection.query(
                        PostgresQuery(
                            unsafeSQL: "SELECT queue, status FROM tasks WHERE \(TaskRows.ofCase("$1"))",
                            binds: Self.caseBinding(id)), logger: logger
                    ).decode((String, String).self) {
                        if let status = TaskStatus(rawValue: status) { tasks.append((queue, status)) }
                    }
                    step.figures.removed(entry.state, tasks: tasks)
                    let certificate = DisposalCertificate(
                        caseNumber: entry.number, caseID: id, openedAt: review.openedAt, closedAt: review.closedAt,
                        rule: review.rule.name, keptFor: review.rule.keep.description, policy: plan.policy,
                        disposedBy: actor, disposedAt: now, removed: [:])
                    let removed = try await Self.remove(certificate, on: connection, logger: logger)
                    step.entries.append(.init(review, outcome: .disposed, removed: removed))
                    step.removed.append(id)
                }
                return step
            }
        }
    }

    /// Removes every row of the certificate's case (`disposalSteps`, in order), then stores the certificate counting
    /// them.
    ///
    /// - Returns: the rows each table lost.
    private static func remove(
        _ certificate: DisposalCertificate, on connection: PostgresConnection, logger: Logger
    ) async throws -> [String: Int] {
        var removed: [String: Int] = [:]
        for (table, sql) in disposalSteps {
            // A count of the rows a statement changed, read back through RETURNING.
            let counted = "WITH changed AS (\(sql) RETURNING 1) SELECT COUNT(*) FROM changed"
            removed[table] = try await connection.integer(
                PostgresQuery(unsafeSQL: counted, binds: caseBinding(certificate.caseID)), logger: logger)
        }
        let text = String(decoding: try StateCodec.encode(removed), as: UTF8.self)
        try await connection.query(
            """
            INSERT INTO disposal_certificates (case_number, case_id, opened_at, closed_at, rule, kept_for, policy,
                disposed_by, disposed_at, removed)
            VALUES (\(certificate.caseNumber), \(certificate.caseID.rawValue),
                \(certificate.openedAt?.timeIntervalSince1970), \(certificate.closedAt.timeIntervalSince1970),
                \(certificate.rule), \(certificate.keptFor), \(certificate.policy), \(certificate.disposedBy),
                \(certificate.disposedAt.timeIntervalSince1970), \(text))
            """, logger: logger
        ).drain()
        return removed
    }

    /// The case's id as the statements' one parameter, `$1`.
    private static func caseBinding(_ id: CaseID) -> PostgresBindings {
        var binds = PostgresBindings(capacity: 1)
        binds.append(id.rawValue)
        return binds
    }
}
