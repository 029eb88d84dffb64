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

/// What one step of a disposal run did on the writer: the cases of a batch it settled, how the store's figures
/// changed and the cases it removed; or, for a step of the name search's merge, whether more remains.
public struct DisposalStep: Sendable {
    package var entries: [DisposalReport.Entry] = []
    package var figures = StoreFigures()
    package var removed: [CaseID] = []
    package var more = false

    package init(entries: [DisposalReport.Entry] = [], figures: StoreFigures = StoreFigures(), removed: [CaseID] = []) {
        self.entries = entries
        self.figures = figures
        self.removed = removed
    }

    init(more: Bool) {
        self.more = more
    }
}

extension CaseStore {
    /// The meta key that holds when disposal last ran (seconds since 1970), for the service's schedule.
    package static let lastDisposalKey = "disposal.last-run"

    /// The cases one step of a disposal run settles in one transaction: a few milliseconds of the writer's time, so
    /// that beside the running service commands and reads of personal data are committed between two steps rather
    /// than waiting for the whole run.
    public static let disposalBatch = 16

    /// The pages of the name search one step of its merge writes (about 4 kB each).
    static let nameSearchMergePages = 64

    /// Examines every closed case's history, from one consistent read beside a live service, for those kept their
    /// full period by `date` under `schedule` (`RetentionSchedule.review`).
    ///
    /// - Parameter progress: called as the cases are examined, with those examined so far and how many closed cases
    ///   there are.
    /// - Throws: `corrupt` if a history does not replay (run `store verify`: nothing is disposed of from a store
    ///   that does not read back); `io` if the store cannot be read.
    public func planDisposal(
        asOf date: Date, under schedule: RetentionSchedule, policy: String,
        progress: (@Sendable (_ done: Int, _ total: Int) -> Void)?
    ) async throws(StoreError) -> DisposalPlan {
        let policies = try policies()
        let (examined, due) = try await readAsync { db in
            let total =
                progress == nil
                ? 0 : try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM cases WHERE stage = 'closed'") ?? 0
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
                progress?(examined, total)
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
    /// The cases go `batch` at a time, each batch in a transaction of its own (`carryOut`). Call it with the store to
    /// itself, with the data folder's lock held (`carejourney store dispose`); beside the running service,
    /// `Engine.dispose` runs the same steps between the engine's batches.
    ///
    /// - Parameters:
    ///   - actor: who disposes, for the certificates.
    ///   - now: when.
    ///   - progress: called after each batch with the cases settled so far and how many are past their period.
    /// - Throws: `StoreError` when the store cannot be written: the batch being written was not removed (those
    ///   before it were, each with its certificate).
    public func dispose(
        _ plan: DisposalPlan, by actor: String, at now: Date, batch: Int = disposalBatch,
        progress: ((_ done: Int, _ total: Int) -> Void)? = nil
    ) async throws(StoreError) -> DisposalReport {
        try await carryOut(plan, by: actor, at: now, batch: batch, progress: progress) { step throws(StoreError) in
            try step()
        }
    }

    /// A disposal run in steps, each a transaction `perform` runs on the writer and no step longer than a few
    /// milliseconds: the cases `batch` at a time, then the name search's merge a few pages at a time (merges with a
    /// negative page count first, then positive ones until one does nothing: SQLite's FTS5 says this is `optimize`
    /// in parts, and it finishes even while new names are indexed meanwhile), then the time of the run in the meta
    /// table and the WAL emptied. A run stopped half-way (the service shutting down) leaves the cases removed so far
    /// removed, each with its certificate, and the next run looks again.
    public func carryOut(
        _ plan: DisposalPlan, by actor: String, at now: Date, batch: Int,
        progress: ((_ done: Int, _ total: Int) -> Void)?,
        perform: (@escaping @Sendable () throws(StoreError) -> DisposalStep) async throws(StoreError) -> DisposalStep
    ) async throws(StoreError) -> DisposalReport {
        let walked = try await plan.walk(inBatchesOf: batch, progress: progress) { cases throws(StoreError) in
            try await perform { [self] () throws(StoreError) in try removeBatch(cases, of: plan, by: actor, at: now) }
        }
        let removedAny = walked.removedAny
        if removedAny {
            var more = try await perform { [self] () throws(StoreError) in
                DisposalStep(more: try mergeNameSearch(starting: true))
            }.more
            while more {
                more = try await perform { [self] () throws(StoreError) in
                    DisposalStep(more: try mergeNameSearch(starting: false))
                }.more
            }
        }
        _ = try await perform { [self, removedAny] () throws(StoreError) in
            try setMeta(Self.lastDisposalKey, String(now.timeIntervalSince1970))
            if removedAny { truncateWAL() }
            return DisposalStep()
        }
        return plan.report(walked.entries, by: actor, at: now)
    }

    /// Removes `cases` of `plan` in one transaction, each that may go leaving its certificate.
    func removeBatch(
        _ cases: [(review: RetentionReview, version: Int)], of plan: DisposalPlan, by actor: String, at now: Date
    ) throws(StoreError) -> DisposalStep {
        try write { db in
            var step = DisposalStep()
            try db.inTransaction {
                for (review, version) in cases {
                    if let kept = plan.kept(review) {
                        step.entries.append(.init(review, outcome: kept))
                        continue
                    }
                    let id = review.caseID
                    guard let entry = try currentState(of: id, in: db), entry.version == version else {
                        step.entries.append(.init(review, outcome: .changed))
                        continue
                    }
                    step.figures.removed(
                        entry.state,
                        tasks: try Row.fetchAll(
                            db, sql: "SELECT queue, status FROM tasks WHERE \(TaskRows.ofCase(":case"))",
                            arguments: ["case": id.rawValue]
                        ).compactMap { row in TaskStatus(rawValue: row["status"]).map { (row["queue"], $0) } })
                    let rows = try DisposalCertificate(
                        caseNumber: entry.number, caseID: id, openedAt: review.openedAt, closedAt: review.closedAt,
                        rule: review.rule.name, keptFor: review.rule.keep.description, policy: plan.policy,
                        disposedBy: actor, disposedAt: now, removed: [:]
                    ).removeCase(in: db)
                    step.entries.append(.init(review, outcome: .disposed, removed: rows))
                    step.removed.append(id)
                }
                return .commit
            }
            return step
        }
    }

    /// One step of the name search's merge (`nameSearchMergePages` pages): the first of a run `starting` it over
    /// every segment. Returns whether it merged anything (when it did not, the merge is done).
    func mergeNameSearch(starting: Bool) throws(StoreError) -> Bool {
        let pages = starting ? -Self.nameSearchMergePages : Self.nameSearchMergePages
        return try write { db in
            let before = db.totalChangesCount
            try db.execute(sql: NameSearch.merge, arguments: [pages])
            return db.totalChangesCount - before >= 2
        }
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
    public func lastDisposal() throws(StoreError) -> Date? {
        try meta(Self.lastDisposalKey).flatMap(Double.init).map(Date.init(timeIntervalSince1970:))
    }
}
