import CareJourneyCore
import CareJourneyStore
import CareJourneyTestSupport
import Foundation
import Synchronization
import Testing

@testable import CareJourneyPostgres

/// The store as the command line's tools open it: to read (reports, `audit`, `store verify`) with no writer and no
/// node, and offline (`policy apply`, `store dispose`) while no node serves it. A store with a real population is
/// written on SQLite, copied to PostgreSQL, and each tool's answers compared.
@Suite struct PostgresToolsTests {
    static let now = PostgresStoreMaintenanceTests.now

    @Test func aStoreOpenedToReadAnswersAsSQLiteAndTheServerRefusesItsWrites() async throws {
        let (folder, _) = try await PostgresStoreMaintenanceTests().populatedStore()
        let server = try await PostgresServer.shared()
        let database = try await server.newDatabase()
        _ = try await StoreCopy.copy(from: .directory(folder), to: .postgres(database), logger: quietLogger)
        let before = try await database.contents()
        let postgres = try await PostgresStore.reading(database, logger: quietLogger)
        #expect(postgres.postgresWriter == nil)
        let pool = Task { try await postgres.run() }
        defer { pool.cancel() }
        let sqlite = try CaseStore(directory: folder, access: .readOnly)
        let yearAgo = Self.now.addingTimeInterval(-365 * 86_400)
        let histories = try await sqlite.reduceHistories(activeFrom: yearAgo, into: Replayed(), Replayed.add)
        #expect(histories.cases.count > 10)
        #expect(
            try await postgres.reduceHistories(activeFrom: yearAgo, into: Replayed(), Replayed.add) == histories)
        let query = AccessQuery(cases: nil, actor: "sw.jones", from: nil, to: nil, limit: 100)
        #expect(try await postgres.accessLog(matching: query) == sqlite.accessLog(matching: query))
        #expect(try await postgres.currentPolicy() == sqlite.currentPolicy())
        #expect(try await postgres.verify(.all, limit: 100, progress: nil).isClean)

        // Every session of its pool is read-only: the server itself refuses a write, and the writer takes none.
        let refused = await #expect(throws: StoreError.self) { try await postgres.setMeta("clock.scaled", "1") }
        #expect(
            refused?.message.contains("read-only transaction (SQLSTATE 25006)") == true,
            "\(String(describing: refused))")
        let batch = WriterBatch(
            commands: [], policy: try shippedPolicy("derbyshire"), policyFingerprint: "", recordedAt: Self.now)
        let noBatch = #expect(throws: StoreError.self) { try postgres.writer.commit(batch) }
        #expect(noBatch?.code == .refused && noBatch?.message.contains("opened to read") == true)
        let noApply = #expect(throws: StoreError.self) {
            try postgres.apply(try shippedPolicy("derbyshire"), at: Self.now, reason: "", dryRun: false)
        }
        #expect(noApply?.code == .refused, "\(String(describing: noApply))")
        // It took no node's presence and wrote nothing: not a row in `nodes`, not a row anywhere.
        #expect(try await database.contents() == before)
        #expect(try await database.strings("SELECT count(*)::text FROM nodes") == ["0"])
        pool.cancel()
        _ = await pool.result

        let empty = try await server.newDatabase()
        let none = await #expect(throws: StoreError.self) {
            _ = try await PostgresStore.reading(empty, logger: quietLogger)
        }
        #expect(none?.code == .unavailable, "\(String(describing: none))")
    }

    /// `policy apply` on PostgreSQL: a dry run on the store opened to read, then the change offline (the serving
    /// nodes' lock held alone), give SQLite's counts, and leave every table as SQLite's apply leaves it.
    @Test func policyApplyOfflineRetimesTheOpenCasesAsOnSQLite() async throws {
        let (folder, policy) = try await PostgresStoreMaintenanceTests().populatedStore()
        var changed = policy
        changed.id = "derbyshire-2027"
        changed.reviews.firstFormalDue = .weeks(7)
        let sooner = changed
        let at = Self.now.addingTimeInterval(3600)
        let database = try await PostgresServer.shared().newDatabase()
        _ = try await StoreCopy.copy(from: .directory(folder), to: .postgres(database), logger: quietLogger)
        let sqlite = try CaseStore(directory: folder)
        let dryRun = try sqlite.apply(sooner, at: at, reason: "new review standard", dryRun: true)
        #expect(dryRun.changed > 0 && dryRun.timersMoved > 0, "\(dryRun)")

        let reader = try await PostgresStore.reading(database, logger: quietLogger)
        let pgDryRun = try await Self.running(reader) {
            try await Self.onThread {
                try reader.apply(sooner, at: at, reason: "new review standard", dryRun: true, chunk: 7) { _, _ in }
            }
        }
        #expect(pgDryRun == dryRun)

        let applied = try sqlite.apply(sooner, at: at, reason: "new review standard", dryRun: false)
        #expect(applied == dryRun)
        let progress = Mutex<[Int]>([])
        let pgApplied = try await NodePresence.excluding(
            "`carejourney policy apply`", address: database, logger: quietLogger
        ) { _ throws(StoreError) in
            let offline = try await PostgresStore.offline(database, logger: quietLogger)
            #expect(
                offline.postgresWriter != nil && offline.postgresWriter?.node == nil,
                "an offline tool writes, and its batches append no feed row")
            do {
                return try await Self.running(offline) {
                    try await Self.onThread {
                        try offline.apply(sooner, at: at, reason: "new review standard", dryRun: false, chunk: 7) {
                            done, _ in progress.withLock { $0.append(done) }
                        }
                    }
                }
            } catch {
                throw error as? StoreError ?? StoreError(.io, "apply failed", cause: error)
            }
        }
        #expect(pgApplied == applied)
        #expect(progress.withLock { $0 }.last == applied.examined && progress.withLock { $0 }.count > 1)
        // The same events, timers, policies and settings in every table.
        #expect(try await database.contents() == contents(ofStoreIn: folder))
        #expect(try await database.strings("SELECT count(*)::text FROM node_batches") == ["0"])
        let again = try await PostgresStore.reading(database, logger: quietLogger)
        try await Self.running(again) {
            #expect(try await again.currentPolicy()?.id == "derbyshire-2027")
            #expect(try await again.verify(.all, limit: 100, progress: nil).isClean)
            let twice = try await Self.onThread {
                try again.apply(sooner, at: at, reason: "again", dryRun: true, chunk: 1000, progress: nil)
            }
            #expect(twice.changed == 0 && twice.examined == applied.examined)
        }
    }

    /// Runs `body` with `store`'s pool running, then stops it.
    static func running<T: Sendable>(
        _ store: PostgresStore, _ body: () async throws -> T
    ) async throws -> T {
        let pool = Task { try await store.run() }
        defer { pool.cancel() }
        let result = try await body()
        pool.cancel()
        _ = await pool.result
        return result
    }

    /// Runs `body`, which blocks, on a thread of its own (as `policy apply` runs it), not on one of the test's.
    static func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result(catching: body)) }.start()
        }
    }
}
