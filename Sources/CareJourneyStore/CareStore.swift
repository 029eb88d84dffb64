import CareJourneyCore
import Foundation

/// A store of cases, whichever database holds it: what the engine, the timer and disposal services, the server and
/// the demo run on. `CaseStore` (SQLite, one data folder) is one; a store on a database server is meant to be
/// another, chosen at start.
///
/// It is made of small protocols, one per concern, so that a caller can say what it needs. Every method keeps the
/// meaning `CaseStore` documents; a store on a server keeps it too, or does not conform. What only a local SQLite
/// file can do stays on `CaseStore` alone: the online backup and restore (`StoreBackup`, `StoreRestore`), the
/// integrity check and the WAL's checkpoints, `VACUUM` offline, recording a read in a store no service holds
/// (`CaseStore.recordRead(_:inStoreAt:)`), the data folder and its lock (`DataDirectory`, `DataDirectoryLock`),
/// and the copy between stores (`tableReader`, `insert`).
///
/// ```swift
/// let store: any CareStore = try CaseStore(directory: "/var/lib/carejourney")
/// let engine = try await Engine(store: store, policy: policy)
/// ```
public protocol CareStore: PolicyStore, CaseReading, FigureReading, HistoryReading, StoreMaintenance, TimerSource,
    TaskSource
{
    /// Where the store is, for logs and messages: the SQLite file's path.
    var location: String { get }

    /// The local folder the service keeps files of its own in beside the store (figures kept for the next start),
    /// or `nil` when it has none.
    var localFolder: String? { get }

    /// Where the engine writes its batches: one transaction a batch (`BatchCommitter`).
    var writer: any BatchCommitter { get }
}

/// The policies the store's history was applied under, the one new events run under, and the store's own settings.
public protocol PolicyStore: Sendable {
    /// The policy the store runs under, if one was set.
    func currentPolicy() async throws(StoreError) -> Policy?

    /// Records a policy (so history applied under it can be replayed) and, if `current`, makes it the one new events
    /// run under.
    func register(_ policy: Policy, current: Bool, at now: Date) async throws(StoreError)

    /// Every policy the history was applied under, by fingerprint.
    func policies() async throws(StoreError) -> [String: Policy]

    /// A value kept in the store's meta table.
    func meta(_ key: String) async throws(StoreError) -> String?

    /// Sets a value in the store's meta table.
    func setMeta(_ key: String, _ value: String) async throws(StoreError)

    /// Recomputes the pending timers of every open case under `policy` (`carejourney policy apply`), `chunk` cases at
    /// a time, each changed case with an audited `policy-applied` event; with `dryRun`, writes nothing. It runs
    /// while no engine does (its batches go straight to the store's writer, which blocks: call it from a thread of
    /// its own): on SQLite under the data folder's lock, on PostgreSQL with the serving nodes' lock held alone.
    func apply(
        _ policy: Policy, at now: Date, reason: String, dryRun: Bool, chunk: Int,
        progress: ((_ done: Int, _ total: Int) -> Void)?
    ) throws(StoreError) -> PolicyChangeReport
}

extension PolicyStore {
    /// Applies `policy` to the running cases a thousand at a time (`apply(_:at:reason:dryRun:chunk:progress:)`).
    public func apply(
        _ policy: Policy, at now: Date, reason: String, dryRun: Bool,
        progress: ((_ done: Int, _ total: Int) -> Void)? = nil
    ) throws(StoreError) -> PolicyChangeReport {
        try apply(policy, at: now, reason: reason, dryRun: dryRun, chunk: 1000, progress: progress)
    }
}

/// Cases, their histories, tasks and the reads of them, as committed.
public protocol CaseReading: Sendable {
    /// A case with its whole history and every task it has had, or `nil` when there is no such case.
    func record(of id: CaseID) async throws(StoreError) -> CaseRecord?

    /// A page of cases matching `filter`, oldest first (by case number).
    func cases(matching filter: CaseFilter) async throws(StoreError) -> CasePage

    /// The cases whose `contact` or `record-person-details` events record the NHS number `digits` (ten digits, no
    /// spaces), at most `limit`, in the order their first such event was recorded: a number recorded and later
    /// corrected still finds its case. No index holds it (about ten seconds over a million cases).
    func caseIDs(withNHSNumber digits: String, limit: Int) async throws(StoreError) -> [String]

    /// The open cases allocated to `worker`, by case number (at most `limit`).
    func cases(allocatedTo worker: String, limit: Int) async throws(StoreError) -> [AllocatedCase]

    /// A page of the open tasks `query` asks for, with their cases.
    func worklist(_ query: WorklistQuery) async throws(StoreError) -> WorklistPage

    /// Tasks on `queue` (any queue when `nil`) with `status`, oldest first, after the task `after`: at most `limit`.
    func tasks(on queue: String?, status: String, limit: Int, after: String?) async throws(StoreError)
        -> [TaskListing]

