import Foundation
import Testing

@testable import CareJourneyCore

/// What operations staff do to a case from the dashboard: reassign it, retry or cancel a worker's task.
@Suite struct OperationsTests {
    @Test func reassignSetsKeepsAndClearsTheTeamAndPractitioner() {
        var ada = Driver()
        ada.send("contact", ["name": "Ada", "clientType": "adult", "route": "gp"])
        #expect(ada.state.allocation == nil)
        ada.send("reassign", ["team": "north-east", "worker": "sw.jones"])
        #expect(ada.state.allocation == Allocation(team: "north-east", worker: "sw.jones"))
        #expect(ada.effects.isEmpty)
        ada.send("reassign", ["worker": "sw.patel"])
        #expect(ada.state.allocation == Allocation(team: "north-east", worker: "sw.patel"))
        ada.send("reassign", ["worker": ""])
        #expect(ada.state.allocation == Allocation(team: "north-east", worker: nil))
        ada.send("reassign", ["team": ""])
        #expect(ada.state.allocation == nil)
        ada.send("give-information-and-advice")
        #expect(ada.refused("reassign", ["team": "south"])?.code == .notAccepted)
    }

    @Test func retryPutsAWorkersTaskOnItsQueueAgainUnchanged() throws {
        var ada = Driver()
        ada.toDelivery()
        let provider = try #require(ada.state.openTask(.findProvider))
        ada.send("retry-task", ["task": .string(provider.id.description)], after: days(1))
        #expect(ada.effects == [.enqueue(provider)])
        #expect(ada.state.openTask(.findProvider) == provider)
    }

    @Test func cancelWithdrawsAWorkersTaskUnlessItIsTheOnlyNextStep() throws {
        var ada = Driver()
        ada.toDelivery()
        let provider = try #require(ada.state.openTask(.findProvider))
        ada.send("cancel-task", ["task": .string(provider.id.description)])
        #expect(ada.effects == [.resolveTask(provider.id, .withdrawn)])
        #expect(ada.state.openTask(.findProvider) == nil)
        #expect(ada.state.hasNextStep)
        // Cancelled already: a second cancel names the task as no longer open.
        #expect(ada.refused("cancel-task", ["task": .string(provider.id.description)])?.code == .staleTask)

        // A closed case whose only next step is stopping its services keeps that task.
        var bob = Driver("bob")
        bob.toDelivery()
        bob.send("close-case", ["reason": "deceased"])
        let ending = try #require(bob.state.openTask(.endServices))
        #expect(bob.state.timers.isEmpty)
        let refusal = bob.refused("cancel-task", ["task": .string(ending.id.description)])
        // A closed case is not open, so the rule that keeps open cases moving does not hold it back.
        #expect(refusal == nil)

        // An open case whose only next step is the task: cancelling it would leave the case forgotten.
        var cara = Driver("cara")
        cara.toDelivery()
        let found = try #require(cara.state.openTask(.findProvider))
        cara.state.timers = [:]
        cara.state.tasks = [found.id: found]
        let error = cara.refused("cancel-task", ["task": .string(found.id.description)])
        #expect(error?.code == .guardFailed)
        #expect(error?.missing == ["it is the case's only next step: retry it instead"])
    }

    @Test func onlyAWorkersTaskCanBeRetriedOrCancelled() throws {
        var ada = Driver()
        ada.send("contact", ["name": "Ada", "clientType": "adult", "route": "gp"])
        ada.send("safeguarding-concern")
        let screening = try #require(ada.state.openTask(.screenContact))
        let error = ada.refused("retry-task", ["task": .string(screening.id.description)])
        #expect(error?.code == .guardFailed)
        #expect(error?.message.contains("practitioner's 'screen-contact' task") == true)
        #expect(ada.refused("cancel-task", ["task": "ada#99"])?.code == .staleTask)
    }

    @Test func withoutAWorkersTaskRetryAndCancelAreNotAccepted() {
        var ada = Driver()
        ada.send("contact", ["name": "Ada", "clientType": "adult", "route": "gp"])
        #expect(!Journey.acceptedEvents(in: ada.state).contains(.retryTask))
        #expect(ada.refused("retry-task", ["task": "ada#1"])?.code == .notAccepted)
    }
}
