import CareJourneyCore
import CareJourneyStore
import CareJourneyTestSupport
import Foundation
import PostgresNIO
import Testing

@testable import CareJourneyPostgres

/// Timer claims across nodes: each due timer is claimed by one node at a time; a dead node's claims lapse and are
/// taken over; a timer set again loses its claim.
@Suite struct TimerClaimsTests {
    /// `count` timers of distinct cases, due one second apart, the last due a second before `clusterNow`.
    private func insertDueTimers(_ count: Int, into store: PostgresAddress) async throws {
        try await store.run(
            """
            INSERT INTO timers (case_id, name, due)
            SELECT 'C-' || i, 'review.informal', \(clusterNow.timeIntervalSince1970) - i FROM generate_series(1, \(count)) AS i
            """)
    }

    @Test func aThousandDueTimersAreEachClaimedOnceByFourRacingNodes() async throws {
        let store = try await PostgresServer.shared().newStore()
        try await insertDueTimers(1000, into: store)
        // Four nodes, each on a connection of its own, claim 25 at a time until nothing is left.
        let claims = try await withThrowingTaskGroup(of: (NodeName, [ClaimedTimer]).self) { group in
            for index in 1...4 {
                group.addTask {
                    let claims = TimerClaims(node: node("node-\(index)"))
                    return try await store.onConnection { connection throws in
                        var mine: [ClaimedTimer] = []
                        // At most 40 claims of 25 are needed; more would mean timers are claimed again.
                        for _ in 0..<80 {
                            let batch = try await claims.claim(
                                dueBy: clusterNow, limit: 25, on: connection, logger: quietLogger)
                            if batch.isEmpty { break }
                            #expect(batch.count <= 25)
                            #expect(batch == batch.sorted { $0.due < $1.due }, "earliest first")
                            mine += batch
                        }
                        return (claims.node, mine)
                    }
                }
            }
            var all: [(NodeName, [ClaimedTimer])] = []
            for try await claimed in group { all.append(claimed) }
            return all
        }
        let everyClaim = claims.flatMap(\.1)
        #expect(everyClaim.count == 1000, "no timer claimed twice")
        #expect(Set(everyClaim.map(\.caseID)).count == 1000, "every timer claimed")
        #expect(everyClaim.allSatisfy { $0.name == .reviewInformal && $0.due < clusterNow })
        // The store says the same: each timer held by the node that was told it claimed it, for the lease.
        for (node, mine) in claims where !mine.isEmpty {
            let held = try await store.strings(
                "SELECT case_id FROM timers WHERE claimed_by = '\(node)' AND claim_until = \(clusterNow.timeIntervalSince1970 + 30) ORDER BY case_id")
            #expect(held == mine.map(\.caseID.rawValue).sorted(), "\(node)")
        }
        #expect(try await store.strings("SELECT count(*)::text FROM timers WHERE claimed_by IS NULL") == ["0"])
    }

