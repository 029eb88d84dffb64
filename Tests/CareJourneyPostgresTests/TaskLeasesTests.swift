import CareJourneyCore
import CareJourneyStore
import CareJourneyTestSupport
import Foundation
import PostgresNIO
import Testing

@testable import CareJourneyPostgres

/// Task leases across nodes: each open task leased to one node; a dead node's leases taken over once they lapse;
/// renewal keeps them; resolution forgets them.
@Suite struct TaskLeasesTests {
    private static let tasks = (1...300).map { TaskID(caseID: CaseID("C-\($0 % 37)"), number: $0) }

    @Test func concurrentClaimsOfTheSameTasksGiveEachToExactlyOneNode() async throws {
        let store = try await PostgresServer.shared().newStore()
        // Four nodes claim the same 300 tasks at once, each in its own order, in overlapping slices.
        let granted = try await withThrowingTaskGroup(of: (NodeName, [TaskID]).self) { group in
            for index in 1...4 {
                group.addTask {
                    let leases = TaskLeases(node: node("node-\(index)"))
                    var generator = SystemRandomNumberGenerator()
                    let order = Self.tasks.shuffled(using: &generator)
                    return try await store.onConnection { connection throws in
                        var mine: [TaskID] = []
                        for start in stride(from: 0, to: order.count, by: 20) {
                            let slice = Array(order[start..<min(order.count, start + 40)])
                            mine += try await leases.claim(slice, at: clusterNow, on: connection, logger: quietLogger)
                        }
                        return (leases.node, mine)
                    }
                }
            }
            var all: [(NodeName, [TaskID])] = []
            for try await claimed in group { all.append(claimed) }
            return all
        }
        // A node re-claiming what it holds gets it again (the overlapping slices): count each node's once.
        let perNode = granted.map { ($0.0, Set($0.1)) }
        let all = perNode.flatMap(\.1)
        #expect(all.count == Self.tasks.count, "no task leased to two nodes")
        #expect(Set(all) == Set(Self.tasks), "every task leased")
        for (node, mine) in perNode where !mine.isEmpty {
            let held = try await store.strings("SELECT task_id FROM task_leases WHERE node = '\(node)' ORDER BY task_id")
            #expect(held == mine.map(\.description).sorted(), "\(node)")
        }
    }

