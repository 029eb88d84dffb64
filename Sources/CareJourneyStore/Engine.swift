import CareJourneyClock
import CareJourneyCore
import Foundation
import Logging
import ServiceLifecycle
import ServiceThread
import Synchronization

/// Applies commands to cases durably, many at a time: every command submitted while a batch is being written
/// waits, and the next batch writes all of them in one transaction (group commit). Throughput comes from
/// batching, never from weaker durability: `synchronous=FULL`, and an answer is given only after the commit.
///
/// One transaction commits each event, the case's new state, its timers and its tasks (transactional outbox):
/// nothing is scheduled or sent before that commit. A command that fails on its own (an unknown case, a
/// refusal) fails alone; a failed write fails the batch, and nothing of it is committed.
///
/// The writer is a thread of its own: its commits block on `fsync`, and between two commits it must not wait
/// for a turn in the cooperative pool behind the tasks that submit. A `Service`: on graceful shutdown (or
/// cancellation) it takes no new commands, finishes those it has, then returns.
public final class Engine: Service, Sendable {
    /// The store written to (`CaseStore`, SQLite), through its `writer` once a batch.
    public let store: any CareStore
    /// The policy new events run under.
    public let policy: Policy
    /// The clock that dates what the engine writes itself (when a batch was recorded, when a policy was registered).
    public let clock: any CareClock
    /// Where batches are written: the store's writer, crossed once a batch.
    private let writer: any BatchCommitter
    private let policyFingerprint: String
    private let logger: Logger
    private let maxBatch: Int
    private let queue = CommandQueue<Work>()
    private let observers = Mutex<[@Sendable ([CommittedEvent]) -> Void]>([])
    private let cache: Mutex<StateCache>
    private let counters = Mutex(Statistics())
    /// How the committed batches have changed the store's figures since the engine started.
    private let figureChanges = Mutex(StoreFigures())
    /// Held while a batch commits and its changes are added, so that a snapshot taken under it holds exactly the
    /// batches `figureChanges` has counted.
    private let committing = Mutex(())
    /// The figures counted from a snapshot, and `figureChanges` as it was when the snapshot was taken.
    private let figureBase = Mutex<(counted: StoreFigures, changesThen: StoreFigures)?>(nil)
    /// Where the policy's bank holidays end (`CouncilCalendar.bankHolidaysEnd`), while no due date past it has been
    /// warned of: the first one is logged, once a run.
    private let bankHolidaysEnd: Mutex<Date?>

    /// How the engine has batched its work so far.
    public struct Statistics: Sendable, Equatable {
        /// Transactions committed.
        public var batches = 0
        /// Commands carried out in them.
        public var commands = 0
        /// The largest batch.
        public var largestBatch = 0
        /// Commands whose transition the writer took as their submitting task had worked it out
        /// (`PreparedTransition`), rather than working it out itself.
        public var preparedTransitions = 0
        /// Processor time the writer thread has used, in seconds (waiting for the disk is not counted): what
        /// each command costs the single writer, the part that does not batch away.
        public var writerCPUSeconds = 0.0
    }

    /// How the engine has batched its work so far (group commit: commands per transaction).
    public var statistics: Statistics { counters.withLock { $0 } }

    /// What the writer is given: a command to answer, a read to record (and say when it is recorded), a note to
    /// write with the next commit, or maintenance to run after it.
    private enum Work {
        case command(WriterBatch.Submission, answer: @Sendable (Result<CommandResult, StoreError>) -> Void)
        case read(AccessRecord, recorded: @Sendable (Result<Void, StoreError>) -> Void)
        case note(StoreNote)
        case maintenance(@Sendable () -> Void)
    }

    /// What maintenance did: its result, how it changed the store's figures, and the cases it removed.
    struct Maintenance<Value: Sendable>: Sendable {
        let result: Value
        let figures: StoreFigures
        let removed: [CaseID]
    }

    /// Creates an engine that writes to `store` under `policy`, which it records in the store.
    ///
    /// - Parameter maxBatch: the most commands one transaction takes.
    /// - Parameter cacheCapacity: how many recently written case states to keep in memory. A case's state is ~4.5 KB
    ///   in memory today, so the default holds ~90 MB at most: with 50,000 a service taking 10 new contacts a second
    ///   grew by ~2.7 MB a minute for 80 minutes (`carejourney-bench pages`), past the ≤ 300 MB the dashboard
    ///   promises at a million cases. 20,000 cases are days of a council's commands; a case not held is read again.
    public convenience init(
        store: any CareStore, policy: Policy, clock: any CareClock = WallClock(),
        logger: Logger = Logger(label: "carejourney.engine"), maxBatch: Int = 4096, cacheCapacity: Int = 20_000
    ) async throws(StoreError) {
        try await self.init(
            store: store, writer: store.writer, policy: policy, clock: clock, logger: logger, maxBatch: maxBatch,
            cacheCapacity: cacheCapacity)
    }

