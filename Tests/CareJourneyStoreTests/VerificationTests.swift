import CareJourneyCore
import Foundation
import Testing
import CareJourneyTestSupport

@testable import CareJourneyStore

@Suite struct VerificationTests {
    func storeWithACase() async throws -> (CaseStore, CaseID) {
        let store = try CaseStore(directory: temporaryDirectory())
        let id = try await withEngine(store, policy: try shippedPolicy()) { engine in
            try await engine.caseInDelivery(at: start)
        }
        return (store, id)
    }

    @Test func aStoreWrittenByTheEngineVerifiesClean() async throws {
        let (store, _) = try await storeWithACase()
        let report = try store.verify()
        #expect(report.isClean, "\(report.differences)")
        #expect(report.cases == 1)
        #expect(report.events == 8)
    }

    @Test(arguments: [
        ("UPDATE cases SET stage = 'closed'", "projection columns"),
        ("UPDATE cases SET client_type = 'carer'", "projection columns"),
        ("UPDATE cases SET next_due = next_due + 1", "projection columns"),
        ("DELETE FROM timers WHERE name = 'review.informal'", "timers table"),
        ("UPDATE tasks SET status = 'completed' WHERE kind = 'find-provider'", "open tasks"),
        ("UPDATE tasks SET case_number = case_number + 1", "do not carry their case's number"),
        (
            "INSERT INTO cases_name (cases_name, rowid, name) SELECT 'delete', number, lower(name) FROM cases",
            "the name search does not find its name 'Ada'"
        ),
        ("DELETE FROM events WHERE version = 8", "projection version 8, history has 7 events"),
        (
            "INSERT INTO events (case_id, version, name, data, at, actor, policy, recorded_at) SELECT case_id, 9, name, data, at, actor, policy, recorded_at FROM events WHERE version = 1",
            "does not replay"
        ),
    ])
    func tamperingIsFound(sql: String, expected: String) async throws {
        let (store, _) = try await storeWithACase()
        try store.execute(sql)
        let report = try store.verify()
        #expect(!report.isClean)
        #expect(report.differences.contains { $0.contains(expected) }, "\(report.differences)")
    }

    @Test func aStoreReopensWithItsDataAndSchema() async throws {
        let directory = temporaryDirectory()
        let first = try CaseStore(directory: directory)
        let id = try await withEngine(first, policy: try shippedPolicy()) { engine in
            try await engine.caseInDelivery(at: start)
        }
        let reopened = try CaseStore(directory: directory)
        #expect(try await reopened.record(of: id)?.version == 8)
        #expect(try reopened.currentPolicy() == (try shippedPolicy()))
        #expect(try reopened.verify().isClean)
    }
}