    /// A task's status (`open`, `completed`, `withdrawn`, `failed`), or `nil` if there is no such task.
    func taskStatus(_ id: String) async throws(StoreError) -> String?

    /// The reads of personal data `query` asks for, newest first: who looked at which cases, when, how and why.
    func accessLog(matching query: AccessQuery) async throws(StoreError) -> [AccessRecord]

    /// Whether the store has no cases yet (cheap, whatever its size).
    func isEmpty() async throws(StoreError) -> Bool

    /// When the latest event happened (a scaled clock continues from it after a restart).
    func latestEventTime() async throws(StoreError) -> Date?
}

extension CaseReading {
    /// Cases of the person `text` names, at most 200 (`cases(ofPerson:limit:)`).
    public func cases(ofPerson text: String) async throws(StoreError) -> [CaseSummary] {
        try await cases(ofPerson: text, limit: 200)
    }

    /// The cases of a person, for a subject access request: by NHS number (ten digits, spaces allowed) as recorded at
    /// contact or since (`caseIDs(withNHSNumber:limit:)`), else by name, as the case search matches names: every
    /// case whose name contains the text. At most `limit` cases by NHS number; by name `limit + 1` at most, and more
    /// than `limit` means the text is too broad.
    public func cases(ofPerson text: String, limit: Int) async throws(StoreError) -> [CaseSummary] {
        let digits = text.filter { !$0.isWhitespace }
        if digits.count == 10, digits.allSatisfy(\.isNumber) {
            var found: [CaseSummary] = []
            for id in try await caseIDs(withNHSNumber: digits, limit: limit) {
                found += try await cases(matching: CaseFilter(query: id, limit: 1)).cases.filter { $0.id.rawValue == id }
            }
            return found
        }
        var found: [CaseSummary] = []
        var filter = CaseFilter(query: text, limit: 100)
        while found.count <= limit {
            let page = try await cases(matching: filter)
            found += page.cases
            guard let next = page.nextCursor else { break }
            filter.cursor = next
        }
        return Array(found.prefix(limit + 1))
    }

    /// The first `limit` tasks on `queue` with `status` (`tasks(on:status:limit:after:)`).
    public func tasks(on queue: String?, status: String, limit: Int) async throws(StoreError) -> [TaskListing] {
        try await tasks(on: queue, status: status, limit: limit, after: nil)
    }
}

/// The figures the dashboard and `/metrics` show, read from the store now.
public protocol FigureReading: Sendable {
    /// Counts by stage, overdue reviews, pending timers and open tasks by queue.
    func stats() async throws(StoreError) -> StoreStats

    /// Open cases by stage with their waits at `now`.
    func stageFigures(at now: Date) async throws(StoreError) -> [StageFigures]

    /// How many cases are closed.
    func closedCases() async throws(StoreError) -> Int

    /// Every queue with open or failed tasks.
    func queueFigures() async throws(StoreError) -> [QueueFigures]

    /// Reviews due in the week from `now`, overdue now, and on time or late over the 12 months before it.
    func reviewFigures(at now: Date) async throws(StoreError) -> ReviewFigures
}

/// Whole histories, replayed, for reports and planning.
public protocol HistoryReading: Sendable {
    /// How many cases `reduceHistories(activeFrom:into:_:)` reads.
    func casesToReplay(activeFrom from: Date) async throws(StoreError) -> Int

    /// Folds, from one consistent read, the replayed history of every case not closed before `from`.
    func reduceHistories<Accumulator: Sendable>(
        activeFrom from: Date, into initial: Accumulator,
        _ update: @escaping @Sendable (inout Accumulator, CaseHistory) -> Void
    ) async throws(StoreError) -> Accumulator

    /// Folds the same histories `chunk` cases at a time, each chunk in a read of its own (beside a live service).
    func reduceHistories<Accumulator: Sendable>(
        activeFrom from: Date, into initial: Accumulator, inChunksOf chunk: Int,
        _ update: @escaping @Sendable (inout Accumulator, CaseHistory) -> Void
    ) async throws(StoreError) -> Accumulator

    /// Folds the replayed histories of the cases `ids`, `chunk` at a time.
    func reduceHistories<Accumulator: Sendable>(
        of ids: [CaseID], into initial: Accumulator, inChunksOf chunk: Int,
        _ update: @escaping @Sendable (inout Accumulator, CaseHistory) -> Void
    ) async throws(StoreError) -> Accumulator

    /// Reads the open cases as of `now` (or an even sample of about `sample` of them) and the last year's contacts:
    /// where a simulation of the plan starts from.
    func planningStart(asOf now: Date, sample: Int?) async throws(StoreError) -> PlanningStart
}

