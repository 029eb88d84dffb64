import CareJourneyCore
import CareJourneyStore
import Foundation
import Logging
import PostgresNIO

/// One batch of the PostgreSQL writer, inside its transaction: lock and read (its cases, then its idempotency keys),
/// apply in memory, write (its node's feed row last), then answer (design brief §3.5). What a command writes is what `BatchWriter` writes on SQLite, by the same rules
/// (`TransitionRules`); only the way of writing differs: rows gathered, then a statement a table.
///
/// Everything that can fail for one command alone (an unknown case, a refusal, a state that does not read, a key
/// reused) is found before that command adds anything to write, so it fails alone; a failing statement fails the
/// whole batch.
struct PostgresBatchPlan {
    let batch: WriterBatch
    let writer: PostgresWriter
    /// Whether the states the engine's cache holds (`WriterBatch.known`) are taken when their row's version is the
    /// cached one: not on an attempt after a conflict with another node, which reads every state afresh.
    let trustCache: Bool
    var connection: PostgresConnection { writer.connection }
    var logger: Logger { writer.logger }

    /// The known cases' rows as locked: number, version; and their states (cached, or read), or why they do not read.
    private var locked: [CaseID: Result<StateCache.Entry, StoreError>] = [:]
    /// Case numbers taken from `case_numbers`, not used yet.
    private var numbers: [Int64] = []
    /// The events to insert, in order.
    var events: [PendingEvent] = []
    /// The cases written: their final rows.
    private var cases: [CaseID: CaseRow] = [:]
    private var caseOrder: [CaseID] = []
    /// The names of the cases opened or renamed in the batch, by number: their rows in `case_names` (`namesStatement`).
    private var names: [Int64: StoreValue] = [:]
    /// Each written case's timers before the batch.
    private var timersBefore: [CaseID: [TimerName: Date]] = [:]
    /// What the commands do to tasks, in order.
    private var taskChanges: [TaskChange] = []
    private var reviews: [(CaseID, ReviewRecord)] = []
    private var written: [CaseID: StateCache.Entry] = [:]
    private var changes = StoreFigures()
    private var preparedTaken = 0
    /// The batch's idempotency keys: those kept before it, and those its commands record.
    private var keys = PostgresKeys()
    /// What the batch's corrections rewrite (`PostgresBatchPlan+Correction`).
    var corrections = PostgresCorrections()
    /// The number the node's feed gave this batch (`NodeFeed.append`), when the writer writes for a node and the
    /// batch wrote something other nodes read: its doorbell's, once committed.
    private(set) var feedBatch: Int64?

    init(batch: WriterBatch, writer: PostgresWriter, trustCache: Bool) {
        self.batch = batch
        self.writer = writer
        self.trustCache = trustCache
    }

