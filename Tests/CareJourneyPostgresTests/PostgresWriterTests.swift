import CareJourneyClock
import CareJourneyCore
import CareJourneyStore
import CareJourneyTestSupport
import Foundation
import Testing

@testable import CareJourneyPostgres

/// The engine's writer on PostgreSQL (`PostgresWriter`): the same commands write the same rows as SQLite's writer,
/// table by table; a command that fails fails alone; a write that fails fails the whole batch and leaves nothing.
@Suite struct PostgresWriterTests {
    /// 2026-01-05T09:00:00Z.
    static let start = Date(timeIntervalSince1970: 1_767_603_600)

    /// The tables the writer writes (the others, `policies` and `meta`, are the store's, not the writer's).
    static let written = ["cases", "events", "timers", "tasks", "reviews_done", "access_log", "access_log_cases"]

    /// What the scenario's commands answered, in words, to compare between the stores.
    typealias Answers = [String]

    /// A realistic run: two cases to delivery (tasks enqueued, timers set), a note on a task, a whole life (a timer
    /// fired and timers moved, a review done, tasks completed and withdrawn, closed), reads recorded, a refusal and a
    /// command for a case that does not exist.
    static func scenario(_ engine: Engine) async throws -> Answers {
        var answers: Answers = []
        let grace = try await engine.signedOff(at: start, name: "Grace Hopper")
        let task = try #require(grace.state.tasks.values.first { $0.queue == "brokerage" })
        engine.record(.task(.progress(task: task.id.description, "phoned the provider")))
        let mary = try await engine.caseInDelivery(at: start.addingTimeInterval(60), name: "Mary Somerville")
        let ada = try await engine.wholeLife(
            ["name": "Ada Lovelace", "clientType": "adult", "route": "gp"], key: nil, from: start)
        try await engine.recordRead(
            AccessRecord(actor: "sw.jones", at: start, channel: .search, cases: [grace.state.id, mary], query: "q=Zoë"))
        let refused = try await engine.apply(
            Command(caseID: ada.id, event: try Event(name: "sign-off", data: [:]), actor: "test", at: ada.closedAt))
        guard case .rejected(let error, let id) = refused else {
            Issue.record("sign-off on a closed case was not refused: \(refused)")
            return answers
        }
        answers.append("rejected \(id.map(\.rawValue) ?? "-"): \(error.message)")
        let missing = try await engine.apply(
            Command(caseID: "C-404", event: try Event(name: "close-case", data: ["reason": "needs-met"]), actor: "test",
                    at: start))
        guard case .notFound(let notFound) = missing else {
            Issue.record("a command for C-404 was not answered not found: \(missing)")
            return answers
        }
        answers.append("not found \(notFound)")
        answers.append("ada \(ada.id) closed \(ada.closedAt.timeIntervalSince1970)")
        return answers
    }

    /// Runs `body` with an engine whose batches go to `writer`, its clock stopped at `start` (every event's
    /// `recorded_at`), its reads and policy on the SQLite store in `folder`.
    static func withEngine<T: Sendable>(
        folder: String, writer: (any BatchCommitter)?, _ body: @Sendable (Engine) async throws -> T
    ) async throws -> T {
        let store = try CaseStore(directory: folder)
        let engine = try await Engine(
            store: store, writer: writer ?? store, policy: try shippedPolicy(), clock: ManualClock(start))
        return try await withRunning(engine) { try await body(engine) }
    }

    @Test func theSameCommandsWriteTheSameRowsAsSQLite() async throws {
        let sqliteFolder = temporaryDirectory()
        let sqliteAnswers = try await Self.withEngine(folder: sqliteFolder, writer: nil) { try await Self.scenario($0) }
        let sqlite = try contents(ofStoreIn: sqliteFolder)
        let address = try await PostgresServer.shared().newStore()
        let writer = try await PostgresWriter.open(address, logger: quietLogger)
        let answers = try await Self.withEngine(folder: temporaryDirectory(), writer: writer) {
            try await Self.scenario($0)
        }
        await writer.close()
        #expect(answers == sqliteAnswers)
        #expect(answers.count == 3)
        let postgres = try await address.contents()
        for table in Self.written {
            let rows = try #require(sqlite[table])
            #expect(!rows.isEmpty, "the scenario writes \(table)")
            #expect(postgres[table] == rows, "\(table) differs:\nSQLite \(rows)\nPostgreSQL \(postgres[table] ?? [])")
        }
        let taskStatus = StoreTable.all.first { $0.name == "tasks" }!.columns.firstIndex { $0.name == "status" }!
        let statuses = Set(sqlite["tasks"]!.map { $0[taskStatus] })
        #expect(statuses.count >= 3, "tasks of several fates: \(statuses)")
    }

    /// A batch committed straight to the writer, its cache empty (every known case read from the store).
    static func batch(_ commands: [Command], at: Date = start) throws -> WriterBatch {
        try batch(commands.map { WriterBatch.Submission(command: $0) }, at: at)
    }

