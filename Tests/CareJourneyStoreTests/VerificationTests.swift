import CareJourneyCore
import Foundation
import Synchronization
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
        ("UPDATE tasks SET team = 'elsewhere' WHERE status = 'open'", "is open without its case's team"),
        ("UPDATE tasks SET listed = 1 WHERE kind = 'find-provider'", "on the worklists though workers serve its queue"),
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

/// `store verify` in batches, for some cases, and the name index checked whole.
@Suite struct VerificationScopeTests {
    /// Five cases in delivery.
    func storeWithFiveCases() async throws -> (CaseStore, [CaseID]) {
        let store = try CaseStore(directory: temporaryDirectory())
        let ids = try await withEngine(store, policy: try shippedPolicy()) { engine in
            var ids: [CaseID] = []
            for _ in 0..<5 { ids.append(try await engine.caseInDelivery(at: start)) }
            return ids
        }
        return (store, ids)
    }

    @Test func smallBatchesCheckEveryCaseOnceAndFindTheSameDifferences() async throws {
        let (store, ids) = try await storeWithFiveCases()
        try store.execute("DELETE FROM timers WHERE case_id = '\(ids[3])' AND name = 'review.informal'")
        let progress = Mutex<[Int]>([])
        for batch in [1, 2, 5, 100] {
            let report = try store.verify(.all, limit: 100, batch: batch) { done, total in
                #expect(total == 5)
                progress.withLock { $0.append(done) }
            }
            #expect(report.cases == 5)
            #expect(report.events == 40)
            #expect(report.differences.count == 1, "\(report.differences)")
            #expect(report.differences.first?.hasPrefix("case \(ids[3]): timers table") == true)
        }
        #expect(progress.withLock { $0.last } == 5)
    }

    @Test func oneCaseOrASampleIsCheckedAlone() async throws {
        let (store, ids) = try await storeWithFiveCases()
        try store.execute("UPDATE cases SET client_type = 'carer' WHERE id = '\(ids[1])'")
        let one = try store.verify(.cases([ids[1]]))
        #expect(one.cases == 1)
        #expect(one.differences.contains { $0.contains("case \(ids[1]): projection columns") }, "\(one.differences)")
        #expect(try store.verify(.cases([ids[0], ids[2]])).isClean)
        let sample = try store.verify(.sample(3))
        #expect(sample.cases == 3)
        #expect(try store.verify(.sample(50)).cases == 5)
        let unknown = try store.verify(.cases(["C-99"]))
        #expect(unknown.differences == ["case C-99 is not in the store: it has neither a projection nor a history"])
    }

    @Test func aNameIndexedUnderAnotherCaseIsFound() async throws {
        let (store, ids) = try await storeWithFiveCases()
        try store.execute(
            "INSERT INTO cases_name (cases_name, rowid, name) SELECT 'delete', number, lower(name) FROM cases WHERE id = '\(ids[2])'")
        try store.execute("INSERT INTO cases_name (rowid, name) VALUES (1000, 'ada')")
        let report = try store.verify()
        #expect(report.differences == ["case \(ids[2]): the name search does not find its name 'Ada'"])
    }

    @Test func anEntryNoNameHasIsFound() async throws {
        let (store, _) = try await storeWithFiveCases()
        try store.execute("INSERT INTO cases_name (rowid, name) VALUES (1001, 'zed')")
        let report = try store.verify()
        #expect(report.differences.count == 1)
        #expect(report.differences.first?.hasPrefix("the name search holds entries no case's name has (1 sequence(s), such as 'zed')") == true, "\(report.differences)")
    }

    @Test func theTrigramsAreThoseOfTheIndex() {
        #expect(NameIndexTally.trigrams(of: "Al").isEmpty)
        #expect(NameIndexTally.trigrams(of: "ZoË O").map(\.text) == ["zoË", "oË ", "Ë o"])
    }
}