    @Test func aLapsedClaimIsTakenOverByAnotherNodeAndALiveOneIsNot() async throws {
        let store = try await PostgresServer.shared().newStore()
        try await insertDueTimers(10, into: store)
        let dead = TimerClaims(node: node("dead"), lease: .seconds(30))
        let alive = TimerClaims(node: node("alive"), lease: .seconds(30))
        try await store.onConnection { connection throws in
            #expect(try await dead.claim(dueBy: clusterNow, limit: 4, on: connection, logger: quietLogger).count == 4)
            // Ten seconds on, the dead node's claims are live: the other node takes the six others only.
            let later = clusterNow.addingTimeInterval(10)
            let taken = try await alive.claim(dueBy: later, limit: 100, on: connection, logger: quietLogger)
            #expect(taken.count == 6)
            // The next thing claimable is when the first claims lapse (every timer is due and held).
            #expect(
                try await alive.nextClaimable(at: later, on: connection, logger: quietLogger)
                    == clusterNow.addingTimeInterval(30))
            #expect(try await alive.claim(dueBy: later, limit: 100, on: connection, logger: quietLogger).isEmpty)
            // Past the lease, the dead node's four are taken over (the live node's own six are still its).
            let lapsed = clusterNow.addingTimeInterval(31)
            let takenOver = try await alive.claim(dueBy: lapsed, limit: 100, on: connection, logger: quietLogger)
            #expect(takenOver.count == 4)
            #expect(Set(takenOver).isDisjoint(with: Set(taken)))
            #expect(try await store.strings("SELECT DISTINCT claimed_by FROM timers") == ["alive"])
        }
    }

    @Test func aTimerSetAgainToAnotherTimeLosesItsClaim() async throws {
        let store = try await PostgresServer.shared().newStore()
        try await insertDueTimers(3, into: store)
        let first = TimerClaims(node: node("first"))
        let second = TimerClaims(node: node("second"))
        try await store.onConnection { connection throws in
            #expect(try await first.claim(dueBy: clusterNow, limit: 10, on: connection, logger: quietLogger).count == 3)
            let t = clusterNow.timeIntervalSince1970
            // A later write sets C-1's timer again (the writer's upsert), C-2's by an update, C-3's to the same time.
            try await connection.query(
                """
                INSERT INTO timers (case_id, name, due) VALUES ('C-1', 'review.informal', \(t - 0.5))
                ON CONFLICT (case_id, name) DO UPDATE SET due = excluded.due
                """, logger: quietLogger
            ).drain()
            try await connection.query(
                "UPDATE timers SET due = \(t - 0.25) WHERE case_id = 'C-2'", logger: quietLogger
            ).drain()
            try await connection.query(
                "UPDATE timers SET due = due WHERE case_id = 'C-3'", logger: quietLogger
            ).drain()
            // The two set again are claimable by any node at once; the one left at its time keeps its claim.
            let taken = try await second.claim(dueBy: clusterNow, limit: 10, on: connection, logger: quietLogger)
            #expect(
                taken == [
                    ClaimedTimer(caseID: "C-1", name: .reviewInformal, due: Date(timeIntervalSince1970: t - 0.5)),
                    ClaimedTimer(caseID: "C-2", name: .reviewInformal, due: Date(timeIntervalSince1970: t - 0.25)),
                ])
            #expect(
                try await store.strings("SELECT case_id || ' ' || claimed_by FROM timers ORDER BY case_id")
                    == ["C-1 second", "C-2 second", "C-3 first"])
        }
    }

    @Test func aReleasedClaimIsClaimableAtOnceAndOnlyItsOwnNodeReleasesIt() async throws {
        let store = try await PostgresServer.shared().newStore()
        try await insertDueTimers(2, into: store)
        let one = TimerClaims(node: node("one"))
        let two = TimerClaims(node: node("two"))
        try await store.onConnection { connection throws in
            let mine = try await one.claim(dueBy: clusterNow, limit: 10, on: connection, logger: quietLogger)
            #expect(mine.count == 2)
            #expect(try await two.release(mine, on: connection, logger: quietLogger) == 0, "not its claims")
            #expect(try await two.claim(dueBy: clusterNow, limit: 10, on: connection, logger: quietLogger).isEmpty)
            #expect(try await one.release([mine[0]], on: connection, logger: quietLogger) == 1)
            #expect(try await two.claim(dueBy: clusterNow, limit: 10, on: connection, logger: quietLogger) == [mine[0]])
        }
    }

    @Test func theNextClaimableTimeIsTheEarliestFreeTimerAndATimerOfAnUnknownNameIsLeftAlone() async throws {
        let store = try await PostgresServer.shared().newStore()
        let claims = TimerClaims(node: node("one"))
        let t = clusterNow.timeIntervalSince1970
        try await store.onConnection { connection throws in
            #expect(try await claims.nextClaimable(at: clusterNow, on: connection, logger: quietLogger) == nil)
            try await store.run(
                """
                INSERT INTO timers (case_id, name, due) VALUES ('C-1', 'review.informal', \(t + 100)),
                    ('C-2', 'review.informal', \(t + 50)), ('C-3', 'from.a.newer.version', \(t - 10))
                """)
            // The newer version's timer is neither claimed nor waited for; the earliest known one is.
            #expect(
                try await claims.nextClaimable(at: clusterNow, on: connection, logger: quietLogger)
                    == clusterNow.addingTimeInterval(50))
            #expect(try await claims.claim(dueBy: clusterNow, limit: 10, on: connection, logger: quietLogger).isEmpty)
            let at50 = clusterNow.addingTimeInterval(50)
            #expect(try await claims.claim(dueBy: at50, limit: 10, on: connection, logger: quietLogger).map(\.caseID) == ["C-2"])
            #expect(
                try await claims.nextClaimable(at: at50, on: connection, logger: quietLogger)
                    == at50.addingTimeInterval(30), "C-2's claim lapses before C-1 is due")
            #expect(try await store.strings("SELECT claimed_by FROM timers WHERE case_id = 'C-3'") == [nil])
        }
    }
}