    /// A batch of `submissions` (with their keys), its cache `known` (empty unless given).
    static func batch(
        _ submissions: [WriterBatch.Submission], at: Date = start,
        known: @escaping @Sendable (CaseID) -> StateCache.Entry? = { _ in nil }
    ) throws -> WriterBatch {
        let policy = try shippedPolicy()
        return WriterBatch(
            commands: submissions, policy: policy, policyFingerprint: policy.fingerprint, recordedAt: at, known: known)
    }

    /// Commits `batch` as the engine does, from a thread of its own: `commit` blocks its caller until the batch is
    /// written, which must never be one of Swift's cooperative threads (the batch's own task needs them).
    static func commit(_ batch: WriterBatch, to writer: any BatchCommitter) async throws -> BatchOutcome {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Result { try writer.commit(batch) })
            }
        }
    }

    static func contact(_ name: String) throws -> Command {
        Command(
            caseID: nil, event: try Event(name: "contact", data: ["name": .string(name), "clientType": "adult", "route": "gp"]),
            actor: "test", at: start)
    }

    @Test func aCommandThatFailsFailsAloneAndAStateNotCachedIsReadFromTheStore() async throws {
        let address = try await PostgresServer.shared().newStore()
        let writer = try await PostgresWriter.open(address, logger: quietLogger)
        let first = try await Self.commit(try Self.batch([try Self.contact("Grace Hopper")]), to: writer)
        guard case .success(let done) = first.results.first, case .done(.applied(let opened)) = done.result else {
            Issue.record("the contact was not applied: \(first.results)")
            return
        }
        let id = opened.state.id
        let step = EventCatalog.pathToDelivery[0]
        let firstStep = try Event(name: step.name.rawValue, data: step.data)
        let outcome = try await Self.commit(
            try Self.batch([
                Command(caseID: id, event: try Event(name: "sign-off", data: [:]), actor: "test", at: Self.start),
                Command(caseID: "C-404", event: firstStep, actor: "test", at: Self.start),
                Command(caseID: id, event: firstStep, actor: "test", at: Self.start),
                try Self.contact("Mary Somerville"),
            ]), to: writer)
        #expect(outcome.results.count == 4)
        guard case .success(let refusal) = outcome.results[0], case .done(.rejected(_, let refusedID)) = refusal.result
        else {
            Issue.record("sign-off at contact was not refused: \(outcome.results[0])")
            return
        }
        #expect(refusedID == id)
        guard case .success(let missing) = outcome.results[1], case .done(.notFound(let missingID)) = missing.result
        else {
            Issue.record("C-404 was not answered not found: \(outcome.results[1])")
            return
        }
        #expect(missingID == "C-404")
        guard case .success(let applied) = outcome.results[2], case .done(.applied(let moved)) = applied.result else {
            Issue.record("the first step to delivery was not applied: \(outcome.results[2])")
            return
        }
        #expect(moved.version == 2 && moved.seq == 2)
        #expect(outcome.written[id]?.version == 2)
        #expect(try await address.strings("SELECT case_id || ' ' || version FROM events ORDER BY seq")
            == ["C-1 1", "C-1 2", "C-2 1"])
        #expect(try await address.strings("SELECT version::text FROM cases ORDER BY number") == ["2", "1"])
        await writer.close()
    }

    @Test func aWriteThatFailsFailsTheWholeBatchAndLeavesNothing() async throws {
        let address = try await PostgresServer.shared().newStore()
        try await address.run(
            """
            CREATE FUNCTION refuse_second() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN IF NEW.number = 2 THEN RAISE EXCEPTION 'the test refuses case 2'; END IF; RETURN NEW; END $$
            """)
        try await address.run(
            "CREATE TRIGGER refuse_second BEFORE INSERT ON cases FOR EACH ROW EXECUTE FUNCTION refuse_second()")
        let writer = try await PostgresWriter.open(address, logger: quietLogger)
        await #expect(throws: StoreError.self) {
            try await Self.commit(
                try Self.batch([try Self.contact("Grace Hopper"), try Self.contact("Mary Somerville")]), to: writer)
        }
        for table in Self.written {
            #expect(try await address.strings("SELECT count(*)::text FROM \(table)") == ["0"], "\(table) is empty")
        }
        // The connection is usable again: the next batch commits.
        let next = try await Self.commit(try Self.batch([try Self.contact("Ada Lovelace")]), to: writer)
        guard case .success(let done) = next.results.first, case .done(.applied(let opened)) = done.result else {
            Issue.record("the next batch was not applied: \(next.results)")
            return
        }
        #expect(opened.state.id == "C-3", "numbers of a failed batch are not given again")
        #expect(try await address.strings("SELECT count(*)::text FROM events") == ["1"])
        await writer.close()
    }
}
