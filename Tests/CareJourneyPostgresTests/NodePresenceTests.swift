import CareJourneyStore
import CareJourneyTestSupport
import Foundation
import PostgresNIO
import Synchronization
import Testing

@testable import CareJourneyPostgres

/// Serving nodes share the store; an offline tool has it alone or not at all, and says who holds it.
@Suite struct NodePresenceTests {
    @Test func anOfflineToolIsRefusedWhileAnyNodeServesAndRunsOnceNoneDoes() async throws {
        let server = try await PostgresServer.shared()
        let store = try await server.newStore()
        let ran = CallCounter()
        let t = Int(clusterNow.timeIntervalSince1970)
        try await NodePresence.serving(node: node("care-1:8080"), address: store, at: clusterNow, logger: quietLogger) {
            _ in
            try await NodePresence.serving(
                node: node("care-2:8080"), address: store, at: clusterNow.addingTimeInterval(1), logger: quietLogger
            ) { second in
                #expect(
                    try await store.strings("SELECT name || ' ' || started_at::text FROM nodes ORDER BY name")
                        == ["care-1:8080 \(t)", "care-2:8080 \(t + 1)"])
                try await second.touch(at: clusterNow.addingTimeInterval(5))
                #expect(try await store.strings("SELECT seen_at::text FROM nodes WHERE name = 'care-2:8080'") == ["\(t + 5)"])

                let refused = try await #require(throws: StoreError.self) {
                    try await NodePresence.excluding("`carejourney policy apply`", address: store, logger: quietLogger) { _ in
                        ran.add()
                    }
                }
                #expect(ran.value == 0, "the tool's work did not run")
                #expect(refused.code == .inUse)
                #expect(
                    refused.message
                        == "`carejourney policy apply` needs the store at \(store) to itself, and 2 nodes serve it "
                        + "(care-1:8080, care-2:8080): stop every `carejourney serve` on it (and wait for any other tool to "
                        + "finish), run this again, then start the nodes")
                #expect(!refused.message.contains(PostgresServer.password))
            }
            // The second node stopped; the first still serves.
            let stillOne = try await #require(throws: StoreError.self) {
                try await NodePresence.excluding("`carejourney policy apply`", address: store, logger: quietLogger) { _ in
                    ran.add()
                }
            }
            #expect(stillOne.message.contains("and a node serves it (care-1:8080)"), "\(stillOne)")
        }
        try await NodePresence.excluding("`carejourney policy apply`", address: store, logger: quietLogger) { _ in
            ran.add()
        }
        #expect(ran.value == 1, "with no node serving, the tool ran")
    }

    /// One PostgreSQL server may hold the stores of several councils, a database each: a tool refused on one names
    /// the nodes serving that store alone.
    @Test func aRefusalNamesOnlyTheNodesOfItsOwnDatabase() async throws {
        let server = try await PostgresServer.shared()
        let (store, another) = (try await server.newStore(), try await server.newStore())
        try await NodePresence.serving(node: node("other:8080"), address: another, at: clusterNow, logger: quietLogger) {
            _ in
            try await NodePresence.serving(node: node("care-1:8080"), address: store, at: clusterNow, logger: quietLogger) {
                _ in
                let refused = try await #require(throws: StoreError.self) {
                    try await NodePresence.excluding("`carejourney policy apply`", address: store, logger: quietLogger) {
                        _ in
                    }
                }
                #expect(refused.message.contains("and a node serves it (care-1:8080)"), "\(refused)")
                #expect(!refused.message.contains("other:8080"), "\(refused)")
            }
        }
    }

    @Test func aNodeCannotStartWhileAnOfflineToolHasTheStoreAndSaysSoInsteadOfWaiting() async throws {
        let store = try await PostgresServer.shared().newStore()
        let quick = ClusterTimeouts(lock: .milliseconds(300))
        try await NodePresence.excluding("`carejourney policy apply`", address: store, logger: quietLogger) { _ throws(StoreError) in
            do {
                try await NodePresence.serving(
                    node: node("care-1:8080"), address: store, at: clusterNow, timeouts: quick, logger: quietLogger
                ) { _ -> Void in Issue.record("a node started while an offline tool had the store") }
            } catch let error as StoreError {
                #expect(error.code == .inUse)
                #expect(
                    error.message
                        == "the node care-1:8080 cannot serve the store at \(store): an offline tool (such as "
                        + "`carejourney policy apply`) has it to itself, and still had it after 300ms: let it finish, "
                        + "then start the node again")
            } catch {
                Issue.record("not a store error: \(error)")
            }
            // A second tool is refused as well, though no node serves.
            do throws(StoreError) {
                try await NodePresence.excluding("`carejourney policy apply`", address: store, logger: quietLogger) { _ in }
                Issue.record("two offline tools had the store at once")
            } catch {
                #expect(error.message.contains("and a node or another tool holds it"), "\(error)")
            }
        }
        // Once the tool is done, the node starts.
        try await NodePresence.serving(
            node: node("care-1:8080"), address: store, at: clusterNow, timeouts: quick, logger: quietLogger
        ) { _ in }
        #expect(try await store.strings("SELECT name FROM nodes") == ["care-1:8080"])
    }

    @Test func aPresenceOrAClaimOnALostConnectionFailsAtOnceSayingToConnectAgain() async throws {
        let store = try await PostgresServer.shared().newStore()
        let presence = try await NodePresence.serving(
            node: node("care-1:8080"), address: store, at: clusterNow, logger: quietLogger
        ) { presence in presence }
        let lost = try await #require(throws: StoreError.self) { try await presence.touch(at: clusterNow) }
        #expect(lost.code == .unavailable)
        #expect(
            lost.message
                == "recording that the node care-1:8080 serves the store at \(store) failed: the connection to the "
                + "store was closed; connect again")
        let connection = try await store.connect(logger: quietLogger)
        try await connection.close()
        let claim = try await #require(throws: StoreError.self) {
            try await TimerClaims(node: node("care-1:8080")).claim(
                dueBy: clusterNow, limit: 10, on: connection, logger: quietLogger)
        }
        #expect(claim.code == .unavailable)
        #expect(claim.message.hasSuffix("the connection to the store was closed; connect again"), "\(claim)")
    }

    @Test func aSecondProcessUnderANodesNameIsRefusedAndThePresenceIsTakenAgainAfterItsSessionEnds() async throws {
        let server = try await PostgresServer.shared()
        let store = try await server.newStore()
        try await NodePresence.serving(node: node("care-1:8080"), address: store, at: clusterNow, logger: quietLogger) {
            presence in
            let brief = ClusterTimeouts(lock: .milliseconds(500))
            let taken = try await #require(throws: StoreError.self) {
                try await NodePresence.serving(
                    node: node("care-1:8080"), address: store, at: clusterNow, timeouts: brief, logger: quietLogger
                ) { _ in }
            }
            #expect(taken.code == .nodeTaken)
            #expect(taken.message.contains("the node name care-1:8080 is in use"), "\(taken)")
            #expect(taken.message.contains("Give each node its own --node name"))
            // Another name serves beside it.
            try await NodePresence.serving(
                node: node("care-2:8080"), address: store, at: clusterNow, logger: quietLogger
            ) { other in try await other.touch(at: clusterNow) }
            // The server ends the node's session (a restart, a failover): the presence is lost, then taken again.
            try await store.onConnection { connection in
                try await connection.query(
                    """
                    SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                    WHERE application_name = 'carejourney node care-1:8080' AND datname = current_database()
                    """,
                    logger: quietLogger
                ).drain()
            }
            var lost: StoreError?
            for _ in 0..<100 where lost == nil {
                do throws(StoreError) { try await presence.touch(at: clusterNow) } catch { lost = error }
                if lost == nil { try await Task.sleep(for: .milliseconds(50)) }
            }
            #expect(lost?.code == .unavailable)
            // Its old session may still be ending: the retake waits for it.
            try await presence.retake(at: clusterNow.addingTimeInterval(5))
            try await presence.touch(at: clusterNow.addingTimeInterval(6))
            let seen = try await store.onConnection { connection in
                try await connection.query("SELECT seen_at FROM nodes WHERE name = 'care-1:8080'", logger: quietLogger)
                    .collect().first?.decode(Double.self)
            }
            #expect(seen == clusterNow.addingTimeInterval(6).timeIntervalSince1970)
            // Its name is held again.
            let again = try await #require(throws: StoreError.self) {
                try await NodePresence.serving(
                    node: node("care-1:8080"), address: store, at: clusterNow, timeouts: brief, logger: quietLogger
                ) { _ in }
            }
            #expect(again.code == .nodeTaken)
        }
        // Given up with the presence: the name serves again.
        try await NodePresence.serving(node: node("care-1:8080"), address: store, at: clusterNow, logger: quietLogger) {
            presence in try await presence.touch(at: clusterNow)
        }
    }

    @Test func aNodeNameIsCheckedAndARefusalNeverQuotesAnOddOne() throws {
        #expect(try NodeName("care-1.example:8080").rawValue == "care-1.example:8080")
        let empty = try #require(throws: StoreError.self) { try NodeName("") }
        #expect(empty.message.contains("a node's name is 1 to 200 characters long (this one has 0 bytes)"))
        #expect(throws: StoreError.self) { try NodeName(String(repeating: "a", count: 201)) }
        let odd = try #require(throws: StoreError.self) { try NodeName("care 1\u{1B}[31m") }
        #expect(!odd.message.contains("care 1"), "\(odd)")
        #expect(odd.message.contains("holds only ASCII letters, digits"))
    }
}

/// A count the tests' closures add to.
final class CallCounter: Sendable {
    private let count = Mutex(0)
    func add() { count.withLock { $0 += 1 } }
    var value: Int { count.withLock { $0 } }
}
