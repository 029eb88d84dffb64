import CareJourneyCore
import Foundation
import GRDB

/// Writes one batch of commands inside one transaction.
///
/// Everything that can fail for one command alone (an unknown case, a refusal, a state that does not read) is
/// found before that command writes anything, so it fails alone; a failing write fails the whole batch, and
/// the caller answers every command in it with an error (nothing was committed, so retrying is safe).
struct BatchWriter {
    let policy: Policy
    let policyFingerprint: String
    /// When this batch is written (the engine's clock), for every event's `recorded_at`.
    let recordedAt: Date
    /// A case's state as the engine last committed it (from the engine's cache), if it holds it.
    let known: @Sendable (CaseID) -> StateCache.Entry?
    /// The store, to read states and older policies it does not hold in memory.
    let store: CaseStore
    /// States this batch wrote, for the cache once the batch commits.
    private(set) var written: [CaseID: StateCache.Entry] = [:]
    /// How this batch changed the store's figures, for `Engine.figures` once the batch commits.
    private(set) var changes = StoreFigures()
    /// How many transitions this batch took as their submitting tasks worked them out (`PreparedTransition`).
    private(set) var preparedTaken = 0
    private var statements = WriterStatements()

    init(
        store: CaseStore, policy: Policy, policyFingerprint: String, recordedAt: Date,
        known: @escaping @Sendable (CaseID) -> StateCache.Entry? = { _ in nil }
    ) {
        self.store = store
        self.recordedAt = recordedAt
        self.policy = policy
        self.policyFingerprint = policyFingerprint
        self.known = known
    }

    /// Carries out each command in the transaction of `db`.
    mutating func write(_ commands: [WriterBatch.Submission], in db: Database) throws
        -> [Result<BatchOutcome.Done, StoreError>]
    {
        var results: [Result<BatchOutcome.Done, StoreError>] = []
        results.reserveCapacity(commands.count)
        written.reserveCapacity(written.count + commands.count)
        for submission in commands {
            do {
                results.append(.success(try carryOut(submission, in: db)))
            } catch let error as StoreError {
                results.append(.failure(error))
            }
        }
        return results
    }

    private mutating func carryOut(_ submission: WriterBatch.Submission, in db: Database) throws -> BatchOutcome.Done {
        let (command, key) = (submission.command, submission.key)
        if let key, let kept = try Self.kept(key.key, in: db) {
            guard kept.fingerprint == key.fingerprint else {
                return BatchOutcome.Done(result: .keyReused, committed: [])
            }
            return BatchOutcome.Done(result: .replayed(kept.outcome), committed: [])
        }
        var committed: [CommittedEvent] = []
        let outcome = try apply(command, prepared: submission.prepared, in: db, committed: &committed)
        if let key {
            // Kept with the event, in its transaction; it names its case, so that disposing of the case removes it.
            try db.cachedStatement(
                sql: "INSERT INTO idempotency (key, fingerprint, outcome, created_at, case_id) VALUES (?, ?, ?, ?, ?)"
            ).run(
                key.key, key.fingerprint, try TransitionRules.keptOutcome(outcome), command.at.timeIntervalSince1970,
                outcome.caseID?.rawValue)
        }
        return BatchOutcome.Done(result: .done(outcome), committed: committed)
    }

    /// The outcome kept for `key`, and the request it was for; `nil` when the key is new.
    private static func kept(_ key: String, in db: Database) throws -> (fingerprint: String, outcome: RecordedOutcome)? {
        guard
            let row = try Row.fetchOne(
                db.cachedStatement(sql: "SELECT fingerprint, outcome, status, body FROM idempotency WHERE key = ?"),
                arguments: [key])
        else { return nil }
        return (
            row["fingerprint"],
            try TransitionRules.keptOutcome(text: row["outcome"], status: row["status"], body: row["body"])
        )
    }

