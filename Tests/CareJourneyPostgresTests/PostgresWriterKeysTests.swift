import CareJourneyClock
import CareJourneyCore
import CareJourneyStore
import CareJourneyTestSupport
import Foundation
import Testing

@testable import CareJourneyPostgres

/// Idempotency keys and corrections of the record through `PostgresWriter`: the same batches, given to SQLite's
/// writer and to PostgreSQL's, give the same answers and leave the same rows; a key kept through one node's writer is
/// replayed through another's.
@Suite struct PostgresWriterKeysTests {
    typealias Tests = PostgresWriterTests
    static let start = Tests.start

    /// A SQLite store and a PostgreSQL store given the same batches.
    struct Twins: Sendable {
        let folder: String
        let sqlite: CaseStore
        let address: PostgresAddress
        let postgres: PostgresWriter

        static func with(_ body: @Sendable (Twins) async throws -> Void) async throws {
            let server = try await PostgresServer.shared()
            let folder = temporaryDirectory()
            let sqlite = try CaseStore(directory: folder)
            try sqlite.register(try shippedPolicy(), current: true, at: start)
            let address = try await server.newStore()
            let postgres = try await PostgresWriter.open(address, node: node("n1"), logger: quietLogger)
            do {
                try await body(Twins(folder: folder, sqlite: sqlite, address: address, postgres: postgres))
                await postgres.close()
            } catch {
                await postgres.close()
                throw error
            }
        }

        /// Commits `batch` to both stores, and expects the same answers and the same change to the figures; returns
        /// PostgreSQL's answers.
        @discardableResult
        func commit(_ batch: WriterBatch, sourceLocation: SourceLocation = #_sourceLocation) async throws -> [String] {
            let sqliteOutcome = try await Tests.commit(batch, to: sqlite)
            let postgresOutcome = try await Tests.commit(batch, to: postgres)
            let (expected, answers) = (Twins.answers(sqliteOutcome), Twins.answers(postgresOutcome))
            #expect(answers == expected, sourceLocation: sourceLocation)
            #expect(postgresOutcome.changes == sqliteOutcome.changes, sourceLocation: sourceLocation)
            #expect(
                postgresOutcome.written.mapValues(\.version) == sqliteOutcome.written.mapValues(\.version),
                sourceLocation: sourceLocation)
            return answers
        }

