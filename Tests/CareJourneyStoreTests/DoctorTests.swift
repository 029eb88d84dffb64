import CareJourneyCore
import Foundation
import Testing
import CareJourneyTestSupport

@testable import CareJourneyStore

/// `store doctor` and the running count of cases without a next step, over stores damaged by hand.
@Suite struct DoctorTests {
    /// A store with two cases in delivery (review timers pending, a brokerage task open), and their ids.
    func storeInDelivery() async throws -> (CaseStore, CaseID, CaseID) {
        let store = try CaseStore(directory: temporaryDirectory())
        let (first, second) = try await withEngine(store, policy: try shippedPolicy()) { engine in
            (try await engine.caseInDelivery(at: start), try await engine.caseInDelivery(at: start))
        }
        return (store, first, second)
    }

    func counted(_ store: CaseStore) throws -> StoreFigures {
        try store.pool.read { db in try StoreFigures.count(in: db) }
    }

    @Test func aStoreWrittenByTheEngineIsClean() async throws {
        let (store, _, _) = try await storeInDelivery()
        let report = try await store.doctor(dataDirectory: "DIR")
        #expect(report.isClean, "\(report.findings)")
        #expect(report.openCases == 2)
        #expect(report.closedCases == 0)
        #expect(report.findings.isEmpty)
        #expect(try counted(store).withoutNextStep.values.allSatisfy { $0 == 0 })
    }