    /// Writes the batch and returns what each command did.
    mutating func write() async throws -> BatchOutcome {
        try await lockAndRead()
        keys = try await PostgresKeys.read(batch.commands.compactMap(\.key?.key), on: connection, logger: logger)
        try await takeNumbers(batch.commands.filter { $0.command.caseID == nil }.count)
        var planned: [Planned] = []
        planned.reserveCapacity(batch.commands.count)
        for submission in batch.commands {
            do {
                planned.append(try await plan(submission))
            } catch let error as StoreError {
                planned.append(.settled(.failure(error)))
            }
        }
        try await PostgresAccessLog.insert(batch.reads, on: connection, logger: logger)
        try await corrections.write(on: connection, logger: logger)
        // The rows gathered, then the tasks the batch touches read, in one pipeline (`PostgresPipeline`).
        let taskIDs = taskChanges.compactMap(\.taskID) + batch.notes.map(\.taskID)
        let teamCases = taskChanges.compactMap(\.teamCase)
        var gathered = PostgresPipeline(connection: connection, logger: logger)
        let inserted = gathered.send(eventsStatement())
        gathered.send(keys.statement())
        gathered.send(caseStatements())
        gathered.send(namesStatement())
        gathered.send(timerStatements())
        let read = gathered.send(PostgresTaskRows.query(ids: taskIDs, openOf: teamCases))
        let answers = try await gathered.results()
        let seqs = try inserted.map { try numbers(of: answers[$0]) } ?? []
        var tasks = try read.map { try PostgresTaskRows(answers[$0]) } ?? PostgresTaskRows()
        for note in batch.notes { tasks.apply(note, changes: &changes) }
        for change in taskChanges { tasks.apply(change, policy: batch.policy, changes: &changes) }
        // What the batch does to tasks and their leases, and the reviews done, in a second one.
        var changed = PostgresPipeline(connection: connection, logger: logger)
        changed.send(tasks.statements())
        changed.send(TaskLeases.forgetStatement(tasks.leftOpen))
        changed.send(writer.leases?.grantStatement(tasks.enqueued, at: writer.leaseClock.now()))
        changed.send(reviewsStatement())
        _ = try await changed.results()
        if let node = writer.node, !seqs.isEmpty || !corrections.cases.isEmpty || changes != StoreFigures() {
            feedBatch = try await NodeFeed.append(
                node: node, seqs: seqs, removed: corrections.cases, figures: changes, at: batch.recordedAt,
                on: connection, logger: logger)
        }
        return BatchOutcome(
            results: try planned.map { try $0.result(events: events, seqs: seqs) }, written: written,
            changes: changes, preparedTaken: preparedTaken)
    }

    // MARK: Lock and read

    /// Locks the rows of the batch's known cases, in id order (so that writers on several nodes lock in one order),
    /// and reads the states the engine's cache lacks or holds at another version than the row's
    /// (`PostgresHistory.states`).
    private mutating func lockAndRead() async throws {
        let ids = Set(batch.commands.compactMap { $0.command.caseID?.rawValue }).sorted()
        guard !ids.isEmpty else { return }
        let (batch, trustCache, writer, connection) = (batch, trustCache, writer, connection)
        let read = try await PostgresHistory.states(
            of: ids, on: connection, logger: logger, locking: true,
            known: { id, number, version in
                guard trustCache, let entry = batch.known(id), entry.version == version, entry.number == number
                else { return nil }
                return entry
            }
        ) { fingerprint in
            fingerprint == batch.policyFingerprint ? batch.policy : try await writer.policy(fingerprint, on: connection)
        }
        for (id, state) in read { locked[CaseID(id)] = state }
    }

    /// Takes `count` more case numbers from `case_numbers`.
    private mutating func takeNumbers(_ count: Int) async throws {
        guard count > 0 else { return }
        for try await number in try await connection.query(
            "SELECT nextval('case_numbers') FROM generate_series(1, \(Int64(count)))", logger: logger
        ).decode(Int64.self) {
            numbers.append(number)
        }
        numbers.reverse()
    }

    /// The next case number.
    private mutating func nextNumber() async throws -> Int64 {
        if numbers.isEmpty { try await takeNumbers(8) }
        guard let number = numbers.popLast() else { throw StoreError(.io, "the sequence case_numbers gave no number") }
        return number
    }

    // MARK: Apply

    /// What one command will answer once the batch is written.
    private enum Planned {
        case settled(Result<BatchOutcome.Done, StoreError>)
        /// Its event (an index of `events`), and every event it committed, its own first.
        case applied(event: Int, committed: [Int])

        func result(events: [PendingEvent], seqs: [Int64]) throws -> Result<BatchOutcome.Done, StoreError> {
            switch self {
            case .settled(let result): return result
            case .applied(let event, let committed):
                let done = committed.map { events[$0].committed(seq: seqs[$0]) }
                let own = done[committed.firstIndex(of: event)!]
                return .success(BatchOutcome.Done(result: .done(.applied(own)), committed: done))
            }
        }
    }

