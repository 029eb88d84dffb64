import CareJourneyStore
import CareJourneyTestSupport
import Foundation
import PostgresNIO
import Testing

@testable import CareJourneyPostgres

/// A node never waits for ever on a statement postgres-nio leaves unanswered (a statement written to a connection in
/// the instant it closes): the wait has a limit on the client's side too.
@Suite struct ClusterTimeoutsTests {
    @Test func aStatementLeftUnansweredFailsInTimeAndItsConnectionIsClosed() async throws {
        let store = try await PostgresServer.shared().newStore()
        let connection = try await store.connect(logger: quietLogger)
        let started = ContinuousClock.now
        let error = try await #require(throws: StoreError.self) {
            // An answer that never comes in time.
            try await ClusterTimeouts.answered(within: .milliseconds(300), "reading the feeds", closing: connection) {
                try await Task.sleep(for: .seconds(3600))
            }
        }
        #expect(ContinuousClock.now - started < .seconds(30))
        #expect(error.code == .unavailable)
        #expect(error.message.contains("reading the feeds failed: the store gave no answer within"), "\(error)")
        // The connection is not used again: the next statement on it is refused at once.
        #expect(try await eventually(30, every: .milliseconds(20)) { connection.isClosed })
        let refused = try await #require(throws: StoreError.self) {
            try await TimerClaims(node: node("a")).nextClaimable(at: clusterNow, on: connection, logger: quietLogger)
        }
        #expect(refused.code == .unavailable)
    }

    @Test func anAnswerInTimeIsGivenAndAFailureIsTheStatementsOwn() async throws {
        let store = try await PostgresServer.shared().newStore()
        try await store.onConnection { connection in
            let answer = try await ClusterTimeouts.answered(within: .seconds(30), "counting", closing: connection) {
                try await connection.query("SELECT 41 + 1", logger: quietLogger).collect().first?.decode(Int.self)
            }
            #expect(answer == 42)
            let failure = try await #require(throws: PSQLError.self) {
                try await ClusterTimeouts.answered(within: .seconds(30), "failing", closing: connection) {
                    try await connection.query("SELECT 1/0", logger: quietLogger).drain()
                }
            }
            #expect(failure.serverInfo?[.sqlState] == "22012")
            #expect(!connection.isClosed, "a connection that answered is kept")
        }
    }

    @Test func aCancelledCallerReturnsAtOnce() async throws {
        let store = try await PostgresServer.shared().newStore()
        try await store.onConnection { connection in
            let waiting = Task {
                try await ClusterTimeouts.answered(within: .seconds(3600), "waiting", closing: connection) {
                    try await connection.query("SELECT pg_sleep(3600)", logger: quietLogger).drain()
                }
            }
            try await Task.sleep(for: .milliseconds(200))
            let started = ContinuousClock.now
            waiting.cancel()
            await #expect(throws: CancellationError.self) { try await waiting.value }
            #expect(ContinuousClock.now - started < .seconds(30))
        }
    }
}
