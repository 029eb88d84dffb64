import CareJourneyCore
import Foundation
import GRDB

/// Every kind of row a case has, and how disposal removes it (`:case` is the case's id), in the order they run.
///
/// A table that holds rows of a case joins this list, and disposal removes its rows with the rest; the certificate
/// counts them under its name. The name search goes first: its entry is removed by giving the name again, which the
/// case's row still holds. Reads in the access log of this case alone go; a search or list that also showed other
/// cases stays for them, without its query (which may have named this person) and without this case.
enum CaseRows {
    static let disposal: [(table: String, sql: String)] = [
        (
            "cases_name",
            "INSERT INTO cases_name (cases_name, rowid, name) SELECT 'delete', number, lower(name) FROM cases WHERE id = :case"
        ),
        ("events", "DELETE FROM events WHERE case_id = :case"),
        ("cases", "DELETE FROM cases WHERE id = :case"),
        ("timers", "DELETE FROM timers WHERE case_id = :case"),
        ("tasks", "DELETE FROM tasks WHERE \(TaskRows.ofCase(":case"))"),
        ("idempotency", "DELETE FROM idempotency WHERE case_id = :case"),
        (
            "access_log",
            """
            DELETE FROM access_log WHERE id IN (SELECT access_id FROM access_log_cases WHERE case_id = :case)
            AND NOT EXISTS (SELECT 1 FROM access_log_cases o WHERE o.access_id = access_log.id AND o.case_id != :case)
            """
        ),
        (
            "access_log_queries",
            "UPDATE access_log SET query = NULL WHERE id IN (SELECT access_id FROM access_log_cases WHERE case_id = :case)"
        ),
        ("access_log_cases", "DELETE FROM access_log_cases WHERE case_id = :case"),
        ("reviews_done", "DELETE FROM reviews_done WHERE case_id = :case"),
    ]
}

extension CaseStore {
    /// The meta key that holds when disposal last ran (seconds since 1970), for the service's schedule.
    static let lastDisposalKey = "disposal.last-run"

    /// Examines every closed case's history, from one consistent read beside a live service, for those kept their
    /// full period by `date` under `schedule` (`RetentionSchedule.review`).
    ///
    /// - Throws: `corrupt` if a history does not replay (run `store verify`: nothing is disposed of from a store
    ///   that does not read back); `io` if the store cannot be read.
    public func planDisposal(asOf date: Date, under schedule: RetentionSchedule, policy: String)
        async
        throws(StoreError) -> DisposalPlan
    {
        let policies = try policies()
        let (examined, due) = try await readAsync { db in
            var examined = 0
            var due: [(review: RetentionReview, version: Int)] = []
            try HistoryReplay.forEachCase(
                in: db,
                sql: """
                    SELECT events.* FROM cases JOIN events ON events.case_id = cases.id WHERE cases.stage = 'closed'
                    ORDER BY events.case_id, events.version
                    """,
                policies: policies, onFailure: { throw $0 }
            ) { history in
                examined += 1
                if let review = schedule.review(history, asOf: date) {
                    due.append((review, history.steps.last?.version ?? 0))
                }
            }
            return (examined, due)
        }
        return DisposalPlan(asOf: date, policy: policy, examined: examined, due: due)
    }

    /// Removes the cases of `plan` that may go — no legal hold, no open task, unchanged since they were examined —
    /// every row of each (`CaseRows`), leaving a certificate without personal data; then merges the name search so
    /// that no fragment of a removed name stays in it, and empties the WAL (`truncateWAL`). Deleted content is
    /// zeroed as it is freed (`secure_delete`, set on every connection).
    ///
    /// Call it with the store to itself, with the data folder's lock held (`carejourney store dispose`); beside the
    /// running service, `Engine.dispose` does it between the engine's batches.
    ///
    /// - Parameters:
    ///   - actor: who disposes, for the certificates.
    ///   - now: when.
    /// - Throws: `StoreError` when the store cannot be written: nothing was removed.
    public func dispose(_ plan: DisposalPlan, by actor: String, at now: Date) throws(StoreError) -> DisposalReport {
        try remove(plan, by: actor, at: now).report
    }

    /// `dispose`, returning also how the store's figures changed and the cases removed.
    func remove(_ plan: DisposalPlan, by actor: String, at now: Date) throws(StoreError)
        -> (report: DisposalReport, figures: StoreFigures, removed: [CaseID])
    {
        let done = try write { db in
            var entries: [DisposalReport.Entry] = []
            var figures = StoreFigures()
            var removed: [CaseID] = []
            try db.inTransaction {
                for (review, version) in plan.due {
                    if let kept = plan.kept(review) {
                        entries.append(.init(review, outcome: kept))
                        continue
                    }
                    let id = review.caseID
                    guard let entry = try currentState(of: id, in: db), entry.version == version else {
                        entries.append(.init(review, outcome: .changed))
                        continue
                    }
                    figures.removed(
                        entry.state,
                        tasks: try Row.fetchAll(
                            db, sql: "SELECT queue, status FROM tasks WHERE \(TaskRows.ofCase(":case"))",
                            arguments: ["case": id.rawValue]
                        ).compactMap { row in TaskStatus(rawValue: row["status"]).map { (row["queue"], $0) } })
                    var rows: [String: Int] = [:]
                    for statement in CaseRows.disposal {
                        try db.execute(sql: statement.sql, arguments: ["case": id.rawValue])
                        rows[statement.table] = db.changesCount
                    }
                    try db.execute(
                        sql: """
                            INSERT INTO disposal_certificates (case_number, case_id, opened_at, closed_at, rule,
                                kept_for, policy, disposed_by, disposed_at, removed)
                            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                            """,
                        arguments: [
                            entry.number, id.rawValue, review.openedAt?.timeIntervalSince1970,
                            review.closedAt.timeIntervalSince1970, review.rule.name, review.rule.keep.description,
                            plan.policy, actor, now.timeIntervalSince1970,
                            String(decoding: try StateCodec.encode(rows), as: UTF8.self),
                        ])
                    entries.append(.init(review, outcome: .disposed, removed: rows))
                    removed.append(id)
                }
                if !removed.isEmpty { try db.execute(sql: NameSearch.optimize) }
                try db.execute(
                    sql: "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                    arguments: [Self.lastDisposalKey, String(now.timeIntervalSince1970)])
                return .commit
            }
            return (report: plan.report(entries, by: actor, at: now), figures: figures, removed: removed)
        }
        if !done.removed.isEmpty { truncateWAL() }
        return done
    }

    /// Rebuilds the database file with only what it holds now (`VACUUM`), then empties the WAL: for a store written
    /// before every connection zeroed what it freed (before schema v12), whose free pages may still hold copies of
    /// disposed cases or corrected values. Rewrites the whole file and needs as much free disk again: run it with the
    /// service stopped.
    public func vacuum() throws(StoreError) {
        try write { db in try db.execute(sql: "VACUUM") }
        truncateWAL()
    }

    /// When disposal last ran, if it has.
    func lastDisposal() throws(StoreError) -> Date? {
        try meta(Self.lastDisposalKey).flatMap(Double.init).map(Date.init(timeIntervalSince1970:))
    }
}