    /// Applies the event to its case (or takes the transition `prepared` from the case's version it finds) and writes
    /// the event, the state, the timers and the tasks.
    private mutating func apply(
        _ command: Command, prepared: PreparedTransition? = nil, in db: Database, committed: inout [CommittedEvent]
    ) throws -> CommandOutcome {
        let command = command.inWholeSeconds
        let id: CaseID
        let number: Int64
        var state: CaseState
        var version: Int
        var snapshotVersion = 0
        var before: ProjectionColumns?
        if let existing = command.caseID {
            guard let entry = try load(existing, in: db) else { return .notFound(existing) }
            id = existing
            number = entry.number
            version = entry.version
            snapshotVersion = entry.snapshotVersion
            state = entry.state
            before = entry.columns
        } else {
            if let refusal = TransitionRules.refusalToOpen(command) { return refusal }
            // Numbers of disposed cases are never given again: their certificates name them.
            number =
                try Int64.fetchOne(
                    db.cachedStatement(
                        sql: """
                            SELECT MAX(COALESCE((SELECT MAX(number) FROM cases), 0),
                                       COALESCE((SELECT MAX(case_number) FROM disposal_certificates), 0)) + 1
                            """)) ?? 1
            id = CaseID("C-\(number)")
            state = CaseState(id: id)
            version = 0
        }

        let worked = TransitionRules.transition(
            of: command, from: state, version: version, prepared: prepared, policy: policy)
        if worked.tookPrepared { preparedTaken += 1 }
        var transition: Transition
        switch worked.result {
        case .success(let made): transition = made
        case .failure(let error): return .rejected(error, command.caseID)
        }
        var preparedColumns = worked.columns
        // A correction rewrites an earlier event and replays the case (see `BatchWriter+Correction`).
        var rewrite: Rewrite?
        if case .correctRecord(let correction) = command.event {
            switch try self.rewrite(id, by: correction, current: state, command: command, in: db) {
            case .success(let worked):
                rewrite = worked
                transition = worked.transition
                preparedColumns = nil
            case .failure(let error):
                return .rejected(error, id)
            }
        }
        version += 1
        let new = transition.state
        let (event, eventData) = rewrite.map { ($0.recorded, $0.recordedData) } ?? (command.event, command.eventData)
        let snapshotDue = TransitionRules.snapshotDue(
            version: version, snapshotVersion: snapshotVersion, stage: new.stage, corrected: rewrite != nil)
        let snapshot = try TransitionRules.snapshot(of: new, version: version, due: snapshotDue)
        if snapshotDue { snapshotVersion = version }
        if let rewrite { try rewrite.write(of: id, in: db) }
        try statements(.insertEvent, in: db).run(
            id.rawValue, version, event.name.rawValue, eventData, command.at.timeIntervalSince1970, command.actor,
            command.reason, policyFingerprint, command.late, recordedAt.timeIntervalSince1970)
        let seq = db.lastInsertedRowID
        let columns = preparedColumns ?? ProjectionColumns(new)
        try writeProjection(
            new, columns: columns, before: before, snapshot: snapshot, number: number, version: version,
            at: command.at, in: db)
        written[id] = StateCache.Entry(
            number: number, version: version, snapshotVersion: snapshotVersion, state: new, columns: columns)
        try writeTimers(from: state, to: new, in: db)
        // A case that changes team takes its open tasks with it (a team's worklist reads the tasks' team).
        if let before, before.team != columns.team {
            try statements(.setTeam, in: db).run(columns.team, id.rawValue)
        }
        try writeTasks(
            transition.effects, of: number, team: columns.team, previous: state, at: command.at,
            answering: command.answers, in: db)
        try ReviewRecord(from: state, to: new, at: command.at)?.write(for: id, in: db)
        changes.moved(from: state, to: new)

        var opened: [CaseID] = []
        for referral in TransitionRules.referrals(in: transition.effects, from: id, at: command.at) {
            if case .applied(let opening) = try apply(referral, in: db, committed: &committed) {
                opened.append(opening.state.id)
            }
        }
        let done = CommittedEvent(
            seq: seq, version: version, state: new, from: state.stage, event: event, data: eventData,
            actor: command.actor,
            reason: command.reason, effects: transition.effects, at: command.at, opened: opened)
        committed.insert(done, at: 0)
        return .applied(done)
    }

