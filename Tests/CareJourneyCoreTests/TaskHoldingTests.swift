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
        policy.taskDue = [.screenContact: .days(3), .assessNeeds: .days(28)]
        return policy
    }()

    func contacted() throws -> (Driver, CareTask) {
        var ada = Driver(policy: Self.policy)
        ada.send("contact", ["name": "Ada", "clientType": "adult", "route": "gp"])
        return (ada, try #require(ada.state.openTask(.screenContact)))
    }

    @Test func aTaskIsDueWhenThePolicySaysAndOverdueAfter() throws {
        let (ada, screening) = try contacted()
        #expect(screening.due == t0.addingTimeInterval(days(3)))
        #expect(TaskDue.due(of: .screenContact, openedAt: t0, policy: Self.policy) == screening.due)
        #expect(!TaskDue.isOverdue(screening.due, at: t0.addingTimeInterval(days(3))))
        #expect(TaskDue.isOverdue(screening.due, at: t0.addingTimeInterval(days(3) + 1)))
        // A kind the policy gives no due date has none, and is never overdue.
        var later = ada
        later.send("start-assessment")
        #expect(later.state.openTask(.assessNeeds)?.due == later.now.addingTimeInterval(days(28)))
        #expect(TaskDue.due(of: .planSupport, openedAt: t0, policy: Self.policy) == nil)
        #expect(!TaskDue.isOverdue(nil, at: t0))
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
