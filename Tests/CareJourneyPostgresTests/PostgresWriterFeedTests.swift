import CareJourneyClock
import CareJourneyCore
import CareJourneyStore
import CareJourneyTestSupport
import Foundation
import GRDB
import PostgresNIO
import Testing

@testable import CareJourneyPostgres

/// What `PostgresWriter` writes for the other nodes: its feed's rows, read once each by another node's reader and
/// announced by its doorbell; the leases of the tasks it resolves, gone with them; and the store's figures, counted
/// from PostgreSQL as SQLite counts them.
@Suite struct PostgresWriterFeedTests {
    typealias Tests = PostgresWriterTests
    typealias Keys = PostgresWriterKeysTests

    /// A contact and the path to delivery of the case it opens, `id`.
    static func toDelivery(_ name: String, _ id: CaseID) throws -> [Command] {
        try [Tests.contact(name)]
            + EventCatalog.pathToDelivery.map { step in try Keys.command(id, step.name.rawValue, step.data) }
    }

    @Test func eachBatchAppendsOneFeedRowThatAnotherNodeReadsOnceAndRingsItsDoorbell() async throws {
        let address = try await PostgresServer.shared().newStore()
        try await address.onConnection { connection in
            for name in ["n1", "n2"] {
                try await NodePresence.register(node(name), at: clusterNow, on: connection, logger: quietLogger)
            }
        }
        let writer = try await PostgresWriter.open(address, node: node("n1"), logger: quietLogger)
        let first = try await Tests.commit(
            try Tests.batch([try Tests.contact("Grace Hopper"), try Tests.contact("Mary Somerville")]), to: writer)
        // A batch that changes nothing has nothing for the other nodes.
        _ = try await Tests.commit(
            try Tests.batch([try Keys.command("C-404", "close-case", ["reason": "needs-met"])]), to: writer)
        let step = EventCatalog.pathToDelivery[0]
        let second = try await Tests.commit(
            try Tests.batch([try Keys.command("C-1", step.name.rawValue, step.data)]), to: writer)
        #expect(
            try await address.strings("SELECT node || ' ' || n FROM node_batches ORDER BY n") == ["n1 1", "n1 2"])

        var reader = FeedReader(node: node("n2"))
        let batches = try await address.onConnection { try await reader.poll(on: $0, logger: quietLogger) }
        #expect(batches.map(\.n) == [1, 2])
        #expect(batches.map(\.seqs) == [[1, 2], [3]])
        #expect(batches.map(\.figures) == [first.changes, second.changes])
        #expect(batches.allSatisfy { $0.removed.isEmpty && $0.at == Tests.start })
        #expect(try await address.onConnection { try await reader.poll(on: $0, logger: quietLogger) }.isEmpty)

