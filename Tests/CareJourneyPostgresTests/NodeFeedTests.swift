import CareJourneyCore
import CareJourneyStore
import CareJourneyTestSupport
import Foundation
import PostgresNIO
import Synchronization
import Testing

@testable import CareJourneyPostgres

/// The feed: each node's batches read by every other node once each, in that node's order, woken by doorbells,
/// found by polling when a doorbell is lost, carried on across a reconnection, and from "now" for a late reader.
@Suite struct NodeFeedTests {
    /// Batch `n` of writer `w`'s figures: distinct per batch, so the read-back is checked value for value.
    private static func figures(_ w: Int, _ n: Int) -> StoreFigures {
        var figures = StoreFigures()
        figures.pendingTimers = w * 1000 + n
        figures.cases[.assessment] = n
        figures.tasks["brokerage"] = [.open: w, .completed: -1]
        return figures
    }

    @Test func threeWritersAppendingAtOnceAreReadOnceEachInEachWritersOrder() async throws {
        let store = try await PostgresServer.shared().newStore()
        let (writers, batches) = (3, 60)
        try await store.onConnection { connection throws in
            for name in ["reader"] + (1...writers).map({ "writer-\($0)" }) {
                try await NodePresence.register(node(name), at: clusterNow, on: connection, logger: quietLogger)
            }
        }
        let read = try await withDeadline(.seconds(120)) {
            try await withThrowingTaskGroup(of: [FeedBatch].self) { group in
                group.addTask {
                    // The reader follows (a few batches a read, to page), while the writers write.
                    var reader = FeedReader(node: node("reader"), limit: 7)
                    var read: [FeedBatch] = []
                    try await store.onConnection { connection throws in
                        try await reader.follow(on: connection, pollEvery: .milliseconds(50), logger: quietLogger) {
                            arrived in
                            read += arrived
                            if read.count >= writers * batches { withUnsafeCurrentTask { $0?.cancel() } }
                        }
                    }
                    #expect(reader.missed == 0)
                    return read
                }
                for w in 1...writers {
                    group.addTask {
                        try await store.onConnection { connection throws in
                            try await store.onConnection { doorbell throws in
                                for n in 1...batches {
                                    let number = try await NodeFeed.commitBatch(
                                        node("writer-\(w)"), seqs: [Int64(w * 1000 + n), Int64(w * 1000 + n) + 500],
                                        removed: [CaseID("C-\(w)-\(n)")], figures: Self.figures(w, n),
                                        on: connection, ringingOn: doorbell)
                                    #expect(number == Int64(n), "numbered without gaps")
                                }
                            }
                        }
                        return []
                    }
                }
                var read: [FeedBatch] = []
                for try await batches in group { read += batches }
                return read
            }
        }
        #expect(read.count == writers * batches, "every batch once")
        for w in 1...writers {
            let mine = read.filter { $0.node == node("writer-\(w)") }
            #expect(mine.map(\.n) == (1...batches).map(Int64.init), "writer \(w)'s batches once each, in order")
            #expect(mine.map(\.seqs) == (1...batches).map { [Int64(w * 1000 + $0), Int64(w * 1000 + $0) + 500] })
            #expect(mine.map(\.removed) == (1...batches).map { [CaseID("C-\(w)-\($0)")] })
            #expect(mine.map(\.figures) == (1...batches).map { Self.figures(w, $0) })
            #expect(mine.allSatisfy { $0.at == clusterNow })
        }
    }