    /// A case's number, version and state: from this batch, from the engine's cache, or read.
    ///
    /// The cache needs no check against the store: the engine is the only writer (the data folder's lock keeps
    /// others out), it caches a state only once its batch has committed, and it forgets the cases maintenance
    /// removes. Were that ever broken, the event's `UNIQUE (case_id, version)` would refuse the write, and the
    /// batch with it, rather than let a stale state through.
    private func load(_ id: CaseID, in db: Database) throws -> StateCache.Entry? {
        if let entry = written[id] ?? known(id) { return entry }
        return try store.currentState(of: id, in: db)
    }

    /// A new case's row is inserted, with its snapshot (or none yet); a known case's row gets its version and only
    /// the projection columns that changed since `before` (its columns as last written), and its snapshot when one
    /// is due.
    private mutating func writeProjection(
        _ state: CaseState, columns: ProjectionColumns, before: ProjectionColumns?, snapshot: Data?, number: Int64,
        version: Int, at: Date, in db: Database
    ) throws {
        try writeNameSearch(columns.name, replacing: before?.name, of: number, in: db)
        guard let snapshot else {
            let changes = before.map(columns.changes(since:)) ?? ProjectionColumns.every
            try statements.update(changes, in: db).run { parameters in
                parameters.bind(version)
                parameters.bind(at.timeIntervalSince1970)
                columns.bind(changes, to: &parameters)
                parameters.bind(state.id.rawValue)
            }
            return
        }
        try statements(.upsertCase, in: db).run { parameters in
            parameters.bind(state.id.rawValue)
            parameters.bind(number)
            parameters.bind(version)
            parameters.bind(at.timeIntervalSince1970)
            parameters.bind(snapshot)
            parameters.bind(snapshot.isEmpty ? 0 : version)
            columns.bind(ProjectionColumns.every, to: &parameters)
        }
    }

    /// The name search index (`NameSearch`) follows the names written: a new case's is added, a changed one
    /// (`old`) replaced. Written here, not by triggers on `cases`: SQLite 3.40's FTS5 writes out its pending terms
    /// (a new index segment) at every statement savepoint, and a statement that fires a trigger takes one, so a
    /// trigger cost ~30 µs a new case, 5–8 µs a transition in `carejourney-bench transitions`.
    private func writeNameSearch(
        _ name: StoreValue, replacing old: StoreValue?, of number: Int64, in db: Database
    ) throws {
        guard name != old else { return }
        if let old {
            try db.cachedStatement(sql: NameSearch.delete).run(number, old)
        }
        try db.cachedStatement(sql: NameSearch.insert).run(number, name)
    }

    /// The timers table follows the state's timers: set, moved, fired or cancelled.
    private mutating func writeTimers(from old: CaseState, to new: CaseState, in db: Database) throws {
        for (name, due) in new.timers where old.timers[name] != due {
            try statements(.setTimer, in: db).run(new.id.rawValue, name.rawValue, due.timeIntervalSince1970)
        }
        for name in old.timers.keys where new.timers[name] == nil {
            try statements(.deleteTimer, in: db).run(new.id.rawValue, name.rawValue)
        }
    }