    /// An engine whose batches go to `writer` rather than to `store`'s own: PostgreSQL's (`PostgresWriter`), until a
    /// PostgreSQL store serves reads too; `policy` must be registered in the database `writer` writes to as well.
    package init(
        store: any CareStore, writer: any BatchCommitter, policy: Policy, clock: any CareClock = WallClock(),
        logger: Logger = Logger(label: "carejourney.engine"), maxBatch: Int = 4096, cacheCapacity: Int = 20_000
    ) async throws(StoreError) {
        cache = Mutex(StateCache(capacity: cacheCapacity))
        self.store = store
        self.writer = writer
        self.clock = clock
        self.policy = policy
        self.logger = logger
        self.maxBatch = maxBatch
        policyFingerprint = policy.fingerprint
        bankHolidaysEnd = Mutex(policy.calendar?.calendar.bankHolidaysEnd)
        try await store.register(policy, current: true, at: clock.now())
    }

    /// Calls `observer` after every commit with the events it committed (for the timer service, say).
    public func observe(_ observer: @escaping @Sendable ([CommittedEvent]) -> Void) {
        observers.withLock { $0.append(observer) }
    }

    /// Applies a command and returns its outcome once it is committed (or refused).
    ///
    /// - Throws: `StoreError.closed` once the engine is shutting down; `StoreError.io` when the commit failed
    ///   (nothing was committed).
    public func apply(_ command: Command) async throws(StoreError) -> CommandOutcome {
        let result = await withCheckedContinuation { continuation in
            enqueue(prepared(command)) { continuation.resume(returning: $0) }
        }
        guard case .done(let outcome) = try result.get() else {
            preconditionFailure("a command without an idempotency key is never replayed")
        }
        return outcome
    }

    /// Applies a command and calls `answer` with its outcome once it is committed (or refused), on the writer
    /// thread: for callers that are threads rather than tasks (the broker, whose own thread must not spend its time
    /// on the journey: the writer works the transition out). `answer` must return quickly.
    public func apply(_ command: Command, answer: @escaping @Sendable (Result<CommandOutcome, StoreError>) -> Void) {
        enqueue(WriterBatch.Submission(command: command)) { result in
            answer(
                result.map { done in
                    guard case .done(let outcome) = done else {
                        preconditionFailure("a command without an idempotency key is never replayed")
                    }
                    return outcome
                })
        }
    }

    /// Applies a command sent with an idempotency key (the API's): carried out once, its outcome kept with its event
    /// in the same transaction; a retry with the same key and request gets that outcome again and changes nothing.
    ///
    /// - Throws: `StoreError.closed` once the engine is shutting down; `StoreError.io` when the commit failed
    ///   (nothing was committed: retrying with the same key is safe).
    public func submit(_ command: Command, key: IdempotencyKey) async throws(StoreError) -> CommandResult {
        let result = await withCheckedContinuation { continuation in
            enqueue(prepared(command, key: key)) { continuation.resume(returning: $0) }
        }
        return try result.get()
    }

    /// The command with its transition worked out here, by the submitting task, from the case's state as last
    /// committed, when the engine holds it (`PreparedTransition`): the writer then only checks the case's version
    /// and writes.
    private func prepared(_ command: Command, key: IdempotencyKey? = nil) -> WriterBatch.Submission {
        let entry = command.caseID.flatMap { id in cache.withLock { $0.entry(of: id) } }
        return WriterBatch.Submission(
            command: command, key: key, prepared: entry.flatMap { PreparedTransition(command, from: $0, policy: policy) })
    }

    private func enqueue(
        _ submission: WriterBatch.Submission, answer: @escaping @Sendable (Result<CommandResult, StoreError>) -> Void
    ) {
        if !queue.add(.command(submission, answer: answer)) {
            answer(.failure(StoreError(.closed, "the engine is shutting down; try again shortly")))
        }
    }

    /// Records a read of personal data durably, with the next commit (group-committed with commands and other
    /// reads), and returns once it is on disk: the caller shows the data only then.
    ///
    /// - Throws: `StoreError.closed` once the engine is shutting down, `.io` when the record could not be written
    ///   (a full disk, a read-only store): the read must then not go ahead.
    public func recordRead(_ read: AccessRecord) async throws(StoreError) {
        let result = await withCheckedContinuation { continuation in
            if !queue.add(.read(read, recorded: { continuation.resume(returning: $0) })) {
                continuation.resume(
                    returning: .failure(StoreError(.closed, "the engine is shutting down; try again shortly")))
            }
        }
        try result.get()
    }

