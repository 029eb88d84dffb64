import Foundation
import Testing

@testable import CareJourneyCore

/// `policy-applied`: pending timers are recomputed from the dates they count from.
@Suite struct PolicyChangeTests {
    @Test func pendingTimersMoveToWhereTheNewPolicyPutsThem() throws {
        var ada = Driver()
        ada.toDelivery()
        let signedOff = try #require(ada.state.firstSignedOffAt)
        ada.send("dp-agreement-signed", after: days(1))
        let agreed = ada.now
        ada.fire(.reviewInformal)
        var stricter = testPolicy
        stricter.reviews.firstFormalOpens = .weeks(4)
        stricter.reviews.firstFormalDue = .weeks(6)
        stricter.directPayments.auditEvery = .months(6)
        let change = try Journey.apply(
            .policyApplied(PolicyChange(policy: "stricter")), to: ada.state, at: ada.now, by: "policy", policy: stricter)
        #expect(
            change.state.timers == [
                .reviewFirstFormalOpens: signedOff + weeks(4),
                .reviewFirstFormalReminder: signedOff + weeks(6) - days(14),
                .reviewFirstFormalDue: signedOff + weeks(6),
                .dpAudit: Calendar.utc.date(byAdding: .month, value: 6, to: agreed)!,
            ])
        #expect(change.effects.count == 4)
        #expect(change.state.stage == ada.state.stage)
        // The same policy again changes nothing.
        let again = try Journey.apply(
            .policyApplied(PolicyChange(policy: "stricter")), to: change.state, at: ada.now, by: "policy", policy: stricter)
        #expect(again.effects.isEmpty)
    }

    @Test func reablementChecksFollowANewInterval() throws {
        var ada = Driver()
        ada.send("contact", ["name": "Ada", "clientType": "adult", "route": "gp"])
        ada.send("offer-reablement")
        ada.fire(.reablementCheck)
        var fortnightly = testPolicy
        fortnightly.reablement.checkEvery = .weeks(2)
        fortnightly.reablement.maximum = .weeks(8)
        let change = try Journey.apply(
            .policyApplied(PolicyChange(policy: "f")), to: ada.state, at: ada.now, by: "policy", policy: fortnightly)
        #expect(change.state.timers == [.reablementCheck: t0 + weeks(4), .reablementEnd: t0 + weeks(8)])
        #expect(change.state.reablement?.endsAt == t0 + weeks(8))
    }
}
