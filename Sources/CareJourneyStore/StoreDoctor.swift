import CareJourneyCore
import Foundation
import GRDB

/// One thing `store doctor` found wrong: what, on which case, and what would put it right.
public struct DoctorFinding: Sendable, Equatable, Codable {
    /// The invariant a finding breaks.
    public enum Problem: String, Sendable, Codable, CaseIterable {
        /// An open case with no pending timer and no open task: nothing will ever move it on.
        case noNextStep = "no-next-step"
        /// A pending timer on a closed case: closing cancels every timer, and the case refuses it when it fires.
        case timerOnClosedCase = "timer-on-closed-case"
        /// A journey task open under a closed case: closing withdraws every task but those that outlive the case
        /// (`TaskKind.outlivingTheCase`: side machines, notices, `end-services`).
        case taskOnClosedCase = "task-on-closed-case"
        /// A case flagged overdue with neither an escalation task open nor the timer that will open one.
        case overdueNotEscalated = "overdue-not-escalated"

        /// The problem in words, for people.
        public var summary: String {
            switch self {
            case .noNextStep: "open, with no pending timer and no open task"
            case .timerOnClosedCase: "closed, with a pending timer"
            case .taskOnClosedCase: "closed, with a journey task still open"
            case .overdueNotEscalated: "overdue, with no escalation task and no escalation timer"
            }
        }
    }

    /// Which invariant it breaks.
    public var problem: Problem
    /// The case (`C-n`).
    public var caseID: String
    /// The case's stage, as its projection holds it.
    public var stage: String
    /// What is wrong, in words (with the timer or task concerned).
    public var detail: String
    /// The command that would put it right, and what to do after it.
    public var fix: String
}

/// What `store doctor` found: every finding (up to the limit) and how many there are of each problem.
public struct DoctorReport: Sendable, Codable {
    /// Open cases looked at.
    public var openCases = 0
    /// Closed cases looked at.
    public var closedCases = 0
    /// How many cases break each invariant (all of them, even beyond `findings`' limit), by problem's raw value.
    public var counts: [String: Int] = [:]
    /// The findings, by problem then case number, up to the limit.
    public var findings: [DoctorFinding] = []

    /// Whether nothing is wrong.
    public var isClean: Bool { counts.values.allSatisfy { $0 == 0 } }
}