    /// A command with a key kept before (in an earlier batch, on any node, or earlier in this one) gets the kept
    /// outcome, or `keyReused` for a different request, and changes nothing; a new key is kept with the command's
    /// outcome, whatever it is, as `BatchWriter.carryOut` keeps it.
    private mutating func plan(_ submission: WriterBatch.Submission) async throws -> Planned {
        if let key = submission.key, let kept = keys[key.key] {
            guard kept.fingerprint == key.fingerprint else {
                return .settled(.success(BatchOutcome.Done(result: .keyReused, committed: [])))
            }
            return .settled(.success(BatchOutcome.Done(result: .replayed(try kept.outcome()), committed: [])))
        }
        var committed: [Int] = []
        let planned: Planned
        let outcome: CommandOutcome
        switch try await apply(submission.command, prepared: submission.prepared, committed: &committed) {
        case .settled(let settled):
            outcome = settled
            planned = .settled(.success(BatchOutcome.Done(result: .done(settled), committed: [])))
        case .event(let index):
            // The kept outcome does not hold the event's number (`seq`), known only once it is inserted.
            outcome = .applied(events[index].committed(seq: 0))
            planned = .applied(event: index, committed: committed)
        }
        if let key = submission.key { try keys.keep(key, outcome: outcome, at: submission.command.at) }
        return planned
    }

    private enum Applied {
        case settled(CommandOutcome)
        case event(Int)
    }

    /// Applies the command in memory, as `BatchWriter.apply` does, and gathers what it writes.
    private mutating func apply(
        _ command: Command, prepared: PreparedTransition? = nil, committed: inout [Int]
    ) async throws -> Applied {
        let command = command.inWholeSeconds
        let id: CaseID
        let number: Int64
        let state: CaseState
        var version: Int
        var snapshotVersion = 0
        var before: ProjectionColumns?
        if let existing = command.caseID {
            let entry: StateCache.Entry
            if let current = written[existing] {
                entry = current
            } else if let read = locked[existing] {
                entry = try read.get()
            } else {
                return .settled(.notFound(existing))
            }
            id = existing
            number = entry.number
            version = entry.version
            snapshotVersion = entry.snapshotVersion
            state = entry.state
            before = entry.columns
        } else {
            if let refusal = TransitionRules.refusalToOpen(command) { return .settled(refusal) }
            number = try await nextNumber()
            id = CaseID("C-\(number)")
            state = CaseState(id: id)
            version = 0
        }
        let worked = TransitionRules.transition(
            of: command, from: state, version: version, prepared: prepared, policy: batch.policy)
        if worked.tookPrepared { preparedTaken += 1 }
        var transition: Transition
        switch worked.result {
        case .success(let made): transition = made
        case .failure(let error): return .settled(.rejected(error, command.caseID))
        }
        var preparedColumns = worked.columns
        // A correction rewrites an earlier event and replays the case (`PostgresBatchPlan+Correction`).
        var rewrite: TransitionRules.Rewrite?
        if case .correctRecord(let correction) = command.event {
            switch try await self.rewrite(id, by: correction, current: state, command: command) {
            case .success(let worked):
                rewrite = worked
                transition = worked.transition
                preparedColumns = nil
            case .failure(let error):
                return .settled(.rejected(error, id))
            }
        }
        version += 1
        let new = transition.state
        let snapshotDue = TransitionRules.snapshotDue(
            version: version, snapshotVersion: snapshotVersion, stage: new.stage, corrected: rewrite != nil)
        let snapshot = try TransitionRules.snapshot(of: new, version: version, due: snapshotDue)
        if snapshotDue { snapshotVersion = version }
        if let rewrite { rewriteEvent(rewrite.version, of: id, to: rewrite.data) }
        let columns = preparedColumns ?? ProjectionColumns(new)

        let index = events.count
        events.append(
            PendingEvent(
                command: command, event: rewrite?.recorded ?? command.event,
                data: rewrite?.recordedData ?? command.eventData, version: version, state: new, from: state.stage,
                effects: transition.effects))
        if cases[id] == nil {
            caseOrder.append(id)
            timersBefore[id] = state.timers
        }
        var row = cases[id] ?? CaseRow(id: id, number: number, isNew: before == nil)
        row.version = version
        row.updatedAt = command.at
        row.columns = columns
        if let snapshot { row.snapshot = (snapshot, snapshot.isEmpty ? 0 : version) }
        cases[id] = row
        written[id] = StateCache.Entry(
            number: number, version: version, snapshotVersion: snapshotVersion, state: new, columns: columns)
        if before?.name != columns.name { names[number] = columns.name }
        if let before, before.team != columns.team {
            taskChanges.append(.setTeam(case: id, team: columns.team))
        }
        for effect in transition.effects {
            switch effect {
            case .enqueue(let task):
                taskChanges.append(.enqueue(task, caseNumber: number, team: columns.team))
            case .resolveTask(let task, let resolution):
                let attempts = command.answers.flatMap { $0.task == task.description ? $0.attempt : nil }
                taskChanges.append(
                    .resolve(
                        task.description, resolution, at: command.at, attempts: attempts,
                        queue: state.tasks[task]?.queue))
            case .holdTask(let task, let holder):
                taskChanges.append(.hold(task.description, holder: holder))
            case .setTimer, .cancelTimer, .notify, .close, .openCase:
                break
            }
        }
        if let review = ReviewRecord(from: state, to: new, at: command.at) { reviews.append((id, review)) }
        changes.moved(from: state, to: new)

        var opened: [CaseID] = []
        for referral in TransitionRules.referrals(in: transition.effects, from: id, at: command.at) {
            if case .event(let opening) = try await apply(referral, committed: &committed) {
                opened.append(events[opening].state.id)
            }
        }
        events[index].opened = opened
        committed.insert(index, at: 0)
        return .event(index)
    }

