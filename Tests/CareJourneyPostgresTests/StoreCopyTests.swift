import CareJourneyCore
import CareJourneyStore
import CareJourneyTestSupport
import Foundation
import GRDB
import Synchronization
import Testing

@testable import CareJourneyPostgres
@testable import CareJourneyStore

/// `store copy` between SQLite and PostgreSQL: a store with its whole history goes to PostgreSQL and back equal row
/// for row, replaying clean; a target that holds a store is refused and left as it was; a failure leaves no half
/// of a copy anywhere.
@Suite struct StoreCopyTests {
    /// 2026-01-05T09:00:00Z.
    static let start = Date(timeIntervalSince1970: 1_767_603_600)
    static let ada: JSONValue = [
        "name": "Ada Lovelace", "clientType": "adult", "route": "gp", "nhsNumber": "943 476 5919",
    ]

    /// A store with a real history, in a new folder: cases in delivery (pending timers, open tasks), a case opened
    /// with an Idempotency-Key, a corrected name, searches and pages read (the access log and its case links), a
    /// whole life (tasks of every fate, a review done) ended in disposal (a certificate; its events were the last
    /// numbered, so the store's event numbering stands above its highest event).
    func storeWithHistory() async throws -> String {
        let folder = temporaryDirectory()
        let store = try CaseStore(directory: folder)
        let policy = try shippedPolicy()
        let schedule = try #require(policy.retention)
        try await withEngine(store, policy: policy) { engine in
            let grace = try await engine.caseInDelivery(at: Self.start, name: "Grace Hopper")
            _ = try await engine.caseInDelivery(at: Self.start.addingTimeInterval(60), name: "Mary Somerville")
            try await engine.send(
                nil, "contact", ["name": "Alan Turing", "clientType": "adult", "route": "gp"],
                at: Self.start.addingTimeInterval(120), key: "alan-first-contact")
            // Text outside ASCII, in a name and in a search's query: copied byte for byte both ways.
            let zoe = try #require(
                try await engine.send(
                    nil, "contact", ["name": "Zoë Ó Briain-Ní Dhomhnaill 李", "clientType": "adult", "route": "gp"],
                    at: Self.start.addingTimeInterval(180))
            ).state.id
            try await engine.recordRead(
                AccessRecord(actor: "sw.jones", at: Self.start, channel: .search, cases: [zoe], query: "q=Zoë 😀 Ní"))
            let correction = Command(
                caseID: grace,
                event: try Event(
                    name: "correct-record",
                    data: ["event": 1, "field": "name", "value": "Grace Brewster Hopper", "reason": "full name"]),
                actor: "m.patel", reason: "records team", at: Self.start.addingTimeInterval(7200))
            guard case .applied = try await engine.apply(correction) else {
                Issue.record("the correction was refused")
                return
            }
            try await engine.recordRead(
                AccessRecord(
                    actor: "sw.jones", at: Self.start, channel: .search, cases: [grace, "C-2"], query: "q=Hopper"))
            // A life that ends later, kept past the disposal below.
            try await engine.wholeLife(
                ["name": "Charles Babbage", "clientType": "adult", "route": "gp"], key: "charles",
                from: PolicyDuration.months(24).after(Self.start))
            let ada = try await engine.wholeLife(Self.ada, key: "ada", from: Self.start)
            try await engine.recordRead(
                AccessRecord(actor: "sw.jones", at: ada.closedAt, channel: .page, cases: [ada.id]))
            let asOf = PolicyDuration.months(12 * 9).after(Self.start)
            let plan = try await store.planDisposal(asOf: asOf, under: schedule, policy: policy.id)
            let disposal = try await engine.dispose(plan, by: "records.officer", at: asOf)
            #expect(disposal.cases.contains { $0.caseID == ada.id && $0.outcome == .disposed })
        }
        return folder
    }

    @Test func aStoreWithItsHistoryGoesToPostgreSQLAndBackEqualRowForRow() async throws {
        let original = try await storeWithHistory()
        let before = try contents(ofStoreIn: original)
        // The history is real: every table holds rows, tasks both open and done.
        for table in StoreTable.all { #expect(before[table.name]?.isEmpty == false, "\(table.name) holds rows") }
        let taskStatus = StoreTable.all.first { $0.name == "tasks" }!.columns.firstIndex { $0.name == "status" }!
        let statuses = Set(before["tasks"]!.map { $0[taskStatus] })
        #expect(statuses.contains(.text("open")) && statuses.count > 1, "open and closed tasks: \(statuses)")
        let highWater = try CaseStore(directory: original, access: .readOnly).tableReader().eventsHighWater()
        let highestEvent = before["events"]!.last.map { row -> Int64 in
            guard case .integer(let seq) = row[0] else { return 0 }
            return seq
        }
        #expect(try #require(highWater) > (highestEvent ?? 0), "the disposed case's events were the last numbered")

        let database = try await PostgresServer.shared().newDatabase()
        let there = try await StoreCopy.copy(from: .directory(original), to: .postgres(database), logger: quietLogger)
        #expect(there.replayed == nil)
        #expect(there.tables.map(\.table) == StoreTable.all.map(\.name))
        #expect(there.tables.map(\.rows) == StoreTable.all.map { before[$0.name]!.count })
        #expect(try await database.contents() == before)
        // The name search's table holds every copied case's name, by number.
        #expect(
            try await database.strings("SELECT number || ' ' || name FROM case_names ORDER BY number")
                == database.strings("SELECT number || ' ' || name FROM cases ORDER BY number"))
        #expect(try await database.strings("SELECT count(*)::text FROM case_names") == ["\(before["cases"]!.count)"])
        // New rows on PostgreSQL take numbers past the copied ones, events past every number SQLite gave.
        #expect(try await database.strings("SELECT pg_sequence_last_value('events_seq_seq')::text") == ["\(highWater!)"])
        for (table, column) in [("tasks", "ord"), ("access_log", "id"), ("access_log_cases", "ord"), ("reviews_done", "ord")] {
            #expect(
                try await database.strings(
                    "SELECT (pg_sequence_last_value(pg_get_serial_sequence('\(table)', '\(column)')) = max(\(column)))::text FROM \(table)")
                    == ["true"], "\(table)")
        }

        // New case numbers come after every copied one, the disposed cases' included.
        let numbers =
            before["cases"]!.map { $0[StoreTable.all.first { $0.name == "cases" }!.columns.firstIndex { $0.name == "number" }!] }
            + before["disposal_certificates"]!.map { $0[0] }
        let highestNumber = numbers.compactMap { value -> Int64? in
            guard case .integer(let number) = value else { return nil }
            return number
        }.max()!
        #expect(try await database.strings("SELECT nextval('case_numbers')::text") == ["\(highestNumber + 1)"])

        // A read recorded there takes the next number after the copied ones, its case links too.
        let lastID = before["access_log"]!.count
        try await database.recordRead(
            AccessRecord(
                actor: "auditor", at: Self.start, channel: .export, cases: ["C-1", "C-2"], detail: "a test"),
            logger: quietLogger)
        let recorded = try await database.contents()
        #expect(recorded["access_log"]!.count == lastID + 1)
        #expect(recorded["access_log"]!.last?.prefix(4) == [.integer(Int64(highestID(before["access_log"]!) + 1)), .real(Self.start.timeIntervalSince1970), .text("auditor"), .text("export")])
        #expect(recorded["access_log_cases"]!.suffix(2).map { Array($0.suffix(2)) } == [
            [.integer(Int64(highestID(before["access_log"]!) + 1)), .text("C-1")],
            [.integer(Int64(highestID(before["access_log"]!) + 1)), .text("C-2")],
        ])
        try await database.run("DELETE FROM access_log WHERE actor = 'auditor'")

        let back = temporaryPath("back")
        let returned = try await StoreCopy.copy(from: .postgres(database), to: .directory(back), logger: quietLogger)
        #expect(returned.tables == there.tables, "the same rows and digests both ways")
        #expect(returned.replayed?.cases == before["cases"]!.count)
        #expect(try contents(ofStoreIn: back) == before)
        let copy = try CaseStore(directory: back, access: .readOnly)
        #expect(try copy.tableReader().eventsHighWater() == highWater)
        #expect(try copy.verify().isClean)
        // The name search is rebuilt from the copied names: the corrected name is found, the old one not.
        #expect(try await copy.cases(matching: CaseFilter(query: "Brewster")).cases.map(\.id) == ["C-1"])
        #expect(try await copy.cases(matching: CaseFilter(query: "Somerville")).cases.map(\.id) == ["C-2"])
    }

    @Test func aStoreIsCopiedAsItStoodAtOneMomentWhileTheServiceGoesOnCommitting() async throws {
        let folder = temporaryDirectory()
        let target = temporaryPath("copy")
        let (report, committedBefore) = try await withEngine(
            try CaseStore(directory: folder), policy: try shippedPolicy()
        ) { engine in
            let load = Task {
                while !Task.isCancelled {
                    let id = try await engine.caseInDelivery(at: Self.start)
                    try await engine.send(id, "reassign", ["team": "north"], at: Self.start)
                }
            }
            // Up to a minute for the load to commit its first cases (a load that failed commits none: the wait ends).
            for _ in 0..<3000 where try await engine.store.stats().cases < 5 {
                try await Task.sleep(for: .milliseconds(20))
            }
            try #require(try await engine.store.stats().cases >= 5, "the load committed cases")
            let before = try await engine.store.stats().cases
            // A latch, not luck: once the copy has its moment and reads its first rows, it waits (on its progress
            // line) until the load has committed three more batches, however slow the machine.
            let latch = CommitLatch()
            engine.observe { _ in latch.committed() }
            let report = try await StoreCopy.copy(
                from: .directory(folder), to: .directory(target), logger: quietLogger,
                progress: { step in
                    if case .copying = step { latch.waitOnce(forCommits: 3) }
                })
            load.cancel()
            _ = try? await load.value
            #expect(latch.commitsWhileWaiting >= 3, "the service committed while the copy read")
            return (report, before)
        }
        // Replayed clean (StoreLoading.finish): no case's projection was read at another moment than its history.
        let replayed = try #require(report.replayed)
        #expect(replayed.cases >= committedBefore)
        #expect(try CaseStore(directory: target, access: .readOnly).verify().isClean)
        #expect(try contents(ofStoreIn: folder)["events"]!.count > replayed.events, "the service went on committing")
    }

    /// Holds a copy's progress line until the engine has committed so many batches after it (at most 60 seconds).
    /// The engine's observers run on its writer thread, so blocking the copy's thread here never holds a commit up.
    private final class CommitLatch: Sendable {
        private let state = Mutex((waiting: false, done: false, commits: 0))
        private let signal = DispatchSemaphore(value: 0)

        func committed() {
            let wake = state.withLock { state in
                guard state.waiting else { return false }
                state.commits += 1
                return true
            }
            if wake { signal.signal() }
        }

        func waitOnce(forCommits count: Int) {
            guard state.withLock({ state in
                defer { (state.waiting, state.done) = (!state.done, true) }
                return !state.done
            }) else { return }
            for _ in 0..<count where signal.wait(timeout: .now() + 60) == .timedOut { break }
            state.withLock { $0.waiting = false }
        }

        var commitsWhileWaiting: Int { state.withLock { $0.commits } }
    }

    @Test func aTargetThatHoldsAStoreIsRefusedAndLeftAsItWas() async throws {
        let first = try await storeWithHistory()
        let second = temporaryDirectory()
        _ = try await withEngine(try CaseStore(directory: second), policy: try shippedPolicy()) { engine in
            try await engine.caseInDelivery(at: Self.start, name: "Someone Else")
        }
        let database = try await PostgresServer.shared().newDatabase()
        _ = try await StoreCopy.copy(from: .directory(first), to: .postgres(database), logger: quietLogger)
        let held = try await database.contents()
        let refused = try await #require(throws: StoreError.self) {
            try await StoreCopy.copy(from: .directory(second), to: .postgres(database), logger: quietLogger)
        }
        #expect(refused.code == .refused)
        #expect(refused.message.contains("already holds a store (rows in policies, meta, cases, events"), "\(refused)")
        #expect(refused.message.contains("Copy into a new, empty database"), "says how to proceed")
        #expect(try await database.contents() == held)

        // Nor is a folder holding a store overwritten.
        let refusedFolder = try await #require(throws: StoreError.self) {
            try await StoreCopy.copy(from: .postgres(database), to: .directory(second), logger: quietLogger)
        }
        #expect(refusedFolder.code == .refused)
        #expect(refusedFolder.message.contains("already holds a store; a copy never overwrites one"))
        #expect(try contents(ofStoreIn: second)["cases"]?.count == 1)
    }

    @Test func aCopyThatFailsLeavesNothingBehind() async throws {
        let server = try await PostgresServer.shared()
        // Into PostgreSQL: a name that cannot be copied as it is (it holds a NUL, which PostgreSQL's text cannot
        // hold) fails the copy halfway, after two tables were written; the transaction rolls back, the schema's
        // migration with it.
        let original = try await storeWithHistory()
        try CaseStore(directory: original).execute("UPDATE cases SET name = 'Mary' || char(0) || 'S' WHERE number = 2")
        let database = try await server.newDatabase()
        let failed = try await #require(throws: StoreError.self) {
            try await StoreCopy.copy(from: .directory(original), to: .postgres(database), logger: quietLogger)
        }
        #expect(failed.code == .corrupt)
        #expect(
            failed.message.contains(
                "the row of cases with key (2) holds text that is not UTF-8 or holds a NUL character in its column "
                    + "name"), "\(failed)")
        #expect(try await database.strings("SELECT to_regclass('schema_migrations')::text") == [nil])

        // Into SQLite: a store whose projection differs from its history fails the replay at the end; the
        // staged store is removed, and the folder the copy made with it.
        let clean = try await storeWithHistory()
        let source = try await server.newDatabase()
        _ = try await StoreCopy.copy(from: .directory(clean), to: .postgres(source), logger: quietLogger)
        try await source.run("UPDATE cases SET stage = 'closed' WHERE number = 2")
        let target = temporaryPath("target")
        let differs = try await #require(throws: StoreError.self) {
            try await StoreCopy.copy(from: .postgres(source), to: .directory(target), logger: quietLogger)
        }
        #expect(differs.code == .corrupt)
        #expect(differs.message.contains("does not replay clean"), "\(differs)")
        #expect(!FileManager.default.fileExists(atPath: target))
    }
}

/// The highest value of the first column (an integer key) of `rows`.
func highestID(_ rows: [[StoreValue]]) -> Int {
    rows.compactMap { row -> Int? in
        guard case .integer(let value) = row[0] else { return nil }
        return Int(value)
    }.max() ?? 0
}

extension CaseStore {
    /// Runs raw SQL (to tamper with the store in tests).
    func execute(_ sql: String) throws {
        try pool.write { db in try db.execute(sql: sql) }
    }
}
