import CareJourneyCore
import Foundation

/// Where the engine's batches are written: one call of `commit` is one transaction, whichever database holds the
/// store. `CaseStore` (SQLite) is one; the engine crosses this seam once a batch, never once a command, so that each
/// store keeps its own writer concrete inside (the SQLite one is `BatchWriter`).
///
/// The engine calls `commit` on its writer thread and `figuresSnapshot` between two commits (under the lock its
/// commits take); `policy apply` calls `commit` while no engine runs. So a committer is never called by two threads at
/// once, and it may block (on `fsync`, or on a round trip to a server).
public protocol BatchCommitter: Sendable {
    /// Writes `batch` in one transaction and returns what each command did, or throws and commits nothing.
    ///
    /// A command that fails on its own (an unknown case, a refusal, a key reused) fails alone, found before it writes
    /// anything; a write that fails fails the whole batch: the error is thrown, nothing of the batch is committed,
    /// and the engine answers every command with it.
    func commit(_ batch: WriterBatch) throws -> BatchOutcome

    /// Removes what the store keeps of values overwritten by a committed correction outside its tables, as far as it
    /// can now: on SQLite, empties the WAL (`CaseStore.truncateWAL`).
    ///
    /// - Returns: whether nothing is kept any more; `false` when it could not be done now (readers held the WAL: the
    ///   next call does it).
    func clearOverwrittenCopies() -> Bool

    /// A read of the store as it is now, between two commits, from which its figures are counted later while commits
    /// go on (`Engine.countFigures`).
    ///
    /// - Throws: `StoreError.io` when the store cannot be read.
    func figuresSnapshot() throws(StoreError) -> any FiguresSnapshot
}

/// The store as it was when the snapshot was taken (`BatchCommitter.figuresSnapshot`), to count its figures from.
public protocol FiguresSnapshot: Sendable {
    /// The figures as they stood when the snapshot was taken.
    ///
    /// - Throws: `StoreError.io` when the store cannot be read.
    func figures() async throws(StoreError) -> StoreFigures
}

/// What one transaction of the writer carries: commands, reads of personal data to record, notes on tasks, and what
/// every event of it is written under (the policy, when it was recorded).
public struct WriterBatch: Sendable {
    /// The commands, in the order they are carried out and answered.
    package let commands: [Submission]
    /// Notes on tasks' dispatch, written first.
    package let notes: [StoreNote]
    /// Reads of personal data to record, written before the commands.
    package let reads: [AccessRecord]
    /// The policy new events run under, and its fingerprint (each event records it).
    package let policy: Policy
    package let policyFingerprint: String
    /// When the batch is written (the engine's clock), every event's `recorded_at`.
    package let recordedAt: Date
    /// A case's state as the engine last committed it (its cache), if it holds it: taken as the case's current state.
    package let known: @Sendable (CaseID) -> StateCache.Entry?

    package init(
        commands: [Submission], notes: [StoreNote] = [], reads: [AccessRecord] = [], policy: Policy,
        policyFingerprint: String, recordedAt: Date,
        known: @escaping @Sendable (CaseID) -> StateCache.Entry? = { _ in nil }
    ) {
        self.commands = commands
        self.notes = notes
        self.reads = reads
        self.policy = policy
        self.policyFingerprint = policyFingerprint
        self.recordedAt = recordedAt
        self.known = known
    }

    /// A command as the writer takes it: with its idempotency key, if it came with one, and its transition, if the
    /// task that submitted it worked it out (`PreparedTransition`). A class: passed from the submitting task through
    /// the engine's queue and batch to the writer as one reference, not as a copy of each of its fields.
    package final class Submission: Sendable {
        package let command: Command
        package let key: IdempotencyKey?
        package let prepared: PreparedTransition?

        package init(command: Command, key: IdempotencyKey? = nil, prepared: PreparedTransition? = nil) {
            self.command = command
            self.key = key
            self.prepared = prepared
        }
    }
}

/// What a committed batch did (`BatchCommitter.commit`).
public struct BatchOutcome: Sendable {
    /// Each command's result, in the batch's order.
    package let results: [Result<Done, StoreError>]
    /// The states the batch wrote, for the engine's cache.
    package let written: [CaseID: StateCache.Entry]
    /// How the batch changed the store's figures (`Engine.figures`).
    package let changes: StoreFigures
    /// How many transitions the batch took as their submitting tasks worked them out (`PreparedTransition`).
    package let preparedTaken: Int

    package init(
        results: [Result<Done, StoreError>], written: [CaseID: StateCache.Entry], changes: StoreFigures,
        preparedTaken: Int
    ) {
        self.results = results
        self.written = written
        self.changes = changes
        self.preparedTaken = preparedTaken
    }

    /// What one command did: its answer, and the events it committed (its own first, then those of the cases it
    /// opened).
    package struct Done: Sendable {
        package let result: CommandResult
        package let committed: [CommittedEvent]

        package init(result: CommandResult, committed: [CommittedEvent]) {
            self.result = result
            self.committed = committed
        }
    }
}