    @Test func aLapsedLeaseIsTakenOverAndARenewedOneIsKept() async throws {
        let store = try await PostgresServer.shared().newStore()
        let first = TaskLeases(node: node("first"), lease: .seconds(30))
        let second = TaskLeases(node: node("second"), lease: .seconds(30))
        let (kept, lost) = (Array(Self.tasks[0..<5]), Array(Self.tasks[5..<10]))
        try await store.onConnection { connection throws in
            #expect(
                try await first.claim(kept + lost, at: clusterNow, on: connection, logger: quietLogger)
                    == (kept + lost).sorted())
            // The second node finds them held.
            let at20 = clusterNow.addingTimeInterval(20)
            #expect(try await second.claim(kept + lost, at: at20, on: connection, logger: quietLogger).isEmpty)
            // The first renews at 20 s, to 50 s.
            #expect(try await first.renew(at: at20, on: connection, logger: quietLogger) == Set(kept + lost))
            // At 40 s nothing has lapsed (renewed to 50 s).
            let at40 = clusterNow.addingTimeInterval(40)
            #expect(try await second.claim(kept + lost, at: at40, on: connection, logger: quietLogger).isEmpty)
            // The first node dies at 40 s: at 51 s every lease lapsed, and the second node takes them over.
            let at51 = clusterNow.addingTimeInterval(51)
            #expect(try await second.claim(lost, at: at51, on: connection, logger: quietLogger) == lost.sorted())
            // The first node comes back: its renewal shows what it lost, and it keeps what no one took.
            #expect(try await first.renew(at: at51, on: connection, logger: quietLogger) == Set(kept))
            #expect(try await second.claim(kept, at: at51, on: connection, logger: quietLogger).isEmpty)
            #expect(
                try await store.strings("SELECT node || ' ' || expires::text FROM task_leases ORDER BY node, task_id")
                    == kept.map { _ in "first \(Int(clusterNow.timeIntervalSince1970) + 81)" }
                    + lost.map { _ in "second \(Int(clusterNow.timeIntervalSince1970) + 81)" })
        }
    }

    @Test func aReleasedLeaseIsClaimableAtOnceAndAResolvedTaskForgetsItsLease() async throws {
        let store = try await PostgresServer.shared().newStore()
        let one = TaskLeases(node: node("one"))
        let two = TaskLeases(node: node("two"))
        let tasks = Array(Self.tasks[0..<4])
        try await store.onConnection { connection throws in
            #expect(try await one.claim(tasks, at: clusterNow, on: connection, logger: quietLogger).count == 4)
            #expect(try await two.release(tasks, on: connection, logger: quietLogger) == 0, "not its leases")
            #expect(try await one.release([tasks[0]], on: connection, logger: quietLogger) == 1)
            #expect(try await two.claim(tasks, at: clusterNow, on: connection, logger: quietLogger) == [tasks[0]])
            // The batch that resolves tasks forgets their leases, whichever node holds them, in its transaction:
            // rolled back, the leases stay.
            await #expect(throws: PostgresTransactionError.self) {
                try await connection.withTransaction(logger: quietLogger) { connection in
                    #expect(try await TaskLeases.forgetResolved(tasks, on: connection, logger: quietLogger) == 4)
                    throw CancellationError()
                }
            }
            #expect(try await store.strings("SELECT count(*)::text FROM task_leases") == ["4"])
            try await connection.withTransaction(logger: quietLogger) { connection throws in
                #expect(try await TaskLeases.forgetResolved(tasks, on: connection, logger: quietLogger) == 4)
            }
            #expect(try await store.strings("SELECT count(*)::text FROM task_leases") == ["0"])
        }
    }

    /// The batch that resolves tasks deletes their leases while another node may be claiming them: a deadlock there
    /// must reach the writer as PostgreSQL's own error, whose SQLSTATE (40P01) has it run the batch again, not as a
    /// store error that fails the batch's commands.
    @Test func aDeadlockForgettingResolvedLeasesIsOneTheWriterRunsItsBatchAgainFor() async throws {
        let store = try await PostgresServer.shared().newStore()
        let (x, y) = (Self.tasks[0], Self.tasks[1])
        try await store.onConnection { connection throws in
            _ = try await TaskLeases(node: node("one")).claim([x, y], at: clusterNow, on: connection, logger: quietLogger)
        }
        let (holdsX, heldX) = AsyncStream.makeStream(of: Void.self)
        let (holdsY, heldY) = AsyncStream.makeStream(of: Int32.self)
        let lock: @Sendable (TaskID) -> PostgresQuery = { "UPDATE task_leases SET expires = expires WHERE task_id = \($0.description)" }
        // The writer's side holds y and deletes x and y; the other holds x and, once the writer is seen waiting for
        // x, wants y: the writer looks for a deadlock 1 s into its wait (the other only after 60 s), and finds it,
        // however slowly the machine runs.
        async let writer: String? = store.onConnection { connection throws in
            defer { heldY.finish() }  // the other side never waits for a writer that failed before holding y
            try await connection.query("SET deadlock_timeout = '1s'", logger: quietLogger).drain()
            let pid = try await connection.query("SELECT pg_backend_pid()", logger: quietLogger).decode(Int32.self)
                .first { _ in true }
            do {
                try await connection.withTransaction(logger: quietLogger) { connection in
                    try await connection.query(lock(y), logger: quietLogger).drain()
                    heldY.yield(try #require(pid))
                    for await _ in holdsX { break }
                    _ = try await TaskLeases.forgetResolved([x, y], on: connection, logger: quietLogger)
                }
                return nil
            } catch {
                return PostgresWriter.conflict(in: error)
            }
        }
        try await store.onConnection { connection throws in
            try await connection.query("SET deadlock_timeout = '60s'", logger: quietLogger).drain()
            try await connection.withTransaction(logger: quietLogger) { connection in
                var writerPID: Int32?
                for await pid in holdsY {
                    writerPID = pid
                    break
                }
                try await connection.query(lock(x), logger: quietLogger).drain()
                heldX.yield()
                #expect(try await store.waitsForALock(try #require(writerPID)), "the writer waits for x")
                try await connection.query(lock(y), logger: quietLogger).drain()
            }
        }
        #expect(try await writer == "40P01")
    }

    @Test func aResolvedTaskIsNotLeasedAndALeaseItsResolutionRacedIsDroppedAtTheNextRenewal() async throws {
        let store = try await PostgresServer.shared().newStore()
        let leases = TaskLeases(node: node("one"))
        let (open, done) = (TaskID(caseID: "C-1", number: 1), TaskID(caseID: "C-1", number: 2))
        try await store.run(
            """
            INSERT INTO tasks (id, case_id, kind, queue, status, created_at) VALUES
                ('C-1#1', 'C-1', 'find-provider', 'brokerage', 'open', 0),
                ('C-1#2', 'C-1', 'find-provider', 'brokerage', 'completed', 0)
            """)
        try await store.onConnection { connection throws in
            #expect(try await leases.claim([open, done], at: clusterNow, on: connection, logger: quietLogger) == [open])
            // The batch that resolves the open task commits after this node leased it (a claim that waited on
            // the lease row the batch deleted inserts it again): the next renewal drops it, not extends it.
            try await store.run("UPDATE tasks SET status = 'completed' WHERE id = 'C-1#1'")
            #expect(try await leases.renew(at: clusterNow, on: connection, logger: quietLogger).isEmpty)
            #expect(try await store.strings("SELECT count(*)::text FROM task_leases") == ["0"])
        }
    }

    @Test func aClaimThatWaitsOnALockLongerThanItsTimeoutFailsInsteadOfHanging() async throws {
        let store = try await PostgresServer.shared().newStore()
        let leases = TaskLeases(node: node("one"), timeouts: ClusterTimeouts(lock: .milliseconds(200)))
        try await store.onConnection { holder throws in
            // Another session inserted the same lease and has not committed (a node stuck mid-transaction).
            try await holder.query("BEGIN", logger: quietLogger).drain()
            try await holder.query(
                "INSERT INTO task_leases (task_id, node, expires) VALUES ('C-1#1', 'stuck', 0)", logger: quietLogger
            ).drain()
            let started = ContinuousClock.now
            let error = try await #require(throws: StoreError.self) {
                try await store.onConnection { connection throws in
                    try await leases.claim(
                        [TaskID(caseID: "C-1", number: 1)], at: clusterNow, on: connection, logger: quietLogger)
                }
            }
            #expect(ContinuousClock.now - started < .seconds(20), "it gave up; it did not wait for the holder")
            #expect(error.message.contains("leasing open tasks to the node one failed"), "\(error)")
            #expect(error.message.contains("SQLSTATE 55P03"), "a lock timeout: \(error)")
            #expect(!error.message.contains("C-1#1") && !error.message.contains("stuck"), "no values: \(error)")
            try await holder.query("ROLLBACK", logger: quietLogger).drain()
        }
    }
}