    @Test func aDoorbellWakesAWaitingReader() async throws {
        let store = try await PostgresServer.shared().newStore()
        // Its steps wait for the reader: a reader that is never woken fails the test, never hangs it.
        try await withDeadline(.seconds(90)) {
            let (deliveries, delivered) = AsyncStream<[FeedBatch]>.makeStream()
            try await store.onConnection { connection throws in
                try await store.onConnection { doorbell throws in
                    for name in ["reader", "writer"] {
                        try await NodePresence.register(node(name), at: clusterNow, on: connection, logger: quietLogger)
                    }
                    try await NodeFeed.commitBatch(node("writer"), seqs: [1], on: connection, ringingOn: nil)
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        group.addTask {
                            // It polls once an hour: only the doorbell can wake it within the test.
                            var reader = FeedReader(node: node("reader"))
                            try await store.onConnection { listening throws in
                                try await reader.follow(on: listening, pollEvery: .seconds(3600), logger: quietLogger) {
                                    delivered.yield($0)
                                }
                            }
                        }
                        var iterator = deliveries.makeAsyncIterator()
                        // The first read, as it starts (listening already), finds the batch committed before it.
                        #expect(await iterator.next()?.map(\.n) == [1])
                        try await NodeFeed.commitBatch(node("writer"), seqs: [2], on: connection, ringingOn: doorbell)
                        let woken = await iterator.next()
                        #expect(woken?.map(\.n) == [2])
                        #expect(woken?.first?.seqs == [2])
                        group.cancelAll()
                    }
                }
            }
        }
    }

    @Test func aReaderWhoseConnectionIsCutStopsAtOnceNotAtItsNextPoll() async throws {
        let server = try await PostgresServer.shared()
        let store = try await server.newStore()
        // It polls once an hour: only the end of its doorbells' stream can stop it within the deadline.
        let error = try await withDeadline(.seconds(60)) {
            try await store.onConnection { connection throws in
                try await NodePresence.register(node("reader"), at: clusterNow, on: connection, logger: quietLogger)
                return try await store.onConnection { listening throws -> StoreError? in
                    var pid = ""
                    for try await value in try await listening.query(
                        "SELECT pg_backend_pid()::text", logger: quietLogger
                    ).decode(String.self) { pid = value }
                    return try await withThrowingTaskGroup(of: StoreError?.self) { group in
                        group.addTask {
                            var reader = FeedReader(node: node("reader"))
                            do {
                                try await reader.follow(on: listening, pollEvery: .seconds(3600), logger: quietLogger) { _ in }
                                return nil
                            } catch {
                                return error as? StoreError
                            }
                        }
                        // The server ends the reader's session (a restart, a failover, an administrator).
                        try await Task.sleep(for: .milliseconds(500))
                        try await store.run("SELECT pg_terminate_backend(\(pid))")
                        let ended = try await group.next() ?? nil
                        group.cancelAll()
                        return ended
                    }
                }
            }
        }
        let failure = try #require(error, "the follow ended with an error, for its caller to connect again")
        #expect(failure.code == .unavailable, "\(failure)")
    }

    /// A `LISTEN` the server never answers (its backend stopped here with SIGSTOP, as a statement postgres-nio never
    /// answers looks from the node): the follow gives up within its timeouts, for its caller to connect again, and a
    /// follow cancelled while it waits returns at once — a node never stays deaf to the others, nor hangs at a stop.
    @Test func aReaderWhoseListenIsNeverAnsweredGivesUpInTimeAndACancelledOneReturnsAtOnce() async throws {
        // A server of its own: a stopped backend holds up statements that wait for every backend (`DROP DATABASE`).
        try await PostgresServer.with { server in
            let store = try await server.newStore()
            let quick = ClusterTimeouts(lock: .milliseconds(100), statement: .milliseconds(100))
            for cancelled in [false, true] {
                // Continued whichever way the step ends: its deadline abandons it without running its `defer`s.
                let stopped = StoppedBackend()
                defer { stopped.resume() }
                let (error, waited) = try await withDeadline(.seconds(60)) {
                    try await store.onConnection { listening throws -> (StoreError?, Duration) in
                        var pid: Int32 = 0
                        for try await value in try await listening.query(
                            "SELECT pg_backend_pid()", logger: quietLogger
                        ).decode(Int32.self) { pid = value }
                        stopped.stop(pid)
                        defer { stopped.resume() }
                        // The cancelled pass waits a minute before giving up of itself: a return within seconds is
                        // the cancellation's, however slowly the machine runs.
                        let timeouts = cancelled ? ClusterTimeouts(lock: .milliseconds(100), statement: .seconds(60)) : quick
                        let following = Task { () -> StoreError? in
                            var reader = FeedReader(node: node("reader"), timeouts: timeouts)
                            do throws(StoreError) {
                                try await reader.follow(on: listening, pollEvery: .milliseconds(50), logger: quietLogger) { _ in }
                                return nil
                            } catch {
                                return error
                            }
                        }
                        try await Task.sleep(for: .milliseconds(300))
                        let started = ContinuousClock.now
                        if cancelled { following.cancel() }
                        let error = await following.value
                        return (error, ContinuousClock.now - started)
                    }
                }
                if cancelled {
                    #expect(waited < .seconds(15), "a cancelled follow returns at once, not when it gives up (about 65 s)")
                } else {
                    let failure = try #require(error, "the follow gave up with an error, for its caller to connect again")
                    #expect(failure.code == .unavailable, "\(failure)")
                    #expect(failure.message.contains("listening for the other nodes' doorbells"), "\(failure)")
                    #expect(waited < .seconds(15), "within its timeouts (0.2 s) and the client's grace (5 s)")
                }
            }
        }
    }

    @Test func aLostDoorbellIsMadeUpForByPollingAndAReaderGoesOnAfterReconnecting() async throws {
        let store = try await PostgresServer.shared().newStore()
        // Its steps wait for the reader: a reader that is never woken fails the test, never hangs it.
        try await withDeadline(.seconds(90)) {
            let (deliveries, delivered) = AsyncStream<[FeedBatch]>.makeStream()
            let firstConnection = try await store.connect(logger: quietLogger)
            try await store.onConnection { connection throws in
                for name in ["reader", "writer"] {
                    try await NodePresence.register(node(name), at: clusterNow, on: connection, logger: quietLogger)
                }
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        var reader = FeedReader(node: node("reader"))
                        // Followed until its connection is lost…
                        do throws(StoreError) {
                            try await reader.follow(on: firstConnection, pollEvery: .milliseconds(100), logger: quietLogger) {
                                delivered.yield($0)
                            }
                            Issue.record("the follow ended, though its connection was not closed yet")
                        } catch {
                            #expect(error.code == .unavailable, "\(error)")
                        }
                        delivered.yield([])
                        // …then again on a new one, from where it was.
                        try await store.onConnection { again throws in
                            try await reader.follow(on: again, pollEvery: .milliseconds(100), logger: quietLogger) {
                                delivered.yield($0)
                            }
                        }
                    }
                    var iterator = deliveries.makeAsyncIterator()
                    // No doorbell rings: the reader finds the batch by polling.
                    try await NodeFeed.commitBatch(node("writer"), seqs: [1], on: connection, ringingOn: nil)
                    #expect(await iterator.next()?.map(\.n) == [1])
                    try await firstConnection.close()
                    #expect(await iterator.next() == [], "the follow failed with its connection")
                    // Committed while the reader is down: any doorbell then is lost.
                    try await NodeFeed.commitBatch(node("writer"), seqs: [2], on: connection, ringingOn: connection)
                    try await NodeFeed.commitBatch(node("writer"), seqs: [3], on: connection, ringingOn: connection)
                    var after: [Int64] = []
                    while after.count < 2, let batches = await iterator.next() { after += batches.map(\.n) }
                    #expect(after == [2, 3], "each once, in order, none read again")
                    try await NodeFeed.commitBatch(node("writer"), seqs: [4], on: connection, ringingOn: nil)
                    #expect(await iterator.next()?.map(\.n) == [4])
                    group.cancelAll()
                }
            }
        }
    }

    @Test func aReaderStartedLateBeginsAtTheEndAndNeverReadsItsOwnBatches() async throws {
        let store = try await PostgresServer.shared().newStore()
        try await store.onConnection { connection throws in
            for name in ["reader", "writer"] {
                try await NodePresence.register(node(name), at: clusterNow, on: connection, logger: quietLogger)
            }
            for seq in 1...5 {
                try await NodeFeed.commitBatch(node("writer"), seqs: [Int64(seq)], on: connection, ringingOn: nil)
            }
            try await NodeFeed.commitBatch(node("reader"), seqs: [100], on: connection, ringingOn: nil)
            var reader = FeedReader(node: node("reader"))
            try await reader.startAtEnd(on: connection, logger: quietLogger)
            #expect(reader.positions == [node("writer"): 5])
            #expect(try await reader.poll(on: connection, logger: quietLogger).isEmpty)
            try await NodeFeed.commitBatch(node("writer"), seqs: [6], on: connection, ringingOn: nil)
            try await NodeFeed.commitBatch(node("reader"), seqs: [101], on: connection, ringingOn: nil)
            #expect(try await reader.poll(on: connection, logger: quietLogger).map(\.seqs) == [[6]])
            // A node that joins after the reader started is read from its first batch.
            try await NodePresence.register(node("joiner"), at: clusterNow, on: connection, logger: quietLogger)
            try await NodeFeed.commitBatch(node("joiner"), seqs: [7], on: connection, ringingOn: nil)
            try await NodeFeed.commitBatch(node("joiner"), seqs: [8], on: connection, ringingOn: nil)
            let joined = try await reader.poll(on: connection, logger: quietLogger)
            #expect(joined.map(\.node) == [node("joiner"), node("joiner")])
            #expect(joined.map(\.n) == [1, 2])
            #expect(try await reader.poll(on: connection, logger: quietLogger).isEmpty)
            #expect(reader.missed == 0)
        }
    }

    @Test func aBatchRolledBackLeavesNoRowAndNoGap() async throws {
        let store = try await PostgresServer.shared().newStore()
        try await store.onConnection { connection throws in
            try await NodePresence.register(node("writer"), at: clusterNow, on: connection, logger: quietLogger)
            try await NodeFeed.commitBatch(node("writer"), seqs: [1], on: connection, ringingOn: nil)
            _ = try? await connection.withTransaction(logger: quietLogger) { connection in
                #expect(
                    try await NodeFeed.append(
                        node: node("writer"), seqs: [2], removed: [], figures: StoreFigures(), at: clusterNow,
                        on: connection, logger: quietLogger) == 2)
                throw CancellationError()
            }
            #expect(try await NodeFeed.commitBatch(node("writer"), seqs: [3], on: connection, ringingOn: nil) == 2)
            var reader = FeedReader(node: node("reader"))
            #expect(try await reader.poll(on: connection, logger: quietLogger).map(\.seqs) == [[1], [3]])
            #expect(reader.missed == 0)
            // A batch missing from the middle (deleted while the reader was behind) is counted as missed.
            try await NodeFeed.commitBatch(node("writer"), seqs: [4], on: connection, ringingOn: nil)
            try await NodeFeed.commitBatch(node("writer"), seqs: [5], on: connection, ringingOn: nil)
            try await connection.query("DELETE FROM node_batches WHERE n = 3", logger: quietLogger).drain()
            #expect(try await reader.poll(on: connection, logger: quietLogger).map(\.n) == [4])
            #expect(reader.missed == 1)
        }
    }
}

