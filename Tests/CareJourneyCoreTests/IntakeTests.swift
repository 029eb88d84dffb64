import Foundation
import Testing

@testable import CareJourneyCore

/// Rules 1 and 2: contact and reablement.
@Suite struct IntakeTests {
    @Test func contactRecordsThePersonAndAsksForScreening() {
        var ada = Driver()
        let transition = ada.send("contact", ["name": "Ada", "clientType": "adult", "route": "hospital-discharge"])
        #expect(ada.state.stage == .contact)
        #expect(ada.state.person == Person(name: "Ada", clientType: .adult, route: .hospitalDischarge, caredFor: nil))
        #expect(ada.state.openedAt == t0)
        let screen = CareTask(
            id: TaskID(caseID: "ada", number: 1), kind: .screenContact, queue: "practice", createdAt: t0)
        #expect(transition?.effects == [.enqueue(screen)])
    }

    @Test func informationAndAdviceClosesWithThatReason() {
        var ada = Driver()
        ada.send("contact", ["name": "Ada", "clientType": "adult", "route": "self-referral"])
        ada.send("give-information-and-advice", after: hours(1))
        #expect(ada.state.stage == .closed)
        #expect(ada.state.closure == Closure(reason: .informationAndAdvice, at: t0 + hours(1)))
        #expect(
            ada.effects == [.resolveTask(TaskID(caseID: "ada", number: 1), .withdrawn), .close(.informationAndAdvice)])
        #expect(!ada.state.hasNextStep)
    }

    @Test func interimCrisisSupportIsFollowedByAssessment() {
        var ada = Driver()
        ada.send("contact", ["name": "Ada", "clientType": "adult", "route": "police"])
        ada.send("start-interim-support")
        #expect(ada.state.stage == .interimSupport)
        #expect(ada.openTaskKinds == ["arrange-interim-support", "schedule-assessment"])
        #expect(ada.refused("assessment-completed", ["needs": ["x"], "outcomes": ["y"]])?.code == .notAccepted)
        ada.send("interim-support-arranged", ["provider": "Rapid Response", "weeklyCost": 310])
        #expect(ada.state.interimProvider == "Rapid Response")
        ada.send("start-assessment", after: days(2))
        #expect(ada.state.stage == .assessment)
        #expect(ada.openTaskKinds == ["assess-needs"])
    }

    @Test func reablementIsCheckedWeeklyUpToItsMaximum() {
        var ada = Driver()
        ada.send("contact", ["name": "Ada", "clientType": "adult", "route": "hospital-discharge"])
        ada.send("offer-reablement")
        #expect(ada.state.stage == .reablement)
        #expect(ada.state.reablement?.endsAt == t0 + weeks(6))
        #expect(ada.state.timers == [.reablementCheck: t0 + weeks(1), .reablementEnd: t0 + weeks(6)])
        for week in 1...5 {
            ada.fire(.reablementCheck)
            #expect(ada.enqueued == ["reablement-check@practice"], "week \(week)")
            ada.send("reablement-progress-checked", after: hours(2))
        }
        // The fifth check does not schedule a sixth on the day reablement ends: the end decides.
        #expect(ada.state.timers == [.reablementEnd: t0 + weeks(6)])
        #expect(ada.state.reablement?.checksRecorded == 5)
        ada.send("reablement-ended", ["outcome": "independent"], after: days(1))
        #expect(ada.state.closure?.reason == .independenceRegained)
        #expect(ada.effects.contains(.cancelTimer(.reablementEnd)))
    }

    @Test func reablementReachingItsMaximumEscalatesAndNeverSilentlyContinues() {
        var ada = Driver()
        ada.send("contact", ["name": "Ada", "clientType": "adult", "route": "gp"])
        ada.send("offer-reablement")
        ada.fire(.reablementCheck)
        ada.fire(.reablementEnd)
        #expect(ada.now == t0 + weeks(6))
        #expect(ada.state.stage == .reablement)
        #expect(ada.state.reablement?.overran == true)
        #expect(ada.state.timers.isEmpty)
        #expect(ada.enqueued == ["escalate-reablement-overrun@team-manager"])
        #expect(
            ada.effects.contains(
                .notify(
                    Notice(
                        .reablementOverrun,
                        "reablement reached its free maximum of 6w without an outcome; it needs a decision"))))
        ada.send("reablement-ended", ["outcome": "needs-remain"], after: days(1))
        #expect(ada.state.stage == .assessment)
        #expect(ada.openTaskKinds == ["assess-needs"])
    }

    @Test func anEventTheStageDoesNotAcceptNamesTheStageTheEventAndWhatItAccepts() throws {
        var ada = Driver()
        ada.send("contact", ["name": "Ada", "clientType": "adult", "route": "gp"])
        let error = try #require(ada.refused("sign-off"))
        #expect(error.code == .notAccepted)
        #expect(error.stage == .contact)
        #expect(error.event == "sign-off")
        #expect(
            error.accepted.starts(with: [
                .giveInformationAndAdvice, .offerReablement, .startInterimSupport, .startAssessment,
            ]))
        #expect(
            error.message.contains(
                "stage 'contact' does not accept 'sign-off'; it accepts: give-information-and-advice"))
    }

    @Test func everyCloseCarriesAReason() throws {
        var ada = Driver()
        ada.send("contact", ["name": "Ada", "clientType": "adult", "route": "gp"])
        let error = try #require(ada.refused("close-case"))
        #expect(error.code == .invalidData)
        #expect(error.message.contains("missing the field 'reason'"))
        ada.send("close-case", ["reason": "deceased"])
        #expect(ada.state.closure?.reason == .deceased)
    }

    @Test func reasonsWithTheirOwnEventCannotBeUsedToCloseDirectly() throws {
        var ada = Driver()
        ada.toDelivery()
        let error = try #require(ada.refused("close-case", ["reason": "moved-to-another-council"]))
        #expect(error.code == .guardFailed)
        #expect(error.message.contains("through the 'moved-to-another-council' event"))
        #expect(ada.refused("close-case", ["reason": "not-eligible"])?.missing == ["the 'eligibility-decided' event"])
        ada.send("close-case", ["reason": "deceased"])
        #expect(ada.openTaskKinds == ["end-services"])
    }

    @Test func aClosedCaseCanBeReferredAgainAsANewEpisode() {
        var ada = Driver()
        ada.toDelivery()
        ada.send("complaint-received")
        ada.send("close-case", ["reason": "support-declined"])
        ada.send("contact", ["name": "Ada", "clientType": "adult", "route": "hospital-discharge"], after: weeks(20))
        #expect(ada.state.stage == .contact)
        #expect(ada.state.closure == nil)
        #expect(ada.state.budget == nil)
        #expect(ada.state.plan == SupportPlan())
        #expect(ada.state.person?.route == .hospitalDischarge)
        // Work that outlives a closure carries over: the complaint and the end of the old services.
        #expect(ada.state.complaint.status == .received)
        #expect(ada.openTaskKinds == ["complaint-resolution", "end-services", "screen-contact"])
    }

    @Test func aTimerNeverFiresBeforeItIsDue() throws {
        var ada = Driver()
        ada.send("contact", ["name": "Ada", "clientType": "adult", "route": "gp"])
        ada.send("offer-reablement")
        let due = try #require(ada.state.timers[.reablementEnd])
        do {
            _ = try Journey.apply(
                .timerFired(TimerFire(timer: .reablementEnd, due: due)), to: ada.state, at: t0, by: "timer", policy: testPolicy)
            Issue.record("the timer fired six weeks early")
        } catch {
            #expect(error.code == .staleTimer)
            #expect(error.message.contains("is not due until"))
        }
    }
}