    /// Writes a note with the next commit (one is made for it if no command is waiting), without making the caller
    /// wait: a task's attempt, progress or failure. A crash can lose only the notes of the last moments before it;
    /// a lost task note loses nothing that matters, since leases end with the broker. Once the engine is shutting
    /// down, notes are dropped.
    public func record(_ note: StoreNote) {
        _ = queue.add(.note(note))
    }

    /// Writes batches on the writer thread until a graceful shutdown or cancellation; then finishes what it was
    /// given and returns.
    public func run() async {
        await ServiceThread.run(named: "carejourney.engine", stop: { self.stopAccepting() }) {
            while let batch = self.queue.take(upTo: self.maxBatch, gathering: .writer) {
                self.commit(batch)
                let used = Self.threadCPUSeconds()
                self.counters.withLock { $0.writerCPUSeconds = used }
            }
        }
    }

    /// Processor time the calling thread has used, in seconds.
    private static func threadCPUSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    /// Counts the store's figures once, from a snapshot taken between two commits, through indexes (about a second
    /// on a million cases); from then on `figures` keeps them up to date from each commit's changes, without reading
    /// the store again. Commits go on while it counts.
    ///
    /// - Throws: `StoreError.io` when the store cannot be read.
    public func countFigures() async throws(StoreError) {
        // Taken on a thread of its own: a store on a server blocks the taking thread until its answer, which comes
        // through the cooperative pool; several engines of one process counting at once would otherwise hold every
        // thread of that pool, and wait for ever.
        let taken: Result<(any FiguresSnapshot, StoreFigures), StoreError> = await withCheckedContinuation {
            continuation in
            Thread.detachNewThread { [self] in
                continuation.resume(
                    returning: Result { () throws(StoreError) in
                        try committing.withLock { _ throws(StoreError) in
                            (try writer.figuresSnapshot(), figureChanges.withLock { $0 })
                        }
                    })
            }
        }
        let (snapshot, changesThen) = try taken.get()
        let counted = try await snapshot.figures()
        figureBase.withLock { $0 = (counted, changesThen) }
    }

    /// Cases by stage, overdue cases, pending timers and tasks by queue and status, as committed now; `nil` until
    /// `countFigures` has counted them. Cheap: no store read.
    public var figures: StoreFigures? {
        guard let base = figureBase.withLock({ $0 }) else { return nil }
        return base.counted + (figureChanges.withLock { $0 } - base.changesThen)
    }

    /// Open tasks on `queue`, oldest first, skipping `excluding`: up to `limit`, with their cases' states (from
    /// memory where the engine holds them).
    public func openTasks(on queue: String, excluding: Set<String>, limit: Int) async throws(StoreError)
        -> [OpenTask]
    {
        try await store.openTasks(on: queue, excluding: excluding, limit: limit) { [self] id, version in
            cache.withLock { $0.state(of: id, at: version)?.state }
        }
    }

    /// Runs `job` on the writer thread after the batch in hand, with the store to itself (disposal, which must not
    /// interleave with commands); its changes to the figures are counted, and the cases it removed are forgotten.
    ///
    /// - Throws: what `job` throws; `StoreError.closed` once the engine is shutting down.
    func maintain<T: Sendable>(
        _ job: @escaping @Sendable () throws(StoreError) -> Maintenance<T>
    ) async throws(StoreError) -> T {
        let result = await withCheckedContinuation {
            (continuation: CheckedContinuation<Result<T, StoreError>, Never>) in
            let added = queue.add(
                .maintenance { [self] in
                    continuation.resume(
                        returning: Result { () throws(StoreError) in
                            try committing.withLock { _ throws(StoreError) in
                                let done = try job()
                                figureChanges.withLock { $0 += done.figures }
                                cache.withLock { $0.forget(done.removed) }
                                return done.result
                            }
                        })
                })
            if !added {
                continuation.resume(
                    returning: .failure(StoreError(.closed, "the engine is shutting down; try again shortly")))
            }
        }
        return try result.get()
    }

    /// Takes in what another node of a store shared by several committed (`fromAnotherNode` events, read from the
    /// nodes' feed): the cases it changed or removed are forgotten from the cache (their next command reads them
    /// again), its change to the store's figures is counted, and the observers see its events (the event stream,
    /// live pages, metrics, the timer service; the broker takes none of their tasks).
    public func absorb(_ events: [CommittedEvent], removed: [CaseID], figures: StoreFigures) {
        cache.withLock { cache in
            cache.forget(removed)
            cache.forget(events.map(\.state.id))
        }
        figureChanges.withLock { $0 += figures }
        if !events.isEmpty {
            for observer in observers.withLock({ $0 }) { observer(events) }
        }
    }

    /// Takes no more commands; those already submitted are still written.
    public func stopAccepting() {
        queue.close()
    }