        // The doorbell: a reader that polls once an hour is woken by the next batch.
        _ = try await Tests.commit(try Tests.batch([try Tests.contact("Ada Lovelace")]), to: writer)
        let following = reader
        try await withDeadline(.seconds(90)) {
            let (deliveries, delivered) = AsyncStream<[FeedBatch]>.makeStream()
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    var follower = following
                    try await address.onConnection { listening in
                        try await follower.follow(on: listening, pollEvery: .seconds(3600), logger: quietLogger) {
                            delivered.yield($0)
                        }
                    }
                }
                var iterator = deliveries.makeAsyncIterator()
                // The first read, as it starts (listening already), finds the batch committed before it.
                #expect(await iterator.next()?.map(\.n) == [3])
                _ = try await Tests.commit(try Tests.batch([try Tests.contact("Emmy Noether")]), to: writer)
                let woken = await iterator.next()
                #expect(woken?.map(\.n) == [4])
                #expect(woken?.first?.seqs == [5])
                group.cancelAll()
            }
        }
        await writer.close()
    }

    @Test func tasksABatchResolvesLoseTheirLeasesAndTasksItEnqueuesAreLeasedToItsNode() async throws {
        let address = try await PostgresServer.shared().newStore()
        let writer = try await PostgresWriter.open(
            address, node: node("n1"), leaseClock: ManualClock(clusterNow), logger: quietLogger)
        _ = try await Tests.commit(
            try Tests.batch(try Self.toDelivery("Grace Hopper", "C-1") + Self.toDelivery("Mary Somerville", "C-2")),
            to: writer)
        let open = "SELECT id FROM tasks WHERE status = 'open' ORDER BY id"
        let leases = "SELECT task_id || ' ' || node || ' ' || expires::bigint FROM task_leases ORDER BY task_id"
        let opened = try await address.strings(open).compactMap { $0 }
        #expect(opened.count >= 2, "both cases have open tasks")
        let until = Int64(clusterNow.timeIntervalSince1970) + 30
        let leased = try await address.strings(leases)
        #expect(leased == opened.map { "\($0) n1 \(until)" }, "each to its node, 30 s: \(leased)")
        // Another node took them over (this one was thought dead): resolving them still ends their leases.
        try await address.run("UPDATE task_leases SET node = 'n2', expires = 1e12")
        let closed = try await Tests.commit(
            try Tests.batch([try Keys.command("C-1", "close-case", ["reason": "needs-met"])]), to: writer)
        await writer.close()
        #expect(Keys.Twins.answers(closed).first?.hasPrefix("applied C-1") == true, "\(Keys.Twins.answers(closed))")
        #expect(
            try await address.strings("SELECT count(*)::text FROM tasks WHERE case_id = 'C-1' AND status <> 'open'")
                != ["0"], "closing C-1 resolved its tasks")
        let stillOpen = try await address.strings(open).compactMap { $0 }
        let enqueued = stillOpen.filter { !opened.contains($0) }
        #expect(!enqueued.isEmpty, "closing C-1 enqueued a task")
        let expected = stillOpen.map { enqueued.contains($0) ? "\($0) n1 \(until)" : "\($0) n2 1000000000000" }
        let after = try await address.strings(leases)
        #expect(after == expected, "only open tasks keep leases; new ones are n1's: \(after)")
    }

    /// The scenario's figures, with a case that has no next step: opened, then its tasks deleted by hand (`tasks`).
    static let stranded = try! Tests.batch([try Tests.contact("Emmy Noether")])
    static let deleteStrandedTasks = "DELETE FROM tasks WHERE case_id = 'C-4'"

    @Test func theFiguresAreCountedAsSQLiteCountsThemFromOneRead() async throws {
        let folder = temporaryDirectory()
        _ = try await Tests.withEngine(folder: folder, writer: nil) { try await Tests.scenario($0) }
        _ = try await Tests.commit(Self.stranded, to: try CaseStore(directory: folder))
        try await DatabaseQueue(path: folder + "/carejourney.sqlite").write {
            try $0.execute(sql: Self.deleteStrandedTasks)
        }
        let sqlite = try await CaseStore(directory: folder).figuresSnapshot().figures()
        #expect(!sqlite.tasks.isEmpty && sqlite.cases.count >= 2 && sqlite.pendingTimers > 0, "\(sqlite)")
        #expect(sqlite.withoutNextStep.values.reduce(0, +) == 1, "\(sqlite)")
        let address = try await PostgresServer.shared().newStore()
        let writer = try await PostgresWriter.open(address, logger: quietLogger)
        _ = try await Tests.withEngine(folder: temporaryDirectory(), writer: writer) {
            try await Tests.scenario($0)
        }
        _ = try await Tests.commit(Self.stranded, to: writer)
        try await address.run(Self.deleteStrandedTasks)
        let postgres = try await PostgresWriterClusterTests.onThread { try writer.figuresSnapshot() }.figures()
        #expect(postgres == sqlite, "PostgreSQL \(postgres)\nSQLite \(sqlite)")

        // What a snapshot counts is the store as it was when it was taken.
        let snapshot = try await PostgresWriterClusterTests.onThread { try writer.figuresSnapshot() }
        let later = try await Tests.commit(try Tests.batch([try Tests.contact("Emmy Noether")]), to: writer)
        #expect(try await snapshot.figures() == postgres)
        let now = try await PostgresWriterClusterTests.onThread { try writer.figuresSnapshot() }.figures()
        #expect(now == postgres + later.changes)
        #expect(now != postgres)
        await writer.close()
    }
}