/// A PostgreSQL backend a test stops with SIGSTOP, continued once (`resume`) whichever way the test ends; once
/// resumed, it is stopped no more (a step its deadline abandoned may still come to `stop`).
private final class StoppedBackend: Sendable {
    private enum State {
        case running
        case stopped(pid_t)
        case over
    }

    private let state = Mutex(State.running)

    func stop(_ pid: pid_t) {
        state.withLock { state in
            guard case .running = state else { return }
            kill(pid, SIGSTOP)
            state = .stopped(pid)
        }
    }

    func resume() {
        state.withLock { state in
            if case .stopped(let pid) = state { kill(pid, SIGCONT) }
            state = .over
        }
    }
}

/// A test's step that took longer than it may.
struct DeadlinePassed: Error, CustomStringConvertible {
    let limit: Duration
    var description: String { "the step did not end within \(limit)" }
}

/// `body`'s result, or `DeadlinePassed` when it takes longer than `limit`: a test that waits for something fails
/// rather than hangs. `body` is cancelled then, but not waited for (a statement on a lost connection may never end).
func withDeadline<T: Sendable>(_ limit: Duration, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    let race = DeadlineRace<T>()
    return try await withCheckedThrowingContinuation { continuation in
        race.waiting.withLock { $0 = continuation }
        let work = Task {
            do {
                race.finish(with: .success(try await body()))
            } catch {
                race.finish(with: .failure(error))
            }
        }
        race.timer.withLock {
            $0 = Task {
                try? await Task.sleep(for: limit)
                if race.finish(with: .failure(DeadlinePassed(limit: limit))) { work.cancel() }
            }
        }
    }
}

