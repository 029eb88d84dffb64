import CareJourneyCore
import Foundation
import GRDB
import Synchronization
import Testing
import CareJourneyTestSupport

@testable import CareJourneyStore

/// Disposal: a closed case kept its period goes with every row it has, leaving a certificate without personal data;
/// a held case, one with work open or one that changed since it was examined stays.
@Suite struct DisposalTests {
    static let ada: JSONValue = [
        "name": "Ada Lovelace", "clientType": "adult", "route": "gp", "nhsNumber": "943 476 5919",
        "postcode": "de1 2ab",
    ]
    static let grace: JSONValue = ["name": "Grace Hopper", "clientType": "adult", "route": "gp"]
    /// Past every period of the shipped schedule but the safeguarding one.
    static let asOf = PolicyDuration.months(12 * 9).after(start)

    @Test func aCaseKeptItsPeriodGoesWithEveryRowAndLeavesACertificate() async throws {
        let store = try CaseStore(directory: temporaryDirectory())
        let policy = try shippedPolicy()
        let schedule = try #require(policy.retention)
        let (ada, closedAt) = try await withEngine(store, policy: policy) { engine in
            try await engine.send(nil, "contact", Self.grace, at: start)  // C-1, open
            let held = try await engine.closedCase(Self.grace, at: start)  // C-2
            try await engine.send(held, "hold", ["reason": "a claim"], at: start.addingTimeInterval(60))
            let working = try await engine.closedCase(Self.grace, at: start)  // C-3
            try await engine.send(working, "complaint-received", at: start.addingTimeInterval(60))
            try await engine.closedCase(Self.grace, at: PolicyDuration.months(12 * 5).after(start))  // C-4: not yet due
            let ada = try await engine.wholeLife(Self.ada, key: "ada", from: start)  // C-5
            try await engine.recordRead(
                AccessRecord(actor: "sw.jones", at: ada.closedAt, channel: .page, cases: [ada.id]))
            // A search that showed Ada beside another case stays for the other, without its query and without her.
            try await engine.recordRead(
                AccessRecord(
                    actor: "sw.jones", at: ada.closedAt, channel: .search, cases: [ada.id, "C-1"],
                    query: "q=Lovelace"))
            try await engine.countFigures()

            let plan = try await store.planDisposal(asOf: Self.asOf, under: schedule, policy: policy.id)
            #expect(plan.examined == 4)
            let listing = plan.listing
            #expect(listing.dryRun)
            #expect(listing.cases.map(\.caseID) == ["C-2", "C-3", "C-5"])
            #expect(listing.cases.map(\.outcome) == [.held, .openWork, .due])
            #expect(listing.cases[0].heldBy == "test")
            #expect(listing.cases[1].openTasks == 1)
            #expect(try store.count("SELECT COUNT(*) FROM events WHERE case_id = 'C-5'") > 0, "a plan removes nothing")

            let report = try await engine.dispose(plan, by: "records.officer", at: Self.asOf)
            #expect(!report.dryRun)
            #expect(report.disposedBy == "records.officer")
            #expect(report.cases.map(\.outcome) == [.held, .openWork, .disposed])
            #expect(engine.figures == (try countedFigures(store)))
            // Its number is never given again.
            #expect(try await engine.send(nil, "contact", Self.grace, at: Self.asOf)?.state.id == "C-6")
            return (ada.id, ada.closedAt)
        }
        for table in ["events", "timers", "tasks", "idempotency", "access_log_cases", "reviews_done"] {
            #expect(try store.count("SELECT COUNT(*) FROM \(table) WHERE case_id = '\(ada)'") == 0, "\(table)")
        }
        #expect(try store.count("SELECT COUNT(*) FROM cases WHERE id = '\(ada)'") == 0)
        #expect(try await store.cases(matching: CaseFilter(query: "Lovelace")).cases.isEmpty)
        #expect(try await store.cases(matching: CaseFilter(query: "Grace")).cases.count == 5)
        let certificate = try #require(
            try store.pool.read { db in try Row.fetchOne(db, sql: "SELECT * FROM disposal_certificates") })
        #expect(certificate["case_number"] as Int == 5)
        #expect(certificate["case_id"] as String == "C-5")
        #expect(certificate["opened_at"] as Double == start.timeIntervalSince1970)
        #expect(certificate["closed_at"] as Double == closedAt.timeIntervalSince1970)
        #expect(certificate["rule"] as String == "adults")
        #expect(certificate["kept_for"] as String == "96mo")
        #expect(certificate["policy"] as String == "derbyshire")
        #expect(certificate["disposed_by"] as String == "records.officer")
        #expect(certificate["disposed_at"] as Double == Self.asOf.timeIntervalSince1970)
        let removed = try JSONDecoder().decode([String: Int].self, from: Data((certificate["removed"] as String).utf8))
        #expect(removed["events"] == 13)
        #expect(removed["cases"] == 1)
        #expect(removed["idempotency"] == 2)
        #expect(removed["access_log"] == 1)
        #expect(removed["access_log_queries"] == 1)
        #expect(removed["access_log_cases"] == 1, "the search's link (the page read's went with it)")
        let search = try await store.accessLog(matching: AccessQuery(cases: ["C-1"]))
        #expect(search.map(\.cases) == [["C-1"]])
        #expect(search.first?.query == nil)
        #expect(removed["reviews_done"] == 1)
        #expect((removed["tasks"] ?? 0) > 5)
        #expect(Set(removed.keys) == Set(CaseRows.disposal.map(\.table)))
        let verify = try store.verify()
        #expect(verify.isClean, "\(verify.differences)")
        #expect(verify.cases == 5)
    }

    /// Secure delete is on for every connection: without it, the copies earlier writes freed (each snapshot replaced,
    /// the name index merged) stay in free pages after the case is gone.
    @Test func aDisposedPersonsNameAndNHSNumberAreNowhereInTheFiles() async throws {
        let store = try CaseStore(directory: temporaryDirectory())
        let policy = try shippedPolicy()
        try await withEngine(store, policy: policy) { engine in
            try await engine.send(nil, "contact", Self.grace, at: start)
            try await engine.wholeLife(Self.ada, key: "ada", from: start)
            let plan = try await store.planDisposal(
                asOf: Self.asOf, under: try #require(policy.retention), policy: policy.id)
            #expect(try await engine.dispose(plan, by: "records.officer", at: Self.asOf).count(.disposed) == 1)
        }
        #expect(store.truncateWAL())
        let bytes = try storeBytes(store)
        #expect(bytes.range(of: Data("Grace Hopper".utf8)) != nil, "the files are read: a kept name is found")
        for trace in ["Ada Lovelace", "Lovelace", "lovelace", "943 476 5919", "9434765919", "DE1 2AB", "de1 2ab"] {
            #expect(bytes.range(of: Data(trace.utf8)) == nil, "\(trace) is still in the files")
        }
    }

    /// Disposal at `serve` start must not keep pages waiting: it goes a few cases at a time, each step a transaction
    /// of its own between the engine's batches, so a command (or a page's read of personal data) submitted while a
    /// large disposal is pending is committed before the next step, not after the whole run.
    @Test func aCommandIsAnsweredBetweenTheStepsOfALargeDisposal() async throws {
        let store = try CaseStore(directory: temporaryDirectory())
        let policy = try shippedPolicy()
        try await withEngine(store, policy: policy) { engine in
            for _ in 0..<12 { try await engine.closedCase(Self.grace, at: start) }
            try await engine.countFigures()
            let plan = try await store.planDisposal(
                asOf: Self.asOf, under: try #require(policy.retention), policy: policy.id)
            #expect(plan.listing.count(.due) == 12)
            let log = StepLog()
            let contact = Command(caseID: nil, event: try event("contact", Self.grace), actor: "test", at: Self.asOf)
            let report = try await engine.dispose(plan, by: "records.officer", at: Self.asOf, batch: 5) { done, total in
                #expect(total == 12)
                log.settled.withLock { $0.append(done) }
                guard done == 5 else { return }
                // Seven cases still wait to go; the contact is submitted before the next step is.
                engine.apply(contact) { result in
                    let opened: CaseID? =
                        if case .success(.applied(let committed)) = result { committed.state.id } else { nil }
                    log.answered.withLock { $0 = (log.settled.withLock { $0.last }, opened) }
                }
            }
            #expect(log.settled.withLock { $0 } == [0, 5, 10, 12], "steps of at most 5 cases")
            let (after, opened) = log.answered.withLock { $0 }
            #expect(after == 5, "the contact was committed after the first step and before the second")
            #expect(opened == "C-13")
            #expect(report.count(.disposed) == 12)
            #expect(report.cases.map(\.caseID) == plan.listing.cases.map(\.caseID), "one report, in the plan's order")
            #expect(engine.figures == (try countedFigures(store)), "each step's changes counted")
        }
        #expect(try store.count("SELECT COUNT(*) FROM disposal_certificates") == 12)
        #expect(try store.count("SELECT COUNT(*) FROM cases") == 1)
        #expect(try await store.cases(matching: CaseFilter(query: "Grace")).cases.map(\.id) == ["C-13"])
        #expect(try store.verify().isClean)
    }

    @Test func aCaseThatChangedAfterItWasExaminedStays() async throws {
        let store = try CaseStore(directory: temporaryDirectory())
        let policy = try shippedPolicy()
        try await withEngine(store, policy: policy) { engine in
            let held = try await engine.closedCase(Self.grace, at: start)
            let referred = try await engine.closedCase(Self.grace, at: start)
            let plan = try await store.planDisposal(
                asOf: Self.asOf, under: try #require(policy.retention), policy: policy.id)
            #expect(plan.listing.cases.map(\.outcome) == [.due, .due])
            try await engine.send(held, "hold", ["reason": "an inquiry"], at: Self.asOf)
            // Re-referred: open again, so not past retention while open.
            try await engine.send(referred, "contact", Self.grace, at: Self.asOf)
            let report = try await engine.dispose(plan, by: "records.officer", at: Self.asOf)
            #expect(report.cases.map(\.outcome) == [.changed, .changed])
            let again = try await store.planDisposal(
                asOf: Self.asOf, under: try #require(policy.retention), policy: policy.id)
            #expect(again.listing.cases.map(\.outcome) == [.held])
            #expect(again.examined == 1)
        }
        #expect(try store.count("SELECT COUNT(*) FROM cases") == 2)
        #expect(try store.count("SELECT COUNT(*) FROM disposal_certificates") == 0)
    }
}

/// The cases a disposal run had settled after each step, and how many when a command was answered.
final class StepLog: Sendable {
    let settled = Mutex<[Int]>([])
    let answered = Mutex<(after: Int?, opened: CaseID?)>((nil, nil))
}

/// The figures as a fresh count of the store reads them.
func countedFigures(_ store: CaseStore) throws -> StoreFigures {
    try store.pool.read { db in try StoreFigures.count(in: db) }
}

/// The store's two files as they are on disk.
func storeBytes(_ store: CaseStore) throws -> Data {
    var bytes = try Data(contentsOf: URL(fileURLWithPath: store.path))
    bytes += (try? Data(contentsOf: URL(fileURLWithPath: store.path + "-wal"))) ?? Data()
    return bytes
}
