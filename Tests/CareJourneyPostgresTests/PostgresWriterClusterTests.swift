import CareJourneyClock
import CareJourneyCore
import CareJourneyStore
import CareJourneyTestSupport
import Foundation
import PostgresNIO
import Synchronization
import Testing

@testable import CareJourneyPostgres

/// `PostgresWriter` as one of several nodes on one database: a batch that loses to another node's is run again, and
/// every command is applied once; each batch appends its feed row, rings the doorbell, and forgets the leases of the
/// tasks it resolves; the figures are counted from one consistent read.
@Suite struct PostgresWriterClusterTests {
    typealias Tests = PostgresWriterTests
    typealias Keys = PostgresWriterKeysTests

    /// Runs a blocking call on a thread of its own, as the engine's writer thread makes it.
    static func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread { continuation.resume(with: Result { try body() }) }
        }
    }

    // MARK: Retry

    /// A trigger that fails the batch's insert of events `losses` times with SQLSTATE `state` (on `constraint`),
    /// as a batch fails that another node's wrote first; the sequence `test_tries` counts the tries.
    static func loseTo(_ state: String, constraint: String?, losses: Int, at address: PostgresAddress) async throws {
        try await address.run("CREATE SEQUENCE test_tries")
        try await address.run(
            """
            CREATE FUNCTION lose() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF nextval('test_tries') <= \(losses) THEN
                    RAISE EXCEPTION 'another node wrote first' USING ERRCODE = '\(state)'
                        \(constraint.map { ", CONSTRAINT = '\($0)'" } ?? "");
                END IF;
                RETURN NULL;
            END $$
            """)
        try await address.run("CREATE TRIGGER lose AFTER INSERT ON events FOR EACH STATEMENT EXECUTE FUNCTION lose()")
    }

    @Test(
        arguments: [
            ("40001", nil), ("40P01", nil), ("23505", "events_case_id_version_key"), ("23505", "idempotency_pkey"),
        ] as [(String, String?)])
    func aBatchThatLosesToAnotherNodeIsRunAgainAndAppliedOnce(state: String, constraint: String?) async throws {
        let address = try await PostgresServer.shared().newStore()
        try await Self.loseTo(state, constraint: constraint, losses: 2, at: address)
        let writer = try await PostgresWriter.open(address, logger: quietLogger)
        let outcome = try await Tests.commit(
            try Tests.batch([Keys.submission(try Tests.contact("Grace Hopper"), key: "k")]), to: writer)
        await writer.close()
        guard case .success(let done) = outcome.results.first, case .done(.applied(let opened)) = done.result else {
            Issue.record("the contact was not applied: \(outcome.results)")
            return
        }
        #expect(opened.state.id == "C-3", "each try took a case number")
        #expect(try await address.strings("SELECT last_value::text FROM test_tries") == ["3"])
        #expect(try await address.strings("SELECT case_id FROM events") == ["C-3"])
        #expect(try await address.strings("SELECT key || ' ' || case_id FROM idempotency") == ["k C-3"])
    }

    @Test func aBatchThatKeepsLosingFailsAfterItsAttemptsAndAnotherFailureAtOnce() async throws {
        for (constraint, tries) in [("events_case_id_version_key", "5"), ("cases_number_key", "1")] {
            let address = try await PostgresServer.shared().newStore()
            try await Self.loseTo("23505", constraint: constraint, losses: 100, at: address)
            let writer = try await PostgresWriter.open(address, logger: quietLogger)
            let error = await #expect(throws: StoreError.self) {
                try await Tests.commit(try Tests.batch([try Tests.contact("Grace Hopper")]), to: writer)
            }
            await writer.close()
            #expect(error?.code == .io)
            if tries == "5" {
                #expect(error?.message.contains("failed 5 times, each on a conflict with another node") == true)
            }
            #expect(
                try await address.strings("SELECT last_value::text FROM test_tries") == [tries], "\(constraint)")
            #expect(try await address.strings("SELECT count(*)::text FROM cases") == ["0"])
        }
    }

    @Test func twoNodesKeepingOneKeyAtOnceGiveTheFirstAnswer() async throws {
        let address = try await PostgresServer.shared().newStore()
        let writers = [
            try await PostgresWriter.open(address, node: node("n1"), logger: quietLogger),
            try await PostgresWriter.open(address, node: node("n2"), logger: quietLogger),
        ]
        let batch = try Tests.batch([Keys.submission(try Tests.contact("Grace Hopper"), key: "same")])
        // Both batches read the key (not kept yet), then wait to insert it until the test lets them.
        let answers = try await address.onConnection { locker in
            try await locker.query("BEGIN", logger: quietLogger).drain()
            try await locker.query("LOCK TABLE idempotency IN SHARE MODE", logger: quietLogger).drain()
            async let first = Tests.commit(batch, to: writers[0])
            async let second = Tests.commit(batch, to: writers[1])
            var waiting = 0
            for _ in 0..<600 where waiting < 2 {
                for try await count in try await locker.query(
                    """
                    SELECT count(*) FROM pg_locks
                    WHERE relation = 'idempotency'::regclass AND NOT granted
                        AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
                    """,
                    logger: quietLogger
                ).decode(Int64.self) {
                    waiting = Int(count)
                }
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(waiting == 2, "both batches wait to keep the key")
            try await locker.query("COMMIT", logger: quietLogger).drain()
            return try await [first, second].map(Keys.Twins.answers)
        }
        for writer in writers { await writer.close() }
        let flat = answers.flatMap { $0 }
        let applied = flat.filter { $0.hasPrefix("applied") }
        #expect(applied.count == 1, "\(flat)")
        #expect(flat.filter { $0.hasPrefix("replayed applied") }.count == 1, "\(flat)")
        #expect(try await address.strings("SELECT count(*)::text FROM events") == ["1"])
        #expect(try await address.strings("SELECT count(*)::text FROM cases") == ["1"])
    }

    /// A node's writer with the engine's cache: the states its batches wrote, offered to the next (stale once
    /// another node wrote the case).
    final class Node: Sendable {
        let writer: PostgresWriter
        let cache = Mutex<[CaseID: StateCache.Entry]>([:])

        init(_ writer: PostgresWriter) { self.writer = writer }

        func commit(_ submissions: [WriterBatch.Submission]) async throws -> [Result<BatchOutcome.Done, StoreError>] {
            let batch = try Tests.batch(submissions) { [self] id in self.cache.withLock { $0[id] } }
            let outcome = try await Tests.commit(batch, to: writer)
            cache.withLock { $0.merge(outcome.written) { _, new in new } }
            return outcome.results
        }
    }

    @Test func twoNodesWritingTheSameCasesApplyEveryCommandOnceInOrder() async throws {
        let address = try await PostgresServer.shared().newStore()
        let nodes = [
            Node(try await PostgresWriter.open(address, node: node("n1"), logger: quietLogger)),
            Node(try await PostgresWriter.open(address, node: node("n2"), logger: quietLogger)),
        ]
        _ = try await nodes[0].commit([
            Keys.submission(try Tests.contact("Grace Hopper")),
            Keys.submission(try Tests.contact("Mary Somerville")),
        ])
        let rounds = 24
        let results = try await withThrowingTaskGroup(of: [(String, Result<BatchOutcome.Done, StoreError>)].self) {
            group in
            for (index, node) in nodes.enumerated() {
                group.addTask {
                    var results: [(String, Result<BatchOutcome.Done, StoreError>)] = []
                    for round in 0..<rounds {
                        var submissions = [
                            Keys.submission(try Tests.contact("Client \(round)"), key: "key-\(round)")
                        ]
                        if round % 2 == 0 {
                            for id: CaseID in ["C-1", "C-2"] {
                                submissions.append(
                                    Keys.submission(
                                        try Keys.command(
                                            id, "reassign", ["worker": .string("sw.\(index).\(round)")])))
                            }
                        }
                        let answers = try await node.commit(submissions)
                        results += zip(["key-\(round)", "reassign", "reassign"], answers).map { ($0, $1) }
                    }
                    return results
                }
            }
            var all: [(String, Result<BatchOutcome.Done, StoreError>)] = []
            for try await results in group { all += results }
            return all
        }
        for node in nodes { await node.writer.close() }

        let reassigns = results.filter { $0.0 == "reassign" }.map(\.1)
        #expect(reassigns.count == 2 * rounds)
        for result in reassigns {
            guard case .success(let done) = result, case .done(.applied) = done.result else {
                Issue.record("a reassignment was not applied: \(result)")
                continue
            }
        }
        // Each case's events numbered 1, 2, 3… without a gap, every reassignment among them.
        for id in ["C-1", "C-2"] {
            let versions = try await address.strings(
                "SELECT version::text FROM events WHERE case_id = '\(id)' ORDER BY events.version")
            #expect(versions == (1...(1 + rounds)).map { String($0) }, "\(id)")
            #expect(
                try await address.strings("SELECT version::text FROM cases WHERE id = '\(id)'") == ["\(1 + rounds)"]
            )
        }
        // Each key: applied once, the other node given the same outcome.
        for round in 0..<rounds {
            let answers = results.filter { $0.0 == "key-\(round)" }.map(\.1)
            var applied: [RecordedOutcome] = []
            var replayed: [RecordedOutcome] = []
            for answer in answers {
                guard case .success(let done) = answer else {
                    Issue.record("key-\(round) failed: \(answer)")
                    continue
                }
                switch done.result {
                case .done(let outcome): applied.append(RecordedOutcome(outcome))
                case .replayed(let kept): replayed.append(kept)
                case .keyReused: Issue.record("key-\(round) was said reused")
                }
            }
            #expect(applied.count == 1 && replayed == applied, "key-\(round): \(answers)")
        }
        #expect(try await address.strings("SELECT count(*)::text FROM cases") == ["\(2 + rounds)"])
        #expect(try await address.strings("SELECT count(*)::text FROM idempotency") == ["\(rounds)"])
    }
}