    /// Writes one batch in one transaction, then answers each command in it (on the writer thread); then runs the
    /// maintenance that came with it.
    private func commit(_ batch: [Work]) {
        var commands: [WriterBatch.Submission] = []
        var answers: [@Sendable (Result<CommandResult, StoreError>) -> Void] = []
        var notes: [StoreNote] = []
        var reads: [AccessRecord] = []
        var recorded: [@Sendable (Result<Void, StoreError>) -> Void] = []
        var maintenance: [@Sendable () -> Void] = []
        for work in batch {
            switch work {
            case .command(let submission, let answer):
                commands.append(submission)
                answers.append(answer)
            case .read(let read, let done):
                reads.append(read)
                recorded.append(done)
            case .note(let note):
                notes.append(note)
            case .maintenance(let job):
                maintenance.append(job)
            }
        }
        if !commands.isEmpty || !notes.isEmpty || !reads.isEmpty {
            commit(commands, answering: answers, notes: notes, reads: reads, recorded: recorded)
        }
        for job in maintenance { job() }
    }

    /// Logs, once a run, the first due date (a timer's or a task's) set past the end of the policy's bank holidays:
    /// due days counted there knew no bank holidays. A lock and a comparison per effect until then; a lock after.
    private func warnPastBankHolidays(_ committed: [CommittedEvent]) {
        let found: (effect: Effect, caseID: CaseID, due: Date)? = bankHolidaysEnd.withLock { end in
            guard let limit = end else { return nil }
            for event in committed {
                for effect in event.effects {
                    let due: Date? =
                        switch effect {
                        case .setTimer(_, let due): due
                        case .enqueue(let task): task.due
                        default: nil
                        }
                    guard let due, due >= limit else { continue }
                    end = nil
                    return (effect, event.state.id, due)
                }
            }
            return nil
        }
        guard let found else { return }
        let what: String =
            switch found.effect {
            case .setTimer(let name, _): "timer \(name.rawValue)"
            case .enqueue(let task): "task \(task.id) (\(task.kind.rawValue))"
            default: "\(found.effect)"
            }
        let calendar = policy.councilCalendar
        let holidays = calendar.bankHolidays
        let lastYear: String = holidays.lastYear.map(String.init) ?? "?"
        let due: String = calendar.deadlineDay(of: found.due).description
        let message: String =
            "\(what) of case \(found.caseID) is due on \(due), after \(lastYear), the last year the bank "
            + "holidays '\(holidays.name)' cover: due days counted there know no bank holidays (weekends and closure "
            + "days still count); refresh them with `carejourney calendar import`, then `carejourney policy apply` "
            + "(docs/policy-files.md#bank-holidays). Warned once a run."
        logger.warning("\(message)", metadata: ["case": "\(found.caseID)"])
    }

    private func commit(
        _ commands: [WriterBatch.Submission],
        answering answers: [@Sendable (Result<CommandResult, StoreError>) -> Void],
        notes: [StoreNote], reads: [AccessRecord], recorded: [@Sendable (Result<Void, StoreError>) -> Void]
    ) {
        let known: @Sendable (CaseID) -> StateCache.Entry? = { [self] id in cache.withLock { $0.entry(of: id) } }
        do {
            let outcome = try committing.withLock { _ in
                let outcome = try writer.commit(
                    WriterBatch(
                        commands: commands, notes: notes, reads: reads, policy: policy,
                        policyFingerprint: policyFingerprint, recordedAt: clock.now(), known: known))
                figureChanges.withLock { $0 += outcome.changes }
                return outcome
            }
            let results = outcome.results
            cache.withLock { $0.store(outcome.written) }
            counters.withLock { counters in
                counters.batches += 1
                counters.commands += commands.count
                counters.largestBatch = max(counters.largestBatch, commands.count)
                counters.preparedTransitions += outcome.preparedTaken
            }
            for done in recorded { done(.success(())) }
            let committed = results.flatMap { (try? $0.get())?.committed ?? [] }
            // A corrected value must not stay in older copies of the pages it was in (SQLite's WAL): removed before
            // the correction is answered.
            if committed.contains(where: { $0.event.name == .correctRecord }) && !writer.clearOverwrittenCopies() {
                logger.warning(
                    "a correction's old value may stay in the WAL until the next checkpoint: readers held it")
            }
            for (answer, result) in zip(answers, results) { answer(result.map(\.result)) }
            warnPastBankHolidays(committed)
            if !committed.isEmpty {
                for observer in observers.withLock({ $0 }) { observer(committed) }
            }
        } catch {
            logger.error(
                "commit of \(commands.count) commands, \(reads.count) reads and \(notes.count) notes failed: \(error)")
            let failure = StoreError(.io, "the commit failed; nothing was written", cause: error)
            for done in recorded { done(.failure(failure)) }
            for answer in answers { answer(.failure(failure)) }
        }
    }
}