    // MARK: Write

    /// The statement inserting the events, in order, which returns their numbers (`seq`); `nil` for none.
    private func eventsStatement() -> PostgresQuery? {
        guard !events.isEmpty else { return nil }
        var parameters = ArrayParameters()
        let columns = [
            parameters.array(events.map { .text($0.state.id.rawValue) }, "text"),
            parameters.array(events.map { .int($0.version) }, "bigint"),
            parameters.array(events.map { .text($0.event.name.rawValue) }, "text"),
            parameters.array(events.map { .text($0.storedData) }, "text"),
            parameters.array(events.map { .time($0.command.at) }, "float8"),
            parameters.array(events.map { .text($0.command.actor) }, "text"),
            parameters.array(events.map { .textOrNull($0.command.reason) }, "text"),
            parameters.array(events.map { .realOrNull($0.command.late) }, "float8"),
        ].joined(separator: ", ")
        let policy = parameters.value(batch.policyFingerprint, "text")
        let recordedAt = parameters.value(batch.recordedAt.timeIntervalSince1970, "float8")
        let sql = """
            INSERT INTO events (case_id, version, name, data, at, actor, reason, policy, late, recorded_at)
            SELECT c, v, n, d, a, w, r, \(policy), l, \(recordedAt)
            FROM unnest(\(columns)) WITH ORDINALITY AS e(c, v, n, d, a, w, r, l, o)
            ORDER BY o
            RETURNING seq, case_id, version
            """
        return PostgresQuery(unsafeSQL: sql, binds: parameters.bindings)
    }

