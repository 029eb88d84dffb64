import Foundation
import Testing

@testable import CareJourneyCore

/// Tasks on people's queues: taken, handed back and allocated, each an event whose effect says who holds the task;
/// due dates where the policy gives them.
@Suite struct TaskHoldingTests {
    /// The test policy, saying who serves its queues and when screening and assessment are due.
    static let policy: Policy = {
        var policy = testPolicy
        policy.servedBy = Dictionary(
            uniqueKeysWithValues: Set(policy.queues.values).map { queue in
                (queue, ["brokerage", "advocacy", "dp-monitoring", "review-reminders"].contains(queue) ? .workers : .people)
            })
        policy.taskDue = [.screenContact: .days(3), .assessNeeds: .days(28), .decideEligibility: .workingDays(5)]
        policy.calendar = Policy.CalendarRules(calendar: london, tasksDueInLocalDays: true)
        return policy
    }()

    func contacted() throws -> (Driver, CareTask) {
        var ada = Driver(policy: Self.policy)
        ada.send("contact", ["name": "Ada", "clientType": "adult", "route": "gp"])
        return (ada, try #require(ada.state.openTask(.screenContact)))
    }

    /// Opened at 09:00 GMT on Monday 5 January 2026, "3d" is due by the end of Thursday 8 January on the council's
    /// calendar (not at 09:00 on the Thursday, as the count on the clock had it before the calendar).
    @Test func aTaskIsDueWhenThePolicySaysAndOverdueAfter() throws {
        let (ada, screening) = try contacted()
        let endOfThursday = Date(timeIntervalSince1970: 1_767_916_800)  // 2026-01-09T00:00:00Z
        #expect(screening.due == endOfThursday)
        #expect(TaskDue.due(of: .screenContact, openedAt: t0, policy: Self.policy) == screening.due)
        #expect(!TaskDue.isOverdue(screening.due, at: endOfThursday))
        #expect(TaskDue.isOverdue(screening.due, at: endOfThursday.addingTimeInterval(1)))
        // Opened at 23:59 on the Monday, it is due on the same day.
        let lateMonday = t0.addingTimeInterval(hours(14) + 59 * 60)
        #expect(TaskDue.due(of: .screenContact, openedAt: lateMonday, policy: Self.policy) == endOfThursday)
        var later = ada
        later.send("start-assessment")
        #expect(later.state.openTask(.assessNeeds)?.due == endOfThursday.addingTimeInterval(days(25)))
        // A kind the policy gives no due date has none, and is never overdue.
        #expect(TaskDue.due(of: .planSupport, openedAt: t0, policy: Self.policy) == nil)
        #expect(!TaskDue.isOverdue(nil, at: t0))
    }

    /// Without `calendar:` a policy's deadlines are exact instants, and so are its tasks' due dates.
    @Test func withoutACalendarATaskIsDueToTheSecond() {
        var policy = Self.policy
        policy.calendar = nil
        #expect(TaskDue.due(of: .screenContact, openedAt: t0, policy: policy) == t0.addingTimeInterval(days(3)))
    }

    /// A calendar that does not say `task-due: local-days` keeps the exact count its tasks had when they were
    /// recorded, so a history written under it replays to the same due dates (and `store verify` finds it clean).
    @Test func aCalendarWithoutTheKeyCountsTasksToTheSecond() {
        var policy = Self.policy
        policy.calendar?.tasksDueInLocalDays = nil
        #expect(TaskDue.due(of: .screenContact, openedAt: t0, policy: policy) == t0.addingTimeInterval(days(3)))
        #expect(policy.calendar != nil)
    }

    /// "Within 5 working days" of 16:55 on Wednesday 23 December 2026 skips Christmas Day, the weekend, Boxing Day's
    /// substitute (Monday 28th) and New Year's Day: the 24th, 29th, 30th, 31st and Monday 4 January 2027, due by the
    /// end of that day.
    @Test func workingDaysSkipBankHolidays() {
        let openedAt = instant("2026-12-23T16:55:00Z")
        #expect(
            TaskDue.due(of: .decideEligibility, openedAt: openedAt, policy: Self.policy)
                == instant("2027-01-05T00:00:00Z"))
        // Across the spring change of the clocks: from Monday 23 March 2026, 5 working days end on Monday 30 March,
        // a day on BST, at 23:00 UTC.
        #expect(
            TaskDue.due(of: .decideEligibility, openedAt: instant("2026-03-23T10:00:00Z"), policy: Self.policy)
                == instant("2026-03-30T23:00:00Z"))
    }

    @Test func takingMakesATaskTheSendersAndOthersSeeWho() throws {
        var (ada, screening) = try contacted()
        let id = JSONValue.string(screening.id.description)
        ada.send("take-task", ["task": id], by: "sw.jones")
        #expect(ada.effects == [.holdTask(screening.id, holder: "sw.jones")])
        #expect(ada.state.openTask(.screenContact)?.heldBy == "sw.jones")
        let taken = try #require(ada.refused("take-task", ["task": id], by: "sw.patel"))
        #expect(taken.code == .guardFailed)
        #expect(taken.missing == ["sw.jones holds it: they may hand it back, or a manager may allocate it"])
        #expect(ada.refused("take-task", ["task": id], by: "sw.jones")?.missing == ["you hold it already"])
    }

    @Test func onlyTheHolderHandsBackAndAManagerAllocatesToAnyone() throws {
        var (ada, screening) = try contacted()
        let id = JSONValue.string(screening.id.description)
        #expect(ada.refused("hand-back-task", ["task": id], by: "sw.jones")?.missing == ["nobody holds it"])
        ada.send("take-task", ["task": id], by: "sw.jones")
        #expect(
            ada.refused("hand-back-task", ["task": id], by: "sw.patel")?.missing
                == ["sw.jones holds it, not you: a manager may allocate it"])
        ada.send("hand-back-task", ["task": id], by: "sw.jones")
        #expect(ada.effects == [.holdTask(screening.id, holder: nil)])
        #expect(ada.state.openTask(.screenContact)?.heldBy == nil)
        ada.send("allocate-task", ["task": id, "to": "sw.patel"], by: "tm.khan")
        #expect(ada.state.openTask(.screenContact)?.heldBy == "sw.patel")
        #expect(ada.refused("allocate-task", ["task": id, "to": "sw.patel"], by: "tm.khan")?.missing == ["sw.patel holds it already"])
        #expect(ada.refused("allocate-task", ["task": id, "to": " "], by: "tm.khan")?.field == "to")
        // The holder stays with the task until it is done: moving on resolves it.
        ada.send("start-assessment", by: "sw.patel")
        #expect(ada.effects.contains(.resolveTask(screening.id, .completed)))
        #expect(ada.refused("take-task", ["task": id])?.code == .staleTask)
    }

    @Test func aWorkersTaskIsNotTakenAndAllocatingNeedsAManager() throws {
        var ada = Driver(policy: Self.policy)
        ada.toDelivery()
        let provider = try #require(ada.state.openTask(.findProvider))
        let refusal = try #require(ada.refused("take-task", ["task": .string(provider.id.description)]))
        #expect(refusal.message.contains("is on the brokerage queue, which workers serve"))
        #expect(EventCatalog.minimumRole(of: event("allocate-task", ["task": "a#1", "to": "x"])) == .manager)
        #expect(EventCatalog.minimumRole(of: event("take-task", ["task": "a#1"])) == .practitioner)
        // A case with no open task does not accept them at all.
        let closed = Driver(policy: Self.policy)
        #expect(closed.refused("take-task", ["task": "ada#1"])?.code == .notAccepted)
    }
}