extension HistoryReading {
    /// Folds the replayed histories of the cases `ids`, 500 at a time (`reduceHistories(of:into:inChunksOf:_:)`).
    public func reduceHistories<Accumulator: Sendable>(
        of ids: [CaseID], into initial: Accumulator,
        _ update: @escaping @Sendable (inout Accumulator, CaseHistory) -> Void
    ) async throws(StoreError) -> Accumulator {
        try await reduceHistories(of: ids, into: initial, inChunksOf: 500, update)
    }

    /// Where a simulation of the plan starts from at `now`, from every open case.
    public func planningStart(asOf now: Date) async throws(StoreError) -> PlanningStart {
        try await planningStart(asOf: now, sample: nil)
    }
}

/// Checking the store, and disposal of cases past their retention period.
public protocol StoreMaintenance: Sendable {
    /// Rebuilds every case in `scope` from its history and compares the result with the stored projection, the
    /// pending timers and the open tasks, from one consistent read: listing at most `limit` differences, calling
    /// `progress` now and then with the cases checked and the total.
    func verify(
        _ scope: VerificationScope, limit: Int, progress: (@Sendable (_ done: Int, _ total: Int) -> Void)?
    ) async throws(StoreError) -> VerificationReport

    /// Checks, from the projections alone, the invariants the engine relies on (every open case has a next step, a
    /// closed case has none pending, an overdue case is escalated), from one consistent read. `dataDirectory` is the
    /// folder (or the database's address) as the user named it, for the commands the findings give; listing stops
    /// after `limit` findings.
    func doctor(dataDirectory: String?, limit: Int) async throws(StoreError) -> DoctorReport

    /// Counts the store's cases and events and reads its last event, from one snapshot.
    func contents() async throws(StoreError) -> StoreContents

    /// Examines every closed case's history for those kept their full period by `date` under `schedule`.
    func planDisposal(
        asOf date: Date, under schedule: RetentionSchedule, policy: String,
        progress: (@Sendable (_ done: Int, _ total: Int) -> Void)?
    ) async throws(StoreError) -> DisposalPlan

    /// Carries out a disposal run in steps, each a transaction `perform` runs (on the engine's writer, beside a
    /// running service: `Engine.dispose`). A store whose steps need not run on the engine's writer (PostgreSQL: each
    /// step a transaction of its own that locks its cases' rows) runs a step itself and gives `perform` its outcome,
    /// so that the engine's figures and its memory of the cases removed follow each step all the same.
    func carryOut(
        _ plan: DisposalPlan, by actor: String, at now: Date, batch: Int,
        progress: ((_ done: Int, _ total: Int) -> Void)?,
        perform: (@escaping @Sendable () throws(StoreError) -> DisposalStep) async throws(StoreError) -> DisposalStep
    ) async throws(StoreError) -> DisposalReport

    /// When disposal last ran, if it has.
    func lastDisposal() async throws(StoreError) -> Date?

    /// Indexes every case's name again: for tools that write cases straight into the store's tables, or to repair
    /// the index if `store verify` finds it out of step. (PostgreSQL keeps its index of the names in step itself:
    /// there this rebuilds it with `REINDEX`, a repair that is rarely needed.)
    func rebuildNameSearch() async throws(StoreError)
}

extension StoreMaintenance {
    /// The findings of `doctor(dataDirectory:limit:)`, listing at most a thousand.
    public func doctor(dataDirectory: String? = nil) async throws(StoreError) -> DoctorReport {
        try await doctor(dataDirectory: dataDirectory, limit: 1_000)
    }

    /// The plan of `planDisposal(asOf:under:policy:progress:)`, without progress.
    public func planDisposal(
        asOf date: Date, under schedule: RetentionSchedule, policy: String
    ) async throws(StoreError) -> DisposalPlan {
        try await planDisposal(asOf: date, under: schedule, policy: policy, progress: nil)
    }
}

/// Pending timers, for the timer service.
public protocol TimerSource: Sendable {
    /// Pending timers due by `deadline`, earliest first, at most `limit`: on a store several nodes share, the due ones
    /// among them are claimed for this node (its to fire) and another node's are left out.
    func timers(dueBy deadline: Date, limit: Int) async throws(StoreError) -> [TimerRecord]

    /// How many pending timers are due by `deadline`.
    func timerCount(dueBy deadline: Date) async throws(StoreError) -> Int
}

/// Open tasks waiting on their queues, for the task broker.
public protocol TaskSource: Sendable {
    /// Open tasks on `queue`, oldest first, skipping `excluding`: up to `limit`, each one this node's broker may
    /// dispatch (on a store several nodes share, leased to this node: another node's tasks are left out). `known`
    /// gives a case's state at a version when it is already in memory.
    func openTasks(
        on queue: String, excluding: Set<String>, limit: Int,
        known: @escaping @Sendable (CaseID, Int) -> CaseState?
    ) async throws(StoreError) -> [OpenTask]
}

extension CaseStore: CareStore {
    public var location: String { path }

    /// The data folder.
    public var localFolder: String? { URL(fileURLWithPath: path).deletingLastPathComponent().path }
}