        /// Expects `tables` to hold the same rows in both stores.
        func expectSameRows(_ tables: [String], sourceLocation: SourceLocation = #_sourceLocation) async throws {
            let sqliteRows = try contents(ofStoreIn: folder)
            let postgresRows = try await address.contents()
            for table in tables {
                let rows = try #require(sqliteRows[table])
                #expect(!rows.isEmpty, "\(table) has rows", sourceLocation: sourceLocation)
                #expect(
                    postgresRows[table] == rows,
                    "\(table) differs:\nSQLite \(rows)\nPostgreSQL \(postgresRows[table] ?? [])",
                    sourceLocation: sourceLocation)
            }
        }

        /// Each command's answer, in words.
        static func answers(_ outcome: BatchOutcome) -> [String] {
            outcome.results.map { result in
                switch result {
                case .failure(let error): return "failed: \(error.message)"
                case .success(let done):
                    let committed = done.committed.map { "\($0.state.id) v\($0.version) #\($0.seq) \($0.data)" }
                    switch done.result {
                    case .done(.applied(let event)):
                        return "applied \(event.state.id) v\(event.version) #\(event.seq) \(event.event.name) "
                            + "\(event.data) opened \(event.opened) committed \(committed)"
                    case .done(.rejected(let error, let id)):
                        return "rejected \(id.map(\.rawValue) ?? "-"): \(error.message)"
                    case .done(.notFound(let id)): return "not found \(id)"
                    case .replayed(let kept): return "replayed \(kept)"
                    case .keyReused: return "key reused"
                    }
                }
            }
        }
    }

    static func submission(_ command: Command, key: String? = nil, fingerprint: String = "f") -> WriterBatch.Submission
    {
        WriterBatch.Submission(command: command, key: key.map { IdempotencyKey($0, fingerprint: fingerprint) })
    }

    static func command(_ id: CaseID?, _ name: String, _ data: JSONValue = [:], at: Date = start) throws -> Command {
        Command(caseID: id, event: try Event(name: name, data: data), actor: "test", at: at)
    }

    @Test func aKeyIsKeptWithItsCommandAndReplayedAsSQLiteReplaysIt() async throws {
        try await Twins.with { twins in
            let later = Self.start.addingTimeInterval(0.25)
            let step = EventCatalog.pathToDelivery[0]
            let answers = try await twins.commit(
                try Tests.batch([
                    Self.submission(try Tests.contact("Grace Hopper"), key: "k1"),
                    Self.submission(try Tests.contact("Mary Somerville"), key: "k2"),
                    // The same key in the same batch: the first answer.
                    Self.submission(try Tests.contact("Grace Hopper"), key: "k1"),
                    // The same key for a different request: refused, nothing done.
                    Self.submission(try Tests.contact("Ada Lovelace"), key: "k2", fingerprint: "other"),
                    Self.submission(try Self.command("C-404", "close-case", ["reason": "needs-met"]), key: "k3"),
                    Self.submission(try Self.command(nil, "sign-off"), key: "k6"),
                ]))
            #expect(answers[2].hasPrefix("replayed applied"), "\(answers[2])")
            #expect(answers[3] == "key reused")
            try await twins.commit(
                try Tests.batch([
                    Self.submission(try Tests.contact("Grace Hopper"), key: "k1"),
                    Self.submission(try Self.command("C-1", step.name.rawValue, step.data, at: later), key: "k4"),
                    Self.submission(try Self.command("C-1", step.name.rawValue, step.data, at: later), key: "k4"),
                    Self.submission(try Self.command("C-1", "sign-off"), key: "k5"),
                    Self.submission(try Self.command("C-2", "sign-off")),
                ]))
            try await twins.commit(
                try Tests.batch([
                    Self.submission(try Self.command("C-1", "sign-off"), key: "k5"),
                    Self.submission(try Tests.contact("Ada Lovelace"), key: "k2", fingerprint: "other"),
                    Self.submission(try Self.command("C-404", "close-case", ["reason": "needs-met"]), key: "k3"),
                    Self.submission(try Self.command(nil, "sign-off"), key: "k6"),
                ]))
            try await twins.expectSameRows(["idempotency", "events", "cases", "tasks"])
            #expect(
                try await twins.address.strings("SELECT key FROM idempotency ORDER BY key")
                    == ["k1", "k2", "k3", "k4", "k5", "k6"])

            // Another node's writer on the same database gives the first answers too.
            let other = try await PostgresWriter.open(twins.address, node: node("n2"), logger: quietLogger)
            let replays = try Tests.batch([
                Self.submission(try Tests.contact("Grace Hopper"), key: "k1"),
                Self.submission(try Self.command("C-1", step.name.rawValue, step.data, at: later), key: "k4"),
                Self.submission(try Tests.contact("Ada Lovelace"), key: "k2", fingerprint: "other"),
            ])
            let expected = Twins.answers(try await Tests.commit(replays, to: twins.sqlite))
            let answersOnTheOtherNode = Twins.answers(try await Tests.commit(replays, to: other))
            await other.close()
            #expect(answersOnTheOtherNode == expected)
            #expect(expected.prefix(2).allSatisfy { $0.hasPrefix("replayed applied") }, "\(expected)")
            #expect(try await twins.address.strings("SELECT count(*)::text FROM events") == ["3"])
        }
    }

    @Test func aCorrectionWritesTheRowsSQLiteWrites() async throws {
        try await Twins.with { twins in
            let contact: JSONValue = [
                "name": "Ada Lovelace", "clientType": "adult", "route": "gp", "nhsNumber": "943 476 5919",
                "birthMonth": "1941-03",
            ]
            let fixNumber: JSONValue = [
                "event": 1, "field": "nhsNumber", "value": "4010232137", "reason": "two digits transposed at contact",
            ]
            let fixName: JSONValue = ["event": 1, "field": "name", "value": "Ada Byron", "reason": "wrong case"]
            func correct(_ data: JSONValue, minutes: Double) throws -> WriterBatch.Submission {
                Self.submission(
                    Command(
                        caseID: "C-1", event: try Event(name: "correct-record", data: data), actor: "m.patel",
                        reason: "records team", at: Self.start.addingTimeInterval(minutes * 60)))
            }
            // Opened, reassigned and corrected in one batch: the event corrected is not stored yet when it is.
            try await twins.commit(
                try Tests.batch([
                    Self.submission(try Self.command(nil, "contact", contact)),
                    Self.submission(try Self.command("C-1", "reassign", ["team": "north", "worker": "sw.jones"])),
                    try correct(fixName, minutes: 1),
                ]))
            try await twins.expectSameRows(["events", "cases"])
            // Corrected again in a later batch, twice (the second over the first), with a refusal between.
            let answers = try await twins.commit(
                try Tests.batch([
                    Self.submission(try Self.command("C-1", "give-information-and-advice")),
                    try correct(fixNumber, minutes: 2),
                    try correct(["event": 9, "field": "name", "value": "x", "reason": "r"], minutes: 3),
                    try correct(["event": 1, "field": "name", "value": "Ada King", "reason": "again"], minutes: 4),
                ]))
            #expect(answers[2].hasPrefix("rejected C-1"), "\(answers[2])")
            try await twins.commit(try Tests.batch([try correct(fixNumber, minutes: 5)]))
            try await twins.expectSameRows(["events", "cases", "tasks"])
            let data = try await twins.address.strings("SELECT data FROM events WHERE version = 1")
            #expect(data.first??.contains("Ada King") == true && data.first??.contains("4010232137") == true)
            let removed = try await twins.address.strings("SELECT removed::text FROM node_batches ORDER BY n")
            #expect(removed.prefix(2) == ["{C-1}", "{C-1}"], "corrected cases are forgotten by the other nodes")
        }
    }
}