    /// The outbox: new tasks are written ready for their queue, with their case's number (to list a queue's
    /// cases in order), its team, and whether people serve the queue (only their tasks are on worklists, and in
    /// the worklists' indexes); resolved ones are closed, the task a worker's reply answers with the attempts it
    /// took.
    private mutating func writeTasks(
        _ effects: [Effect], of caseNumber: Int64, team: StoreValue, previous: CaseState, at: Date,
        answering: Command.Answer?, in db: Database
    ) throws {
        for effect in effects {
            switch effect {
            case .enqueue(let task):
                let listed = policy.server(of: task.queue) == .people
                try statements(.insertTask, in: db).run(
                    task.id.description, task.id.caseID.rawValue, caseNumber, task.kind.rawValue, task.queue,
                    task.detail, task.createdAt.timeIntervalSince1970, task.due?.timeIntervalSince1970, task.heldBy,
                    team, listed)
                if db.changesCount > 0 {
                    changes.task(on: task.queue, from: nil, to: .open)
                } else {
                    try reopen(task, team: team, listed: listed, in: db)
                }
            case .resolveTask(let id, let resolution):
                let attempts = answering.flatMap { $0.task == id.description ? $0.attempt : nil }
                // A task open in its case is `open` in the outbox, or `failed` (rarely, so tried second). Its queue,
                // for the figures, is the one the case holds it on (read only if the case does not hold it).
                let resolve = try statements(.resolveTask, in: db)
                for old in [TaskStatus.open, .failed] {
                    try resolve.run(
                        resolution.rawValue, at.timeIntervalSince1970, attempts, id.description, old.rawValue)
                    guard db.changesCount > 0 else { continue }
                    let queue =
                        try previous.tasks[id]?.queue
                        ?? String.fetchOne(
                            db.cachedStatement(sql: "SELECT queue FROM tasks WHERE id = ?"), arguments: [id.description])
                    if let queue { changes.task(on: queue, from: old, to: TaskStatus(resolution)) }
                    break
                }
            case .holdTask(let id, let holder):
                try statements(.holdTask, in: db).run(holder, id.description)
            case .setTimer, .cancelTimer, .notify, .close, .openCase:
                break
            }
        }
    }

    /// A task put on its queue again (`retry-task`), a failed one too, is reopened as new: attempts from zero, with
    /// its case's team now and whether people serve its queue now.
    private mutating func reopen(_ task: CareTask, team: StoreValue, listed: Bool, in db: Database) throws {
        let reopen = try db.cachedStatement(
            sql: """
                UPDATE tasks SET status = 'open', attempts = 0, progress = NULL, last_error = NULL, resolved_at = NULL,
                    team = ?, listed = ?
                WHERE id = ? AND status = ? RETURNING queue
                """)
        for old in [TaskStatus.failed, .open] {
            if let queue = try String.fetchOne(reopen, arguments: [team.databaseValue, listed, task.id.description, old.rawValue]) {
                changes.task(on: queue, from: old, to: .open)
                return
            }
        }
    }

    /// Notes that no one waits for: on tasks' dispatch.
    mutating func write(_ notes: [StoreNote], in db: Database) throws {
        for note in notes {
            switch note {
            case .task(let note): try write(note, in: db)
            }
        }
    }

    /// Reads of personal data, each with the cases it returned.
    func write(_ reads: [AccessRecord], in db: Database) throws {
        for read in reads { try AccessLog.insert(read, in: db) }
    }

    /// A note on a task's dispatch: attempts, progress, failures. Only a task still open (or failed, for a retry)
    /// is touched: a note never reopens a completed task.
    private mutating func write(_ note: TaskNote, in db: Database) throws {
        switch note {
        case .progress(let id, let progress):
            try db.cachedStatement(sql: "UPDATE tasks SET progress = ? WHERE id = ? AND status = 'open'")
                .run(progress, id)
        case .released(let id, let attempts, let reason):
            try db.cachedStatement(
                sql: "UPDATE tasks SET attempts = ?, last_error = ? WHERE id = ? AND status = 'open'"
            ).run(attempts, reason, id)
        case .failed(let id, let attempts, let reason):
            let queue = try String.fetchOne(
                db.cachedStatement(
                    sql: """
                        UPDATE tasks SET status = 'failed', attempts = ?, last_error = ?
                        WHERE id = ? AND status = 'open' RETURNING queue
                        """),
                arguments: [attempts, reason, id])
            if let queue { changes.task(on: queue, from: .open, to: .failed) }
        }
    }
}