    /// The events' numbers (`seq`), in the order of `events`, from what their statement returned.
    private func numbers(of inserted: PostgresQueryResult) throws -> [Int64] {
        /// Each event's number by its case and version.
        struct Key: Hashable {
            let id: String
            let version: Int64
        }
        var seqs: [Key: Int64] = [:]
        seqs.reserveCapacity(events.count)
        for row in inserted {
            let (seq, id, version) = try row.decode((Int64, String, Int64).self)
            seqs[Key(id: id, version: version)] = seq
        }
        return try events.map { event in
            guard let seq = seqs[Key(id: event.state.id.rawValue, version: Int64(event.version))] else {
                throw StoreError(.io, "the store gave the event \(event.version) of \(event.state.id) no number")
            }
            return seq
        }
    }

    /// The statements inserting the new cases and updating the known ones, each to its final row in this batch.
    private func caseStatements() -> [PostgresQuery] {
        let rows = caseOrder.map { cases[$0]! }
        let names = ProjectionColumns.names
        let types = ["text", "text", "text", "float8", "bigint", "float8", "text", "text", "text"]
        /// The columns every row has, then the projection columns.
        func arrays(_ rows: [CaseRow], into parameters: inout ArrayParameters) -> String {
            ([
                parameters.array(rows.map { .text($0.id.rawValue) }, "text"),
                parameters.array(rows.map { .integer($0.number) }, "bigint"),
                parameters.array(rows.map { .int($0.version) }, "bigint"),
                parameters.array(rows.map { .time($0.updatedAt) }, "float8"),
                parameters.array(rows.map { .blob([UInt8]($0.snapshot?.data ?? Data())) }, "bytea"),
                parameters.array(rows.map { .int($0.snapshot?.version ?? 0) }, "bigint"),
                parameters.array(rows.map { .flag($0.snapshot != nil) }, "bigint"),
            ]
                + names.indices.map { index in parameters.array(rows.map { $0.columns!.values[index] }, types[index]) })
                .joined(separator: ", ")
        }
        let columns = "id, number, version, updated_at, state, state_version, snapshot, " + names.joined(separator: ", ")
        var statements: [PostgresQuery] = []
        let new = rows.filter(\.isNew)
        if !new.isEmpty {
            var parameters = ArrayParameters()
            let sql = """
                INSERT INTO cases (id, number, version, updated_at, state, state_version, \(names.joined(separator: ", ")))
                SELECT id, number, version, updated_at, state, state_version, \(names.joined(separator: ", "))
                FROM unnest(\(arrays(new, into: &parameters))) WITH ORDINALITY AS u(\(columns), o)
                ORDER BY o
                """
            statements.append(PostgresQuery(unsafeSQL: sql, binds: parameters.bindings))
        }
        let known = rows.filter { !$0.isNew }
        guard !known.isEmpty else { return statements }
        var parameters = ArrayParameters()
        let sql = """
            UPDATE cases c SET version = u.version, updated_at = u.updated_at,
                state = CASE WHEN u.snapshot = 1 THEN u.state ELSE c.state END,
                state_version = CASE WHEN u.snapshot = 1 THEN u.state_version ELSE c.state_version END,
                \(names.map { "\($0) = u.\($0)" }.joined(separator: ", "))
            FROM unnest(\(arrays(known, into: &parameters))) AS u(\(columns))
            WHERE c.id = u.id
            """
        statements.append(PostgresQuery(unsafeSQL: sql, binds: parameters.bindings))
        return statements
    }

    /// The statement writing the name search's rows (`case_names`) of the cases opened or renamed in the batch, in
    /// number order; `nil` for none.
    private func namesStatement() -> PostgresQuery? {
        guard !names.isEmpty else { return nil }
        let named = names.sorted { $0.key < $1.key }
        var parameters = ArrayParameters()
        let sql = """
            INSERT INTO case_names (number, name)
            SELECT * FROM unnest(\(parameters.array(named.map { .integer($0.key) }, "bigint")),
                \(parameters.array(named.map(\.value), "text")))
            ON CONFLICT (number) DO UPDATE SET name = excluded.name
            """
        return PostgresQuery(unsafeSQL: sql, binds: parameters.bindings)
    }

