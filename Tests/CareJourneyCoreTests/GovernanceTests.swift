import Foundation
import Testing

@testable import CareJourneyCore

/// Legal holds and corrections: accepted at any stage, closed too, with a reason, by a manager; they change nothing
/// the journey does.
@Suite struct LegalHoldTests {
    @Test func aHoldRecordsWhoWhenAndWhyAndIsReleasedAtAnyStageClosedToo() throws {
        var ada = Driver()
        ada.send("contact", ["name": "Ada", "clientType": "adult", "route": "gp"])
        #expect(Journey.acceptedEvents(in: ada.state).contains(.hold))
        #expect(!Journey.acceptedEvents(in: ada.state).contains(.releaseHold))
        let before = ada.state
        ada.send("hold", ["reason": "a claim against the council"], after: hours(1), by: "m.patel")
        #expect(ada.state.hold == LegalHold(by: "m.patel", at: t0 + hours(1), reason: "a claim against the council"))
        #expect(ada.effects.isEmpty)
        var unheld = ada.state
        unheld.hold = nil
        #expect(unheld == before)
        // Held already: a second hold is not accepted; release is.
        #expect(ada.refused("hold", ["reason": "again"])?.code == .notAccepted)
        #expect(Journey.acceptedEvents(in: ada.state).contains(.releaseHold))

        ada.send("give-information-and-advice")
        #expect(ada.state.stage == .closed)
        #expect(ada.state.hold != nil)
        // A re-referral is a new episode of the same record: the hold stays on it.
        ada.send("contact", ["name": "Ada", "clientType": "adult", "route": "gp"], after: days(30))
        #expect(ada.state.hold?.by == "m.patel")
        ada.send("give-information-and-advice")
        ada.send("release-hold", ["reason": "the claim is settled"], after: days(1), by: "m.patel")
        #expect(ada.state.hold == nil)
        #expect(ada.state.stage == .closed)
    }

    @Test func aHoldOrReleaseNeedsAReasonThatSaysSomething() throws {
        var ada = Driver()
        ada.send("contact", ["name": "Ada", "clientType": "adult", "route": "gp"])
        let blank = try #require(ada.refused("hold", ["reason": "  "]))
        #expect(blank.code == .invalidData)
        #expect(blank.field == "reason")
        let missing = try #require(ada.refused("hold", [:]))
        #expect(missing.message == "the data of 'hold' is missing the field 'reason'")
        ada.send("hold", ["reason": "inquiry"])
        #expect(ada.refused("release-hold", ["reason": ""])?.field == "reason")
    }

    @Test func holdsAndCorrectionsNeedAManager() {
        for name in [EventName.hold, .releaseHold, .correctRecord] {
            #expect(EventCatalog.minimumRole(of: name) == .manager)
            for sample in EventCatalog.samples(of: name) {
                #expect(EventCatalog.minimumRole(of: event(name.rawValue, sample)) == .manager)
            }
        }
    }

    /// The explorer walks a held case as its unheld twin (`Signature`): held cases keep the promises themselves.
    @Test func heldCasesKeepEveryPromiseAtEveryStage() {
        let explorer = JourneyExplorer(policy: testPolicy)
        var bo = Driver("bo")
        bo.send("contact", ["name": "Bo", "clientType": "adult", "route": "gp"])
        var ada = Driver()
        ada.toDelivery()
        var states = [bo.state, ada.state]
        ada.send("close-case", ["reason": "needs-met"])
        states.append(ada.state)
        for var state in states {
            state.hold = LegalHold(by: "m.patel", at: t0, reason: "inquiry")
            #expect(explorer.violations(in: state, at: ada.now) == [], "\(state.stage)")
            #expect(Journey.acceptedEvents(in: state).contains(.releaseHold))
        }
    }
}

@Suite struct CorrectionTests {
    static let contact: JSONValue = [
        "name": "Ada Lovelace", "clientType": "adult", "route": "gp", "nhsNumber": "943 476 5919",
        "summary": "a fall",
    ]

    func correction(_ data: JSONValue) throws -> Correction {
        guard case .correctRecord(let correction) = try Event(name: "correct-record", data: data) else {
            throw TransitionError(.invalidData, "not a correction")
        }
        return correction
    }