    @Test func anOpenCaseWhoseTimersWereDeletedAndTasksClosedHasNoNextStep() async throws {
        let (store, first, second) = try await storeInDelivery()
        try store.execute("DELETE FROM timers WHERE case_id = '\(first)'")
        try store.execute("UPDATE tasks SET status = 'completed' WHERE case_id = '\(first)' AND status = 'open'")
        let report = try await store.doctor(dataDirectory: "DIR")
        #expect(!report.isClean)
        #expect(report.counts["no-next-step"] == 1)
        let finding = try #require(report.findings.first)
        #expect(finding.problem == .noNextStep)
        #expect(finding.caseID == first.rawValue)
        #expect(finding.stage == "delivery")
        #expect(finding.detail == "case \(first) (delivery) is open, with no pending timer and no open task")
        #expect(finding.fix.hasPrefix("carejourney store verify --case \(first) --data-dir DIR"))
        #expect(!report.findings.contains { $0.caseID == second.rawValue })
        // The gauge's count from the tables finds the same case, at its stage.
        #expect(try counted(store).withoutNextStep == [.delivery: 1])
        // And verify finds what was lost, for that case alone too.
        for scope in [VerificationScope.all, .cases([first])] {
            let verified = try store.verify(scope)
            #expect(
                verified.differences.contains { $0.contains("case \(first): timers table") }, "\(verified.differences)")
            #expect(
                verified.differences.contains { $0.contains("case \(first): open tasks") }, "\(verified.differences)")
        }
        #expect(try store.verify(.cases([second])).isClean)
    }

    @Test func oneTimerLeftOrOneTaskLeftIsANextStep() async throws {
        let (store, first, second) = try await storeInDelivery()
        try store.execute("DELETE FROM timers WHERE case_id = '\(first)'")
        try store.execute("UPDATE tasks SET status = 'completed' WHERE case_id = '\(second)'")
        let report = try await store.doctor()
        #expect(report.counts["no-next-step"] == 0)
        // Each is still found by verify: a timer row deleted, a task closed under an open case.
        let verified = try store.verify()
        #expect(verified.differences.contains { $0.contains("case \(first): timers table") }, "\(verified.differences)")
        #expect(verified.differences.contains { $0.contains("case \(second): open tasks") }, "\(verified.differences)")
    }

    @Test func aProjectionChangedToClosedLeavesTimersAndATaskOnAClosedCase() async throws {
        let (store, first, _) = try await storeInDelivery()
        try store.execute("UPDATE cases SET stage = 'closed' WHERE id = '\(first)'")
        let report = try await store.doctor(dataDirectory: "DIR")
        #expect(report.counts["timer-on-closed-case"] ?? 0 > 0)
        // Its brokerage task and the plan's copy to send: closing withdraws both.
        #expect(report.counts["task-on-closed-case"] == 2)
        let timer = try #require(report.findings.first { $0.problem == .timerOnClosedCase })
        #expect(timer.detail.hasPrefix("case \(first) is closed, and its timer '"))
        #expect(timer.detail.hasSuffix("' is still pending: it will fire and be refused"))
        #expect(timer.fix.contains("DELETE FROM timers WHERE case_id = '\(first)'"))
        let task = try #require(
            report.findings.first { $0.problem == .taskOnClosedCase && $0.detail.contains("find-provider") })
        #expect(
            task.detail
                == "case \(first) is closed, and its 'find-provider' task \(first)#7 is still open: closing withdraws it"
        )
        #expect(report.openCases == 1)
        let verified = try store.verify()
        #expect(
            verified.differences.contains { $0.contains("case \(first): projection columns") },
            "\(verified.differences)")
    }

    @Test func aTaskThatOutlivesTheCaseIsNoFindingOnAClosedCase() async throws {
        let (store, first, _) = try await storeInDelivery()
        try store.execute("UPDATE cases SET stage = 'closed' WHERE id = '\(first)'")
        try store.execute("DELETE FROM timers WHERE case_id = '\(first)'")
        try store.execute("UPDATE tasks SET kind = 'end-services' WHERE case_id = '\(first)' AND status = 'open'")
        let report = try await store.doctor()
        #expect(report.isClean, "\(report.findings)")
    }

    @Test func anOverdueCaseWithoutEscalationIsFound() async throws {
        let (store, first, _) = try await storeInDelivery()
        try store.execute("UPDATE cases SET overdue = 1 WHERE id = '\(first)'")
        let report = try await store.doctor()
        #expect(report.counts["overdue-not-escalated"] == 1)
        #expect(report.findings.map(\.caseID) == [first.rawValue])
        // An escalation task open, or its timer pending, is escalation enough.
        try store.execute("INSERT INTO timers (case_id, name, due) VALUES ('\(first)', 'review.escalation', 0)")
        #expect(try await store.doctor().counts["overdue-not-escalated"] == 0)
    }

    @Test func findingsBeyondTheLimitAreCountedNotListed() async throws {
        let (store, _, _) = try await storeInDelivery()
        try store.execute("DELETE FROM timers")
        try store.execute("UPDATE tasks SET status = 'withdrawn'")
        let report = try await store.doctor(limit: 1)
        #expect(report.counts["no-next-step"] == 2)
        #expect(report.findings.count == 1)
    }

    /// The writer's running count: a case is counted when its last step goes and uncounted when it gets one, at
    /// its stage; closed cases never count.
    @Test func theRunningCountFollowsEachTransition() {
        var open = CaseState(id: "C-1")
        open.stage = .delivery
        var stepped = open
        stepped.timers[.reviewPlannedDue] = start
        var figures = StoreFigures()
        figures.moved(from: stepped, to: open)
        #expect(figures.withoutNextStep == [.delivery: 1])
        var moved = open
        moved.stage = .review
        figures.moved(from: open, to: moved)
        #expect(figures.withoutNextStep == [.delivery: 0, .review: 1])
        var closed = moved
        closed.stage = .closed
        figures.moved(from: moved, to: closed)
        #expect(figures.withoutNextStep.values.allSatisfy { $0 == 0 })
        figures.moved(from: CaseState(id: "C-2"), to: stepped)
        #expect(figures.withoutNextStep.values.allSatisfy { $0 == 0 })
        figures.removed(open, tasks: [])
        #expect(figures.withoutNextStep[.delivery] == -1)
    }
}
