import Foundation
import Testing

@testable import CareJourneyCore

/// Who may take a decision: the minimum role of each event, four eyes where money and safety are at stake, and
/// amounts of money that can be nothing but mistakes.
@Suite struct DecisionRulesTests {
    // MARK: Minimum roles

    @Test func everydayStepsNeedAPractitionerAndDecisionsOnMoneyAndSafetyAManager() throws {
        func role(_ name: String, _ data: JSONValue = [:]) throws -> Role {
            EventCatalog.minimumRole(of: try Event(name: name, data: data))
        }
        #expect(try role("start-assessment") == .practitioner)
        #expect(try role("plan-updated", ["needs": ["meals"]]) == .practitioner)
        #expect(try role("sign-off") == .practitioner)
        #expect(try role("high-cost-decided", ["approved": true]) == .manager)
        #expect(try role("s42-decision", ["enquiry": false]) == .manager)
        #expect(try role("safeguarding-concluded", ["outcome": "risk-removed"]) == .manager)
        #expect(try role("close-case", ["reason": "deceased"]) == .manager)
        #expect(try role("close-case", ["reason": "nhs-funded"]) == .manager)
        #expect(try role("close-case", ["reason": "support-declined"]) == .practitioner)
        #expect(try role("policy-applied", ["policy": "derbyshire"]) == .admin)
        // By name, whatever the data: close-case may be sent by a practitioner (for some reasons).
        #expect(EventCatalog.minimumRole(of: .closeCase) == .practitioner)
        #expect(EventCatalog.minimumRole(of: .highCostDecided) == .manager)
        #expect(EventCatalog.minimumRole(of: .timerFired) == .admin)
    }

    @Test func aPolicyRaisesAMinimumButTheCatalogsStillHolds() throws {
        var policy = testPolicy
        policy.minimumRoles = [.signOff: .manager, .closeCase: .manager]
        #expect(policy.minimumRole(of: try Event(name: "sign-off", data: [:])) == .manager)
        #expect(policy.minimumRole(of: .signOff) == .manager)
        #expect(policy.minimumRole(of: try Event(name: "close-case", data: ["reason": "needs-met"])) == .manager)
        #expect(policy.minimumRole(of: .startAssessment) == .practitioner)
        // A policy that names a lower role than the catalog's does not lower it.
        policy.minimumRoles = [.highCostDecided: .practitioner]
        #expect(policy.minimumRole(of: try Event(name: "high-cost-decided", data: ["approved": true])) == .manager)
    }

    // MARK: Four eyes

    @Test func whoeverWroteThePlanOrAskedForApprovalCannotApproveAHighCostPlan() throws {
        var ada = Driver()
        ada.toPlanning()
        ada.send("plan-updated", Driver.fullPlan, by: "sw.writer")
        ada.send(
            "plan-updated", ["councilManaged": ["services": ["live-in care"], "weeklyCost": 1450], "personalBudget": 1600],
            by: "sw.second")
        ada.send("request-high-cost-approval", Driver.completeChecklist, by: "sw.asker")

        let byWriter = try #require(ada.refused("high-cost-decided", ["approved": true], by: "sw.second"))
        #expect(byWriter.code == .guardFailed)
        #expect(byWriter.missing == ["sw.second wrote the plan"])
        #expect(byWriter.message.hasPrefix("four eyes: "))
        let byAsker = try #require(ada.refused("high-cost-decided", ["approved": true], by: "sw.asker"))
        #expect(byAsker.missing == ["sw.asker asked for this approval"])
        // Returning the plan to its writers is no approval: anyone on the panel may do it.
        #expect(ada.refused("high-cost-decided", ["approved": false, "reason": "appraise a PA"], by: "sw.asker") == nil)

        ada.send("high-cost-decided", ["approved": true], by: "tm.panel")
        #expect(ada.state.highCost.status == .approved)
        ada.send("sign-off")
        // Sign-off starts a new plan's writing: the next plan's writers are counted afresh.
        #expect(ada.state.planWriters == nil)
    }

    @Test func whoeverRaisedASafeguardingConcernCannotEndItAlone() throws {
        var ada = Driver()
        ada.toDelivery()
        ada.send("safeguarding-concern", by: "sw.raiser")
        #expect(ada.state.safeguarding.raisedBy == "sw.raiser")
        let ended = try #require(ada.refused("s42-decision", ["enquiry": false], by: "sw.raiser"))
        #expect(ended.code == .guardFailed)
        #expect(ended.missing == ["someone other than sw.raiser, who raised the concern, to decide that no enquiry is needed"])
        // Deciding that an enquiry is needed takes the concern further, not away: the raiser may.
        ada.send("s42-decision", ["enquiry": true], by: "sw.raiser")
        let concluded = try #require(
            ada.refused("safeguarding-concluded", ["outcome": "risk-removed"], by: "sw.raiser"))
        #expect(concluded.code == .guardFailed)
        #expect(concluded.missing == ["someone other than sw.raiser, who raised the concern, to conclude it"])
        ada.send("safeguarding-concluded", ["outcome": "risk-removed"], by: "tm.safeguarding")
        #expect(ada.state.safeguarding.status == .none)
        #expect(ada.state.safeguarding.raisedBy == nil)
    }

    // MARK: Money

    @Test func aNegativePartCannotSlipAPlanUnderTheHighCostThreshold() throws {
        var ada = Driver()
        ada.toPlanning()
        let refused = try #require(
            ada.refused(
                "plan-updated",
                [
                    "personalBudget": 900,
                    "councilManaged": ["services": ["live-in care"], "weeklyCost": 1450],
                    "directPayment": ["amount": -600, "frequency": "weekly", "purchases": ["personal-assistant"]],
                ]))
        #expect(refused.code == .invalidData)
        #expect(refused.field == "directPayment.amount")
        #expect(refused.message.contains("-£600.00 is below zero: amounts are never negative"))
    }

    @Test(arguments: [
        ("personalBudget", 2_000_000.0, "more than £1,000,000.00"),
        ("personalBudget", 12.345, "a fraction of a penny"),
        ("personalBudget", -0.01, "below zero"),
    ])
    func amountsThatCanOnlyBeMistakesAreRefusedNamingTheField(field: String, pounds: Double, why: String) throws {
        var ada = Driver()
        ada.toPlanning()
        let refused = try #require(ada.refused("plan-updated", [field: .number(pounds)]))
        #expect(refused.field == field)
        #expect(refused.message.contains(why))
    }

    @Test func everyAmountThatEntersIsChecked() throws {
        // Unspent direct-payment money, a worker's weekly cost, interim support: the same rule wherever money enters.
        #expect(throws: TransitionError.self) { try Event(name: "dp-audit-completed", data: ["unspent": -1]) }
        #expect(throws: TransitionError.self) {
            try Event(name: "provider-found", data: ["provider": "Sunrise", "weeklyCost": -215.5])
        }
        #expect(throws: TransitionError.self) {
            try Event(name: "interim-support-arranged", data: ["provider": "Rapid", "weeklyCost": 1e9])
        }
        #expect(try Money.checked(pounds: 0.1 + 0.2) == Money(pence: 30))
    }
}