/// The invariants the engine relies on that the projections alone show (`cases`, `timers`, `tasks` and their
/// indexes; no history is read): every open case has a next step, a closed case has no timer and no journey task,
/// and an overdue case is escalated. `store verify` replays histories; this answers in seconds over a million cases.
package enum StoreDoctor {
    /// Open cases with no pending timer and no open (or failed) task, as `id, number, stage`. Driven by the index
    /// by stage, which holds each case's id (migration v15); the timers' primary key answers for most cases, and only
    /// those without a timer have their tasks looked at.
    static let withoutNextStep = """
        SELECT id, number, stage FROM cases INDEXED BY cases_by_stage
        WHERE stage <> 'closed'
            AND NOT EXISTS (SELECT 1 FROM timers WHERE timers.case_id = cases.id)
            AND NOT EXISTS (
                SELECT 1 FROM tasks WHERE \(TaskRows.ofCase("cases.id")) AND tasks.status IN ('open', 'failed'))
        """

    /// Counts `withoutNextStep` by stage (for `StoreFigures`).
    static let withoutNextStepByStage = "SELECT stage, COUNT(*) AS n FROM (\(withoutNextStep)) GROUP BY stage"

    /// Closed cases' pending timers, as `id, number, stage, name`: the closed cases' ids from the index by stage,
    /// each looked up in the timers' primary key.
    static let timersOfClosedCases = """
        SELECT cases.id, cases.number, cases.stage, timers.name FROM cases INDEXED BY cases_by_stage
        CROSS JOIN timers ON timers.case_id = cases.id
        WHERE cases.stage = 'closed'
        """

    /// Open and failed tasks under closed cases, as `id, number, stage, task, kind`: driven by the indexes of open
    /// and of failed tasks (with their case numbers), each looked up among the closed cases in the index by stage,
    /// so that a task row is read only for a task under a closed case. Kinds that outlive the case are left out
    /// afterwards (`journeyTasksOfClosedCases`).
    static let tasksOfClosedCases = """
        SELECT cases.id, cases.number, cases.stage, tasks.id AS task, tasks.kind
        FROM tasks INDEXED BY tasks_open_by_queue CROSS JOIN cases INDEXED BY cases_by_stage
            ON cases.stage = 'closed' AND cases.number = tasks.case_number
        WHERE tasks.status = 'open'
        UNION ALL
        SELECT cases.id, cases.number, cases.stage, tasks.id AS task, tasks.kind
        FROM tasks INDEXED BY tasks_closed_by_queue CROSS JOIN cases INDEXED BY cases_by_stage
            ON cases.stage = 'closed' AND cases.number = tasks.case_number
        WHERE \(TaskRows.closed) AND tasks.status = 'failed'
        """

    /// `tasksOfClosedCases` but those whose kind outlives the case (`TaskKind.outlivingTheCase`).
    static let journeyTasksOfClosedCases = """
        SELECT * FROM (\(tasksOfClosedCases))
        WHERE kind NOT IN (\(TaskKind.outlivingTheCase.map { "'\($0.rawValue)'" }.sorted().joined(separator: ", ")))
        """

    /// Overdue cases with no escalation task open (an overdue review's or reablement's overrun) and no
    /// `review.escalation` timer pending, as `id, number, stage`.
    package static let overdueNotEscalated = """
        SELECT id, number, stage FROM cases WHERE overdue = 1
            AND NOT EXISTS (
                SELECT 1 FROM tasks WHERE \(TaskRows.ofCase("cases.id")) AND tasks.status IN ('open', 'failed')
                    AND tasks.kind IN ('\(TaskKind.escalateOverdueReview.rawValue)', '\(TaskKind.escalateReablementOverrun.rawValue)'))
            AND NOT EXISTS (
                SELECT 1 FROM timers WHERE timers.case_id = cases.id AND timers.name = '\(TimerName.reviewEscalation.rawValue)')
        """

    /// Runs every check in `db`, listing up to `limit` findings.
    static func examine(_ db: Database, dataDirectory: String, limit: Int) throws -> DoctorReport {
        let commands = Commands(
            verify: { id in "carejourney store verify --case \(id) --data-dir \(dataDirectory)" },
            repair: { sql in "with the service stopped: sqlite3 \(dataDirectory)/\(CaseStore.fileName) \"\(sql)\"" })
        let queries: [DoctorFinding.Problem: String] = [
            .noNextStep: withoutNextStep, .timerOnClosedCase: timersOfClosedCases,
            .taskOnClosedCase: journeyTasksOfClosedCases, .overdueNotEscalated: overdueNotEscalated,
        ]
        return try report(
            openCases: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM cases WHERE stage <> 'closed'") ?? 0,
            closedCases: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM cases WHERE stage = 'closed'") ?? 0,
            limit: limit, commands: commands
        ) { problem in
            try Row.fetchAll(db, sql: queries[problem]!).map { row in
                DoctorCase(
                    id: row["id"], number: row["number"], stage: row["stage"], timer: row["name"], task: row["task"],
                    kind: row["kind"])
            }
        }
    }
}

/// A case one of `store doctor`'s checks found, as any store reads it: with the timer (`timerOnClosedCase`) or the
/// task and its kind (`taskOnClosedCase`) concerned.
package struct DoctorCase: Sendable {
    let id: String
    let number: Int64
    let stage: String
    let timer: String?
    let task: String?
    let kind: String?

    package init(
        id: String, number: Int64, stage: String, timer: String? = nil, task: String? = nil, kind: String? = nil
    ) {
        self.id = id
        self.number = number
        self.stage = stage
        self.timer = timer
        self.task = task
        self.kind = kind
    }
}

