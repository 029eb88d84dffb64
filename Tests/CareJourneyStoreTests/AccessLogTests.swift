import CareJourneyCore
import Foundation
import GRDB
import Testing
import CareJourneyTestSupport

@testable import CareJourneyStore

/// Every read of personal data is recorded, durably, before the data is shown; what was recorded answers "who
/// looked at this case" and "what did this person look at".
@Suite struct AccessLogTests {
    let contact: JSONValue = ["name": "Ada", "clientType": "adult", "route": "gp"]

    @Test func aReadIsOnDiskWhenRecordReadReturnsAndListedByCaseActorAndPeriod() async throws {
        let store = try CaseStore(directory: temporaryDirectory())
        try await withEngine(store, policy: try shippedPolicy()) { engine in
            let ada = try #require(try await engine.send(nil, "contact", contact, at: start)).state.id
            let bob = try #require(try await engine.send(nil, "contact", contact, at: start)).state.id
            try await engine.recordRead(
                AccessRecord(actor: "sw.jones", at: start.addingTimeInterval(60), channel: .page, cases: [ada]))
            // Recorded when the call returns: no waiting for a later commit.
            #expect(try await store.accessLog(matching: AccessQuery(cases: [ada])).map(\.actor) == ["sw.jones"])
            // Reads and commands share a batch; a search lists every case it returned.
            async let search: Void = engine.recordRead(
                AccessRecord(
                    actor: "m.patel", at: start.addingTimeInterval(120), channel: .search, cases: [bob, ada],
                    query: "q=Ada"))
            async let command = engine.send(ada, "start-assessment", at: start.addingTimeInterval(130))
            _ = try await (search, command)
            try await engine.recordRead(
                AccessRecord(
                    actor: "m.patel", at: start.addingTimeInterval(180), channel: .api, cases: [bob],
                    reason: "covering the duty desk"))
        }
        let ada = CaseID("C-1")
        let bob = CaseID("C-2")
        let adas = try await store.accessLog(matching: AccessQuery(cases: [ada]))
        #expect(adas.map(\.channel) == [.search, .page])
        #expect(adas.first?.cases == [bob, ada])
        #expect(adas.first?.query == "q=Ada")
        let patels = try await store.accessLog(matching: AccessQuery(actor: "m.patel"))
        #expect(patels.map(\.channel) == [.api, .search])
        #expect(patels.first?.reason == "covering the duty desk")
        let early = try await store.accessLog(
            matching: AccessQuery(cases: [ada, bob], from: start, to: start.addingTimeInterval(150)))
        #expect(early.map(\.at) == [start.addingTimeInterval(120), start.addingTimeInterval(60)])
        #expect(try await store.accessLog(matching: AccessQuery(cases: [])).isEmpty)
    }

    @Test func aReadThatCannotBeWrittenFailsAndNothingOfItsBatchIsCommitted() async throws {
        let folder = temporaryDirectory()
        let store = try CaseStore(directory: folder)
        try await withEngine(store, policy: try shippedPolicy()) { engine in
            let ada = try #require(try await engine.send(nil, "contact", contact, at: start)).state.id
            // The store refuses to write reads, as a full disk would.
            try await store.pool.write { db in
                try db.execute(
                    sql: """
                        CREATE TRIGGER refuse BEFORE INSERT ON access_log BEGIN SELECT RAISE(ABORT, 'disk full'); END
                        """)
            }
            let error = await #expect(throws: StoreError.self) {
                try await engine.recordRead(AccessRecord(actor: "sw.jones", at: start, channel: .page, cases: [ada]))
            }
            #expect(error?.code == .io)
            let fromTheCommandLine = #expect(throws: StoreError.self) {
                try CaseStore.recordRead(
                    AccessRecord(actor: "unix:ops", at: start, channel: .export, cases: []), inStoreAt: folder)
            }
            #expect(fromTheCommandLine?.message.hasPrefix("the read could not be recorded in") == true)
        }
    }

    @Test func aCommandLineExportIsRecordedBesideARunningService() async throws {
        let folder = temporaryDirectory()
        let store = try CaseStore(directory: folder)
        try await withEngine(store, policy: try shippedPolicy()) { engine in
            _ = try await engine.send(nil, "contact", contact, at: start)
            try CaseStore.recordRead(
                AccessRecord(
                    actor: "unix:ops", at: start, channel: .export, cases: [], query: "2026-04-01 to 2026-06-30",
                    detail: "CLD return to q1.csv, 12 rows"),
                inStoreAt: folder)
            _ = try await engine.send(CaseID("C-1"), "start-assessment", at: start)
        }
        let exports = try await store.accessLog(matching: AccessQuery(actor: "unix:ops"))
        #expect(exports.map(\.detail) == ["CLD return to q1.csv, 12 rows"])
        #expect(throws: StoreError.self) {
            try CaseStore.recordRead(
                AccessRecord(actor: "unix:ops", at: start, channel: .export, cases: []),
                inStoreAt: folder + "/missing")
        }
    }

    @Test func viewsRecordedBeforeVersion11CarryOver() throws {
        let folder = temporaryDirectory()
        do {
            let pool = try DatabasePool(path: folder + "/carejourney.sqlite")
            try StoreSchema.migrator.migrate(pool, upTo: "v10: queue and overdue filters")
            try pool.write { db in
                try db.execute(
                    sql: "INSERT INTO case_views (case_id, viewer, at) VALUES ('C-1', 'sw.jones', ?)",
                    arguments: [start.timeIntervalSince1970])
            }
        }
        let store = try CaseStore(directory: folder)
        let carried = try store.read { db in try AccessLog.fetch(AccessQuery(cases: ["C-1"]), in: db) }
        #expect(carried == [AccessRecord(actor: "sw.jones", at: start, channel: .view, cases: ["C-1"])])
        #expect(try store.count("SELECT COUNT(*) FROM sqlite_master WHERE name = 'case_views'") == 0)
    }
}
