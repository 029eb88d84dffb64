import Foundation
import Testing

@testable import CareJourneyCore

/// Rules 5 and 6: sign-off, high-cost approval, and delivery.
@Suite struct PlanningTests {
    @Test func signOffIsRefusedWithEveryMissingItemNamed() throws {
        var ada = Driver()
        ada.toPlanning()
        let error = try #require(ada.refused("sign-off"))
        #expect(error.code == .guardFailed)
        #expect(
            error.missing == [
                "what the person's own resources and network meet", "the personal budget",
                "how the budget is managed (direct payment, council-managed or both)", "how risks are managed",
                "a contingency plan",
            ])
        ada.send("plan-updated", ["directPayment": ["amount": 0, "frequency": "weekly", "purchases": []]])
        #expect(ada.refused("sign-off")?.missing.contains("the direct payment's amount and frequency") == true)
    }

    @Test func signOffConfirmsTheBudgetAndStartsEachPartOfDelivery() throws {
        var ada = Driver()
        ada.toDelivery()
        let signedOff = ada.now
        #expect(ada.state.stage == .delivery)
        #expect(ada.state.budget?.confirmedWeekly == Money(pounds: 320))
        #expect(ada.state.budget?.indicativeWeekly == Money(pounds: 288))
        #expect(ada.state.directPayment.status == .agreementPending)
        #expect(ada.enqueued == ["find-provider@brokerage", "set-up-direct-payment@dp-monitoring"])
        // The review cycle's contract timers.
        #expect(
            ada.state.timers == [
                .reviewInformal: signedOff + hours(72),
                .reviewFirstFormalOpens: signedOff + weeks(6),
                .reviewFirstFormalReminder: signedOff + weeks(8) - days(14),
                .reviewFirstFormalDue: signedOff + weeks(8),
            ])
        ada.send("provider-found", ["provider": "Sunrise", "weeklyCost": 215.5], after: days(2))
        #expect(ada.state.provider?.provider == "Sunrise")
        ada.send("dp-agreement-signed", after: days(1))
        #expect(ada.state.directPayment.status == .active)
        #expect(ada.state.timers[.dpAudit] == Calendar.utc.date(byAdding: .month, value: 12, to: ada.now))
    }

    @Test func aPlanAboveTheThresholdNeedsTheHighCostChecklistAndPanel() throws {
        var ada = Driver()
        ada.toPlanning()
        ada.send("plan-updated", Driver.fullPlan)
        ada.send(
            "plan-updated",
            ["councilManaged": ["services": ["live-in care"], "weeklyCost": 1350], "personalBudget": 1450])
        let refusal = try #require(ada.refused("sign-off"))
        #expect(
            refusal.missing == ["high-cost approval: the plan costs £1,450.00 a week, above the threshold of £1,000.00"]
        )
        let incomplete = try #require(
            ada.refused(
                "request-high-cost-approval",
                [
                    "optionsAppraised": ["agency", "residential"], "leastRestrictive": true,
                    "capacityConsidered": false,
                    "viewsSought": true,
                ]))
        #expect(
            incomplete.missing == [
                "option appraised: personal-assistants", "option appraised: live-in-care", "mental capacity considered",
            ])
        ada.send(
            "request-high-cost-approval", Driver.completeChecklist)
        #expect(ada.enqueued == ["high-cost-panel@high-cost-panel"])
        #expect(ada.refused("sign-off")?.code == .guardFailed)
        ada.send("high-cost-decided", ["approved": true], by: "tm.panel")
        #expect(ada.state.highCost.approvedWeeklyCost == Money(pounds: 1450))
        ada.send("sign-off")
        #expect(ada.state.stage == .delivery)
        // A dearer plan later needs approval again.
        ada.state.stage = .supportPlanning
        ada.send(
            "plan-updated",
            ["councilManaged": ["services": ["live-in care"], "weeklyCost": 1500], "personalBudget": 1600])
        #expect(ada.refused("sign-off")?.missing.first?.hasPrefix("high-cost approval") == true)
    }

    @Test(arguments: [
        ("long-term-residential-care", "long-term residential"),
        ("healthcare", "healthcare"),
        ("council-services", "services from the council itself"),
        ("equipment", "community equipment service"),
    ])
    func aDirectPaymentIsRefusedForWhatTheLawExcludes(purchase: String, reason: String) throws {
        var ada = Driver()
        ada.toPlanning()
        let error = try #require(
            ada.refused(
                "plan-updated",
                [
                    "directPayment": [
                        "amount": 100, "frequency": "weekly", "purchases": ["personal-assistant", .string(purchase)],
                    ]
                ]))
        #expect(error.code == .guardFailed)
        #expect(error.message.hasPrefix("the direct payment is refused"))
        #expect(error.missing.count == 1)
        #expect(error.missing[0].contains(reason))
        #expect(ada.state.plan.directPayment == nil)
    }

    @Test func aCloseRelativeInTheHouseholdOrEquipmentNeedExceptionalCircumstancesRecorded() throws {
        var ada = Driver()
        ada.toPlanning()
        let payment: JSONValue = [
            "amount": 100, "frequency": "four-weekly", "purchases": ["personal-assistant", "equipment"],
            "employsCloseRelativeInHousehold": true,
        ]
        let error = try #require(ada.refused("plan-updated", ["directPayment": payment]))
        #expect(error.missing.count == 2)
        #expect(error.missing[1].contains("close relative living in the same household"))
        guard case .object(var fields) = payment else { return }
        fields["exceptionalCircumstances"] = "only her son can provide intimate care she will accept"
        ada.send("plan-updated", ["directPayment": .object(fields)])
        #expect(ada.state.plan.directPayment?.weeklyEquivalent == Money(pounds: 25))
    }

    @Test func anOpenSafeguardingEnquiryBlocksSignOffUntilArrangementsAreRecordedSafe() throws {
        var ada = Driver()
        ada.toPlanning()
        ada.send("plan-updated", Driver.fullPlan)
        ada.send("safeguarding-concern")
        #expect(ada.state.stage == .supportPlanning)
        ada.send("s42-decision", ["enquiry": true])
        #expect(
            ada.refused("sign-off")?.missing == [
                "the arrangements recorded as safe while the safeguarding enquiry is open"
            ])
        ada.send("safeguarding-arrangements-safe")
        ada.send("sign-off")
        #expect(ada.state.stage == .delivery)
        #expect(ada.state.safeguarding.status == .enquiry)
    }

    @Test func advocacyRuleAppliesAtPlanning() throws {
        var ada = Driver()
        ada.toPlanning()
        ada.send("plan-updated", Driver.fullPlan)
        ada.send("involvement-assessed", ["substantialDifficulty": true])
        #expect(ada.refused("sign-off")?.missing.first?.hasPrefix("an independent advocate involved") == true)
        ada.send("advocate-allocated", ["advocate": "Voice Ability"])
        ada.send("sign-off")
        #expect(ada.state.stage == .delivery)
    }

    @Test func signOffNeedsNeedsOutcomesAndEligibleNeeds() throws {
        var ada = Driver()
        ada.toPlanning()
        ada.send("plan-updated", Driver.fullPlan)
        ada.send("plan-updated", ["needs": [], "eligibleNeeds": []])
        #expect(
            ada.refused("sign-off")?.missing == [
                "needs and outcomes", "eligible needs (and which needs are not eligible)",
            ])
    }

    @Test func thePlanMustFitThePersonalBudget() throws {
        var ada = Driver()
        ada.toPlanning()
        ada.send("plan-updated", Driver.fullPlan)
        ada.send("plan-updated", ["personalBudget": 300])
        #expect(
            ada.refused("sign-off")?.missing == [
                "the plan's weekly cost (£320.00) within the personal budget (£300.00)"
            ])
    }

    @Test func thePanelApprovesTheCostItWasAskedAboutNotALaterOne() throws {
        var ada = Driver()
        ada.toPlanning()
        ada.send("plan-updated", Driver.fullPlan)
        ada.send(
            "plan-updated",
            ["councilManaged": ["services": ["live-in care"], "weeklyCost": 1000], "personalBudget": 5100])
        ada.send(
            "request-high-cost-approval", Driver.completeChecklist)
        ada.send(
            "plan-updated", ["councilManaged": ["services": ["live-in care", "waking nights"], "weeklyCost": 5000]])
        ada.send("high-cost-decided", ["approved": true], by: "tm.panel")
        #expect(ada.state.highCost.approvedWeeklyCost == Money(pounds: 1100))
        #expect(
            ada.refused("sign-off")?.missing == [
                "high-cost approval: the plan costs £5,100.00 a week, above the threshold of £1,000.00"
            ])
    }

}

extension Calendar {
    static let utc: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()
}