    @Test func theCorrectedEventIsReadByTheCoresOwnReader() throws {
        let fixed = try correction(["event": 1, "field": "nhsNumber", "value": "401 023 2137", "reason": "mistyped"])
            .corrected(.contact, data: Self.contact)
        guard case .contact(let contact) = fixed else { throw TransitionError(.invalidData, "not a contact") }
        #expect(contact.nhsNumber == "401 023 2137")
        #expect(contact.name == "Ada Lovelace")

        let removed = try correction(["event": 1, "field": "summary", "remove": true, "reason": "another case's"])
            .corrected(.contact, data: Self.contact)
        guard case .contact(let withoutSummary) = removed else { throw TransitionError(.invalidData, "not a contact") }
        #expect(withoutSummary.summary == nil)

        let plan: JSONValue = ["councilManaged": ["services": ["home care", "meals"], "weeklyCost": 220]]
        let nested = try correction([
            "event": 6, "field": "councilManaged.services[1]", "value": "day care", "reason": "r",
        ])
        .corrected(.planUpdated, data: plan)
        guard case .planUpdated(let update) = nested else { throw TransitionError(.invalidData, "not a plan") }
        #expect(update.councilManaged?.services == ["home care", "day care"])
    }

    @Test(
        arguments: [
            (
                ["event": 1, "field": "nhsNumber", "value": "943 476 5919", "reason": "r"], "value",
                "already has this value"
            ),
            (["event": 1, "field": "religion", "value": "x", "reason": "r"], "field", "has no field 'religion'"),
            (["event": 1, "field": "clientType", "value": "child", "reason": "r"], "value", "'child' is not one of"),
            (["event": 1, "field": "route", "remove": true, "reason": "r"], "value", "missing the field 'route'"),
            (["event": 1, "field": "name", "reason": "r"], "value", "say what is right"),
            (["event": 1, "field": "name..x", "value": "x", "reason": "r"], "field", "is not a field"),
        ] as [(JSONValue, String, String)])
    func aCorrectionThatMakesNoSenseIsRefusedNamingWhy(data: JSONValue, field: String, words: String) throws {
        let error = try #require(throws: TransitionError.self) {
            try correction(data).corrected(.contact, data: Self.contact)
        }
        #expect(error.code == .invalidData)
        #expect(error.field == field, "\(error.message)")
        #expect(error.message.contains(words), "\(error.message)")
    }

    @Test func theServicesOwnEventsAndCorrectionsCannotBeCorrected() throws {
        let fix = try correction(["event": 3, "field": "due", "value": "2026-01-01T00:00:00Z", "reason": "r"])
        for name in [EventName.timerFired, .policyApplied, .correctRecord] {
            let error = try #require(throws: TransitionError.self) { try fix.corrected(name, data: ["due": "x"]) }
            #expect(error.field == "event")
        }
    }

    @Test func theCorrectionsOwnEventKeepsNoValueAndChangesNothingInTheCore() throws {
        var ada = Driver()
        ada.send("contact", Self.contact)
        let before = ada.state
        let data: JSONValue = ["event": 1, "field": "nhsNumber", "value": "401 023 2137", "reason": "mistyped"]
        ada.send("correct-record", data, by: "m.patel")
        #expect(ada.state == before)
        #expect(ada.effects.isEmpty)
        let recorded = try correction(data).recorded
        #expect(recorded.value == nil)
        #expect(!Event.correctRecord(recorded).data.keys.contains("value"))
        // What is stored reads back, and replays as it was applied.
        #expect(try Event(name: "correct-record", data: Event.correctRecord(recorded).data) == .correctRecord(recorded))
        #expect(
            ada.refused("correct-record", ["event": 0, "field": "name", "value": "x", "reason": "r"])?.field == "event")
        #expect(
            ada.refused("correct-record", ["event": 1, "field": "name", "value": "x", "remove": true, "reason": "r"])?
                .field == "value")
        #expect(
            ada.refused("correct-record", ["event": 1, "field": "name", "value": "x", "reason": " "])?.field == "reason"
        )
    }

    @Test func aCorrectionMayNotChangeWhereTheCaseStands() {
        var ada = Driver()
        ada.toDelivery()
        #expect(Correction.changes(from: ada.state, to: ada.state) == [])
        var moved = ada.state
        moved.stage = .review
        moved.timers = [:]
        #expect(
            Correction.changes(from: ada.state, to: moved) == [
                "its stage (delivery, then review)", "its pending timers",
            ])
        var renamed = ada.state
        renamed.person?.name = "Ada King"
        #expect(Correction.changes(from: ada.state, to: renamed) == [])
    }
}
