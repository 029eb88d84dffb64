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

    @Test func personDetailsAreCheckedNormalisedAndKeptAcrossARereferral() {
        var ada = Driver()
        ada.send(
            "contact",
            ["name": "Ada", "clientType": "adult", "route": "gp", "nhsNumber": "943 476 5919", "postcode": "de1  2ab"])
        #expect(ada.state.person?.details == PersonDetails(nhsNumber: "9434765919", postcode: "DE1 2AB"))
        #expect(ada.effects.contains { if case .enqueue = $0 { true } else { false } })

        // Each field is checked; the refusal names the field and what is wrong, and the case is unchanged.
        let badNumber = ada.refused("record-person-details", ["nhsNumber": "9434765918"])
        #expect(badNumber?.code == .invalidData)
        #expect(badNumber?.field == "nhsNumber")
        #expect(
            badNumber?.message
                == "the 'nhsNumber' in the data of 'record-person-details' cannot be recorded: '9434765918' is not "
                + "an NHS number: 10 digits whose last is the modulus 11 check digit")
        #expect(ada.refused("record-person-details", ["birthMonth": "1941-13"])?.field == "birthMonth")
        #expect(ada.refused("record-person-details", ["birthMonth": "03/1941"])?.field == "birthMonth")
        #expect(ada.refused("record-person-details", ["postcode": "DE1"])?.field == "postcode")
        #expect(ada.refused("record-person-details", ["gender": "m"])?.code == .invalidData)
        #expect(
            Driver("bo").refused("contact", ["name": "Bo", "clientType": "adult", "route": "gp", "nhsNumber": "12"])?
                .field == "nhsNumber")

        // A field left out keeps its value; the assessment records the primary support reason.
        ada.send("record-person-details", ["birthMonth": "1941-03", "gender": "female"])
        #expect(ada.effects.isEmpty)
        ada.send("start-assessment")
        ada.send(
            "assessment-completed",
            ["needs": ["meals"], "outcomes": ["eat well"], "primarySupportReason": "memory-and-cognition"])
        let known = PersonDetails(
            nhsNumber: "9434765919", birthMonth: "1941-03", gender: .female, postcode: "DE1 2AB",
            primarySupportReason: .memoryAndCognition)
        #expect(ada.state.person?.details == known)

        // Closed cases still take corrections (returns cover them), and a re-referral keeps what was known.
        ada.send("close-case", ["reason": "support-declined"])
        ada.send("record-person-details", ["ethnicity": "white-irish"])
        #expect(ada.state.person?.details?.ethnicity == .whiteIrish)
        ada.send("contact", ["name": "Ada", "clientType": "adult", "route": "self-referral", "postcode": "DE22 1AA"])
        var moved = known
        moved.ethnicity = .whiteIrish
        moved.postcode = "DE22 1AA"
        #expect(ada.state.person?.details == moved)
        #expect(ada.state.person?.route == .selfReferral)
    }
}
