import Foundation
import Testing

@testable import CareJourneyCore

/// Rules 3 and 4: assessment, advocacy, eligibility and the indicative budget.
@Suite struct AssessmentTests {
    @Test func aPersonGetsANeedsAssessmentAndACarerACarersAssessment() {
        var ada = Driver("ada")
        ada.send("contact", ["name": "Ada", "clientType": "adult", "route": "gp"])
        ada.send("start-assessment")
        #expect(ada.state.assessment?.kind == .needs)
        var cara = Driver("cara")
        cara.send("contact", ["name": "Cara", "clientType": "carer", "route": "self-referral", "caredFor": "Bob"])
        cara.send("start-assessment")
        #expect(cara.state.assessment?.kind == .carer)
        #expect(cara.state.person?.caredFor == "Bob")
    }

    @Test func anAdvocateMustBeInvolvedBeforeTheAssessmentCompletes() throws {
        var ada = Driver()
        ada.send("contact", ["name": "Ada", "clientType": "adult", "route": "gp"])
        ada.send("start-assessment", ["substantialDifficulty": true, "appropriatePerson": false])
        #expect(ada.enqueued == ["assess-needs@practice", "refer-advocacy@advocacy"])
        #expect(ada.state.advocacy.status == .referred)
        let error = try #require(ada.refused("assessment-completed", ["needs": ["care"], "outcomes": ["home"]]))
        #expect(error.code == .guardFailed)
        #expect(error.missing.first?.hasPrefix("an independent advocate involved") == true)
        ada.send("advocate-allocated", ["advocate": "Advocacy Partners"])
        #expect(ada.state.advocacy == Advocacy(status: .involved, advocate: "Advocacy Partners"))
        ada.send("assessment-completed", ["needs": ["care"], "outcomes": ["home"]])
        #expect(ada.state.stage == .eligibility)
    }

    @Test func anAppropriatePersonMeansNoAdvocate() {
        var ada = Driver()
        ada.send("contact", ["name": "Ada", "clientType": "adult", "route": "gp"])
        ada.send("start-assessment", ["substantialDifficulty": true, "appropriatePerson": true])
        #expect(ada.state.advocacy.status == .notRequired)
        #expect(ada.openTaskKinds == ["assess-needs"])
    }

    @Test func notEligibleGivesInformationAndAdviceInWritingAndCloses() {
        var ada = Driver()
        ada.send("contact", ["name": "Ada", "clientType": "adult", "route": "gp"])
        ada.send("start-assessment")
        ada.send("assessment-completed", ["needs": ["shopping"], "outcomes": ["get out more"]])
        ada.send("eligibility-decided", ["eligible": false, "reason": "does not meet the threshold"])
        #expect(ada.state.closure?.reason == .notEligible)
        #expect(ada.state.eligibility?.eligible == false)
        #expect(ada.enqueued == ["written-notification@notifications"])
        #expect(ada.openTaskKinds == ["written-notification"])
        ada.send("notification-sent")
        #expect(ada.state.tasks.isEmpty)
    }

    @Test func aCarerReliedOnIsOfferedTheirOwnAssessment() {
        var ada = Driver()
        ada.send("contact", ["name": "Ada", "clientType": "adult", "route": "gp"])
        ada.send("start-assessment")
        ada.send("assessment-completed", ["needs": ["care"], "outcomes": ["home"], "carerReliedOn": true])
        #expect(ada.openTaskKinds == ["decide-eligibility", "offer-carer-assessment"])
    }

    @Test func theIndicativeBudgetComesFromTheRASBandModeratedByInformalSupport() throws {
        var ada = Driver()
        ada.toPlanning()
        // 45 points is the £320 band; "some" informal support takes 10 % off.
        #expect(
            ada.state.budget
                == PersonalBudget(
                    points: 45, informalSupport: .some, indicativeWeekly: Money(pounds: 288), confirmedWeekly: nil))
        #expect(ada.state.stage == .supportPlanning)
        // The plan starts from the assessment and the eligibility decision.
        #expect(ada.state.plan.needs == ["personal care", "meals"])
        #expect(ada.state.plan.eligibleNeeds == ["personal care"])
        #expect(ada.state.plan.ineligibleNeeds == ["meals"])
    }

    @Test func pointsOutsideTheBandsAreRefusedWithTheBandsNamed() throws {
        var ada = Driver()
        ada.send("contact", ["name": "Ada", "clientType": "adult", "route": "gp"])
        ada.send("start-assessment")
        ada.send("assessment-completed", ["needs": ["care"], "outcomes": ["home"]])
        ada.send("eligibility-decided", ["eligible": true])
        let error = try #require(ada.refused("ras-completed", ["points": 151, "informalSupport": "none"]))
        #expect(error.code == .invalidData)
        #expect(error.message.contains("outside the policy's bands (0–150)"))
    }

    @Test func notEligibleNeedsItsWrittenReasons() throws {
        var ada = Driver()
        ada.send("contact", ["name": "Ada", "clientType": "adult", "route": "gp"])
        ada.send("start-assessment")
        ada.send("assessment-completed", ["needs": ["shopping"], "outcomes": ["get out"]])
        let error = try #require(ada.refused("eligibility-decided", ["eligible": false]))
        #expect(error.code == .invalidData)
        #expect(error.message.contains("must give its 'reason'"))
    }

    @Test func aCarerWhoAcceptsGetsACaseOfTheirOwn() throws {
        var ada = Driver()
        ada.send("contact", ["name": "Ada", "clientType": "adult", "route": "gp"])
        ada.send("start-assessment")
        ada.send("assessment-completed", ["needs": ["care"], "outcomes": ["home"], "carerReliedOn": true])
        #expect(ada.refused("carer-assessment-offered", ["accepted": true])?.message.contains("'carerName'") == true)
        ada.send("carer-assessment-offered", ["accepted": true, "carerName": "Carl"])
        #expect(
            ada.effects.last
                == .openCase(
                    Contact(
                        name: "Carl", clientType: .carer, route: .other, caredFor: "Ada", summary: nil,
                        details: PersonDetails(caredForIDs: ["ada"]))))
        #expect(!ada.openTaskKinds.contains("offer-carer-assessment"))
    }

    @Test func aReassessmentRefreshesThePlanFromTheNewAssessment() {
        var ada = Driver()
        ada.toDelivery()
        ada.send("start-review", ["type": "unplanned", "reason": "change-of-circumstances"])
        ada.send("review-completed", ["outcome": "re-assessment"])
        ada.send("assessment-completed", ["needs": ["personal care", "night care"], "outcomes": ["sleep safely"]])
        ada.send("eligibility-decided", ["eligible": true])
        #expect(ada.state.plan.needs == ["personal care", "night care"])
        #expect(ada.state.plan.outcomes == ["sleep safely"])
        #expect(ada.state.plan.eligibleNeeds == ["personal care", "night care"])
        #expect(ada.state.plan.ineligibleNeeds == [])
    }
}
