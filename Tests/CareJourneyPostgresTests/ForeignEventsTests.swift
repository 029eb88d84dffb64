import CareJourneyClock
import CareJourneyCore
import CareJourneyTestSupport
import Foundation
import Synchronization
import Testing

@testable import CareJourneyPostgres
@testable import CareJourneyStore

/// Another node's events, read back from the store by the numbers its feed lists and replayed, are the events that
/// node's observers saw: the same state, stage left, effects, data and actor, marked as another node's.
@Suite struct ForeignEventsTests {
    @Test func anotherNodesEventsReplayedFromTheStoreAreTheEventsItCommitted() async throws {
        let address = try await PostgresServer.shared().newStore()
        let policy = try shippedPolicy()
        try await address.onConnection { connection in
            let body = String(decoding: try StateCodec.encode(policy), as: UTF8.self)
            try await connection.query(
                """
                INSERT INTO policies (fingerprint, id, body, registered_at)
                VALUES (\(policy.fingerprint), \(policy.id), \(body), 0)
                """, logger: quietLogger
            ).drain()
        }
        let seen = Mutex<[[CommittedEvent]]>([])
        let writer = try await PostgresWriter.open(address, logger: quietLogger)
        _ = try await PostgresWriterTests.withEngine(folder: temporaryDirectory(), writer: writer) { engine in
            engine.observe { batch in seen.withLock { $0.append(batch) } }
            return try await PostgresWriterTests.scenario(engine)
        }
        await writer.close()
        let committed = seen.withLock { $0 }
        let all = committed.flatMap { $0 }
        #expect(all.count > 20, "a scenario with a whole life in it")
        #expect(all.contains { !$0.effects.isEmpty })
        let batches = committed.enumerated().map { n, events in
            FeedBatch(
                node: node("other"), n: Int64(n + 1), seqs: events.map(\.seq), removed: [], figures: StoreFigures(),
                at: PostgresWriterTests.start)
        }
        let replayed = try await address.onConnection { connection in
            try await ForeignEvents.read(
                batches, on: connection, policies: PolicyBook(logger: quietLogger), logger: quietLogger)
        }
        #expect(replayed.map(\.seq) == all.map(\.seq))
        for (read, original) in zip(replayed, all) {
            #expect(read.fromAnotherNode && !original.fromAnotherNode)
            #expect(read.version == original.version)
            #expect(read.state == original.state, "case \(original.state.id) at version \(original.version)")
            #expect(read.from == original.from)
            #expect(read.event == original.event)
            #expect(read.data == original.data)
            #expect((read.actor, read.reason) == (original.actor, original.reason))
            #expect(read.effects == original.effects)
            #expect(read.at == original.at)
        }
        // Only the last events of the longest case: its snapshot (written when it closed) is past the first of
        // them, so it is replayed from its start.
        let longest = Dictionary(grouping: all, by: \.state.id).values.max { $0.count < $1.count }!
        let late = Array(longest.suffix(2))
        let snapshotVersion = try await address.onConnection { connection in
            try await connection.query(
                "SELECT state_version FROM cases WHERE id = \(late[0].state.id.rawValue)", logger: quietLogger
            ).collect().first?.decode(Int.self)
        }
        #expect(try #require(snapshotVersion) >= late[0].version)
        let tail = try await address.onConnection { connection in
            try await ForeignEvents.read(
                [FeedBatch(node: node("other"), n: 1, seqs: late.map(\.seq), removed: [], figures: StoreFigures(),
                           at: PostgresWriterTests.start)],
                on: connection, policies: PolicyBook(logger: quietLogger), logger: quietLogger)
        }
        #expect(tail.map(\.state) == late.map(\.state))
        #expect(tail.map(\.effects) == late.map(\.effects))
    }
}