/// Whichever of a step and its deadline ends first resumes the waiting test, once.
private final class DeadlineRace<T: Sendable>: Sendable {
    let waiting = Mutex<CheckedContinuation<T, any Error>?>(nil)
    let timer = Mutex<Task<Void, Never>?>(nil)

    /// Resumes the test with `result` unless it was resumed already; says whether it was this call.
    @discardableResult
    func finish(with result: Result<T, any Error>) -> Bool {
        guard let continuation = waiting.withLock({ $0.take() }) else { return false }
        timer.withLock { $0?.cancel() }
        continuation.resume(with: result)
        return true
    }
}

extension NodeFeed {
    /// Commits one batch's feed row for `node` in a transaction of its own on `connection`, then rings the doorbell
    /// on `doorbell` when one is given (a writer's order: commit, then ring).
    @discardableResult
    static func commitBatch(
        _ node: NodeName, seqs: [Int64], removed: [CaseID] = [], figures: StoreFigures = StoreFigures(),
        on connection: PostgresConnection, ringingOn doorbell: PostgresConnection?
    ) async throws -> Int64 {
        let n = try await connection.withTransaction(logger: quietLogger) { connection in
            try await append(
                node: node, seqs: seqs, removed: removed, figures: figures, at: clusterNow, on: connection,
                logger: quietLogger)
        }
        if let doorbell { try await ring(node: node, batch: n, on: doorbell, logger: quietLogger) }
        return n
    }
}