    /// The statements setting the timers each case has after the batch that it did not have before it (or had with
    /// another due time), and deleting those it no longer has.
    private func timerStatements() -> [PostgresQuery] {
        var setCases: [String] = [], setNames: [String] = [], setDue: [Double] = []
        var goneCases: [String] = [], goneNames: [String] = []
        for id in caseOrder {
            let old = timersBefore[id] ?? [:]
            let new = written[id]!.state.timers
            for (name, due) in new.sorted(by: { $0.key.rawValue < $1.key.rawValue }) where old[name] != due {
                setCases.append(id.rawValue)
                setNames.append(name.rawValue)
                setDue.append(due.timeIntervalSince1970)
            }
            for name in old.keys.sorted(by: { $0.rawValue < $1.rawValue }) where new[name] == nil {
                goneCases.append(id.rawValue)
                goneNames.append(name.rawValue)
            }
        }
        var statements: [PostgresQuery] = []
        if !goneCases.isEmpty {
            statements.append(
                """
                DELETE FROM timers WHERE (case_id, name) IN (SELECT * FROM unnest(\(goneCases)::text[], \(goneNames)::text[]))
                """)
        }
        if !setCases.isEmpty {
            statements.append(
                """
                INSERT INTO timers (case_id, name, due)
                SELECT * FROM unnest(\(setCases)::text[], \(setNames)::text[], \(setDue)::float8[])
                ON CONFLICT (case_id, name) DO UPDATE SET due = excluded.due
                """)
        }
        return statements
    }

    /// The statement recording the reviews the batch completed; `nil` for none.
    private func reviewsStatement() -> PostgresQuery? {
        guard !reviews.isEmpty else { return nil }
        var parameters = ArrayParameters()
        let columns = [
            parameters.array(reviews.map { .text($0.0.rawValue) }, "text"),
            parameters.array(reviews.map { .text($0.1.type.rawValue) }, "text"),
            parameters.array(reviews.map { .time($0.1.completedAt) }, "float8"),
            parameters.array(reviews.map { .time($0.1.due) }, "float8"),
            parameters.array(reviews.map { .flag($0.1.onTime) }, "bigint"),
        ].joined(separator: ", ")
        let sql = """
            INSERT INTO reviews_done (case_id, type, completed_at, due, on_time)
            SELECT c, t, a, d, o FROM unnest(\(columns)) WITH ORDINALITY AS r(c, t, a, d, o, n)
            ORDER BY n
            """
        return PostgresQuery(unsafeSQL: sql, binds: parameters.bindings)
    }
}

/// An event gathered to insert: its number (`seq`) is known once it is.
struct PendingEvent {
    let command: Command
    /// The event as recorded (a correction's without its value), and its data as the command's answer gives it.
    let event: Event
    let data: String
    let version: Int
    let state: CaseState
    let from: Stage
    let effects: [Effect]
    var opened: [CaseID] = []
    /// The data the row stores: `data`, unless a later correction in the same batch rewrote it.
    var storedData: String

    init(command: Command, event: Event, data: String, version: Int, state: CaseState, from: Stage, effects: [Effect]) {
        self.command = command
        self.event = event
        self.data = data
        self.storedData = data
        self.version = version
        self.state = state
        self.from = from
        self.effects = effects
    }

    func committed(seq: Int64) -> CommittedEvent {
        CommittedEvent(
            seq: seq, version: version, state: state, from: from, event: event, data: data, actor: command.actor,
            reason: command.reason, effects: effects, at: command.at, opened: opened)
    }
}

/// A case's row as the batch leaves it.
struct CaseRow {
    let id: CaseID
    let number: Int64
    /// Opened in this batch: inserted, not updated.
    let isNew: Bool
    var version = 0
    var updatedAt = Date(timeIntervalSince1970: 0)
    var columns: ProjectionColumns?
    /// The last snapshot the batch wrote, and its version (0 for a new case's "none yet").
    var snapshot: (data: Data, version: Int)?
}
