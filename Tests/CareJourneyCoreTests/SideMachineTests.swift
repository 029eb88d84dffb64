import Foundation
import Testing

@testable import CareJourneyCore

/// Rules 8–11: safeguarding, complaints, direct-payment audits and transfers.
@Suite struct SideMachineTests {
    @Test func safeguardingRunsBesideTheJourneyAndAnOutcomeCanTriggerAReview() {
        var ada = Driver()
        ada.send("contact", ["name": "Ada", "clientType": "adult", "route": "gp"])
        ada.send("start-assessment")
        ada.send("safeguarding-concern")
        #expect(ada.state.stage == .assessment)
        #expect(ada.enqueued == ["safeguarding-decision@safeguarding"])
        ada.send("s42-decision", ["enquiry": false], by: "tm.lead")
        #expect(ada.state.safeguarding.status == .none)
        #expect(ada.state.safeguarding.lastOutcome == .noFurtherAction)

        var bob = Driver("bob")
        bob.toDelivery()
        bob.send("safeguarding-concern")
        bob.send("s42-decision", ["enquiry": true])
        #expect(bob.enqueued == ["safeguarding-enquiry@safeguarding"])
        bob.send("safeguarding-concluded", ["outcome": "risk-reduced", "reviewNeeded": true], by: "tm.lead")
        #expect(bob.state.stage == .review)
        #expect(bob.state.reviews.current?.reason == .safeguarding)
    }

    @Test func complaintsRunBesideTheJourneyEvenAfterClosing() {
        var ada = Driver()
        ada.send("contact", ["name": "Ada", "clientType": "adult", "route": "gp"])
        ada.send("give-information-and-advice")
        ada.send("complaint-received")
        #expect(ada.state.stage == .closed)
        #expect(ada.enqueued == ["complaint-resolution@complaints"])
        ada.send("complaint-resolution-started")
        ada.send("complaint-concluded", ["outcome": "not-upheld"])
        #expect(ada.state.complaint == Complaint(status: .none, received: 1, lastOutcome: .notUpheld))
        #expect(ada.state.tasks.isEmpty)
    }

    @Test func theYearlyAuditGoesToMonitoringAndUnspentMoneyIsReclaimedAndReviewed() throws {
        var ada = Driver()
        ada.toDelivery()
        ada.send("dp-agreement-signed")
        let firstAudit = try #require(ada.state.timers[.dpAudit])
        ada.fire(.reviewInformal)
        ada.fire(.reviewFirstFormalOpens)
        ada.send("start-review", ["type": "first-formal"])
        ada.send("review-completed", ["outcome": "no-change"])
        ada.fire(.dpAudit)
        #expect(ada.now == firstAudit)
        #expect(ada.enqueued == ["dp-audit@dp-monitoring"])
        #expect(ada.state.timers[.dpAudit] == Calendar.utc.date(byAdding: .month, value: 12, to: firstAudit))
        ada.send("dp-audit-completed", ["unspent": 640], after: days(10))
        #expect(ada.state.directPayment.reclaimed == Money(pounds: 640))
        #expect(ada.state.stage == .review)
        #expect(ada.state.reviews.current == ReviewInProgress(type: .unplanned, reason: .dpAudit, startedAt: ada.now))
        #expect(
            ada.effects.contains(
                .notify(Notice(.reclaimRecorded, "the direct payment audit found £640.00 unspent; it is reclaimed"))))
    }

    @Test func anAuditWithNothingUnspentChangesNothingElse() {
        var ada = Driver()
        ada.toDelivery()
        ada.send("dp-agreement-signed")
        ada.fire(.dpAudit)
        ada.send("dp-audit-completed", ["unspent": 0])
        #expect(ada.state.stage == .delivery)
        #expect(ada.state.directPayment.audits == 1)
    }

    @Test func fundingContinuesForThePolicysPeriodAfterAMoveThenTheCaseCloses() throws {
        var ada = Driver()
        ada.toDelivery()
        ada.send("moved-to-another-council", ["council": "Nottinghamshire"], after: weeks(10))
        #expect(ada.state.stage == .transferring)
        #expect(ada.state.timers == [.transferFundingEnds: ada.now + weeks(6)])
        #expect(ada.openTaskKinds == ["transfer-handover"])
        ada.fire(.transferFundingEnds)
        #expect(ada.state.closure == Closure(reason: .movedToAnotherCouncil, at: ada.now))

        var bob = Driver("bob")
        bob.send("contact", ["name": "Bob", "clientType": "adult", "route": "gp"])
        bob.send("moved-to-another-council", ["council": "Leeds"])
        #expect(bob.state.closure?.reason == .movedToAnotherCouncil)
    }

    @Test func aReplyForATaskAlreadyCompletedIsStale() throws {
        var ada = Driver()
        ada.toDelivery()
        let task = try #require(ada.state.openTask(.findProvider)).id
        let other = try #require(ada.state.openTask(.setUpDirectPayment)).id
        let wrongKind = try #require(
            ada.refused("provider-found", ["provider": "Other", "weeklyCost": 210, "task": .string(other.description)]))
        #expect(wrongKind.code == .staleTask)
        ada.send("provider-found", ["provider": "Sunrise", "weeklyCost": 200, "task": .string(task.description)])
        // The task is done, so the reply is no longer accepted at all, and the first answer stands.
        let again = try #require(
            ada.refused("provider-found", ["provider": "Other", "weeklyCost": 210, "task": .string(task.description)]))
        #expect(again.code == .notAccepted)
        #expect(ada.state.provider?.provider == "Sunrise")
    }

    @Test func aReviewNeededOutsideDeliveryBecomesATaskAndANotice() {
        var ada = Driver()
        ada.toPlanning()
        ada.send("safeguarding-concern")
        ada.send("s42-decision", ["enquiry": true])
        ada.send("safeguarding-concluded", ["outcome": "risk-reduced", "reviewNeeded": true], by: "tm.lead")
        #expect(ada.state.stage == .supportPlanning)
        #expect(ada.enqueued == ["conduct-review@practice"])
        #expect(ada.effects.contains(.notify(Notice(.reviewRequested, "an unplanned review is needed (safeguarding)"))))
    }
}