extension StoreDoctor {
    /// The commands a store's findings give: checking a case's history (`verify`, given the case's id), and putting a
    /// row right by hand (`repair`, given the SQL statement): with what, and when.
    package struct Commands: Sendable {
        let verify: @Sendable (String) -> String
        let repair: @Sendable (String) -> String

        package init(verify: @escaping @Sendable (String) -> String, repair: @escaping @Sendable (String) -> String) {
            self.verify = verify
            self.repair = repair
        }
    }

    /// The report of the cases each check found (`found`, asked once a problem, in `Problem.allCases`' order), with
    /// `commands` in the fixes, listing up to `limit` findings by problem, then case number.
    package static func report(
        openCases: Int, closedCases: Int, limit: Int, commands: Commands,
        found: (DoctorFinding.Problem) throws -> [DoctorCase]
    ) rethrows -> DoctorReport {
        var report = DoctorReport()
        report.openCases = openCases
        report.closedCases = closedCases
        let verify = commands.verify
        for problem in DoctorFinding.Problem.allCases {
            let cases = try found(problem)
            report.counts[problem.rawValue] = cases.count
            report.findings += cases.prefix(max(0, limit - report.findings.count)).sorted { $0.number < $1.number }.map
            {
                row in
                let (id, name, task, kind) = (row.id, row.timer ?? "", row.task ?? "", row.kind ?? "")
                let (detail, fix): (String, String) =
                    switch problem {
                    case .noNextStep:
                        (
                            "case \(id) (\(row.stage)) is \(problem.summary)",
                            "\(verify(id)): if it differs, the tables lost the step its history holds (restore, "
                                + "ops/runbook.md); if it is clean, give the case its next step (start-review) or "
                                + "close it (close-case) at /cases/\(id)"
                        )
                    case .timerOnClosedCase:
                        (
                            "case \(id) is closed, and its timer '\(name)' is still pending: it will fire and be refused",
                            "\(verify(id)); then, "
                                + commands.repair("DELETE FROM timers WHERE case_id = '\(id)' AND name = '\(name)'")
                        )
                    case .taskOnClosedCase:
                        (
                            "case \(id) is closed, and its '\(kind)' task \(task) is still open: closing withdraws it",
                            "\(verify(id)); a worker's task: cancel-task \(task) at /cases/\(id); otherwise, "
                                + commands.repair("UPDATE tasks SET status = 'withdrawn' WHERE id = '\(task)'")
                        )
                    case .overdueNotEscalated:
                        (
                            "case \(id) (\(row.stage)) is \(problem.summary)",
                            "\(verify(id)); if it is clean, the team manager takes the case up: start-review at "
                                + "/cases/\(id)"
                        )
                    }
                return DoctorFinding(problem: problem, caseID: id, stage: row.stage, detail: detail, fix: fix)
            }
        }
        return report
    }
}

extension CaseStore {
    /// Checks, from the projections alone (no history is read), the invariants the engine relies on: every open
    /// case has a next step (a pending timer or an open task), a closed case has no pending timer and no journey
    /// task open, and an overdue case is escalated. Reads one consistent snapshot, so it can run beside a live
    /// service; a few seconds over a million cases (docs/operations.md#figures).
    ///
    /// - Parameters:
    ///   - dataDirectory: the folder as the user named it, for the commands the findings give (default: the
    ///     store's folder).
    ///   - limit: stop listing after this many findings (they are all counted).
    public func doctor(dataDirectory: String? = nil, limit: Int) async throws(StoreError) -> DoctorReport {
        let directory = dataDirectory ?? URL(fileURLWithPath: path).deletingLastPathComponent().path
        return try await readAsync { db in try StoreDoctor.examine(db, dataDirectory: directory, limit: limit) }
    }
}
