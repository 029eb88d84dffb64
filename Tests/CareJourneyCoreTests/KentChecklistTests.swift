import Foundation
import Testing

@testable import CareJourneyCore

/// Kent's high-cost pre-submission checklist, all 22 items, under a policy with `high-cost.checklist: kent`.
@Suite struct KentChecklistTests {
    /// A case in planning whose plan costs £1,450 a week (above the threshold of £1,000), CHC screened.
    static func dearPlan() -> Driver {
        var ada = Driver(policy: chargingPolicy)
        ada.toPlanning()
        ada.send("plan-updated", EventCatalog.samples(of: .planUpdated)[0])
        ada.send("plan-updated", EventCatalog.samples(of: .planUpdated)[1])
        ada.send("chc-checklist-completed", ["positive": false])
        return ada
    }

    static func answers(_ change: (inout [String: JSONValue]) -> Void = { _ in }) -> JSONValue {
        guard case .object(var fields) = EventCatalog.samples(of: .requestHighCostApproval)[0] else { return [:] }
        change(&fields)
        return .object(fields)
    }

    @Test func anEmptyRequestIsRefusedNamingAll22Items() throws {
        let ada = Self.dearPlan()
        let error = try #require(ada.refused("request-high-cost-approval", [:]))
        #expect(error.code == .guardFailed)
        #expect(error.missing.count == 22)
        #expect(error.missing.first == "item 1: the reason for the high-cost package — unanswered")
        for (index, problem) in error.missing.enumerated() {
            #expect(problem.hasPrefix("item \(index + 1): "), "\(problem)")
            #expect(problem.hasSuffix("— unanswered"), "\(problem)")
        }
        #expect(error.missing.contains("item 18: a CHC checklist completed — unanswered"))
        #expect(error.missing.contains("item 19: a referral for a financial assessment — unanswered"))
    }

    @Test func eachConsideredAnswerNeedsItsEvidence() throws {
        let ada = Self.dearPlan()
        let checklist = Self.answers { $0["otAssessment"] = ["answer": "considered"] }
        #expect(
            ada.refused("request-high-cost-approval", checklist)?.missing == [
                "item 2: joint work with an OT colleague for a functional assessment — 'considered' needs its evidence"
            ])
    }

    @Test func notApplicableOnlyWhereKentsWordingAllowsItAndWithAReason() throws {
        let ada = Self.dearPlan()
        // Items 14, 15, 16 and 21 are asked "if" something holds.
        #expect(KentItem.allCases.filter(\.mayNotApply).map(\.number) == [14, 15, 16, 21])
        let allowed = Self.answers { fields in
            for field in ["capacityAssessment", "legalResponsibility", "bestInterests", "s117Cane"] {
                fields[field] = ["answer": "not-applicable", "reason": "she has capacity; no s117"]
            }
        }
        #expect(ada.refused("request-high-cost-approval", allowed) == nil)
        let notAllowed = Self.answers { $0["riskAssessment"] = ["answer": "not-applicable", "reason": "low risk"] }
        #expect(
            ada.refused("request-high-cost-approval", notAllowed)?.missing == [
                "item 7: a risk assessment completed and, if appropriate, submitted to the area risk panel — Kent asks "
                    + "it of every request: 'not applicable' is not an answer here"
            ])
        let noReason = Self.answers { $0["bestInterests"] = ["answer": "not-applicable"] }
        #expect(
            ada.refused("request-high-cost-approval", noReason)?.missing == [
                "item 16: the option assessed as best at a best interests meeting, if the person lacks capacity — "
                    + "'not applicable' needs a reason"
            ])
    }

    @Test func answersAreCheckedAgainstTheCase() throws {
        var ada = Driver(policy: chargingPolicy)
        ada.toPlanning()
        ada.send("plan-updated", EventCatalog.samples(of: .planUpdated)[0])
        ada.send("plan-updated", EventCatalog.samples(of: .planUpdated)[1])
        let noCHC = try #require(ada.refused("request-high-cost-approval", Self.answers()))
        #expect(
            noCHC.missing == [
                "item 18: a CHC checklist completed — no CHC checklist is recorded on the case (chc-checklist-completed)"
            ])
        ada.send("chc-checklist-completed", ["positive": false])
        ada.send("s117-aftercare-recorded", by: "tm.manager")
        let s117 = Self.answers { $0["s117Cane"] = ["answer": "not-applicable", "reason": "no s117"] }
        #expect(
            ada.refused("request-high-cost-approval", s117)?.missing == [
                "item 21: s117: if relevant, the CANE tool filled in — the case records s117 aftercare, so it is relevant"
            ])
        let options = Self.answers {
            $0["optionsAppraised"] = ["agency", "residential"]
            $0["bestValueOption"] = "live-in-care"
        }
        #expect(
            ada.refused("request-high-cost-approval", options)?.missing == [
                "item 8: evidence that other options were explored (live-in carer, residential care, extra care "
                    + "housing, network support) — option not appraised: personal-assistants",
                "item 8: evidence that other options were explored (live-in carer, residential care, extra care "
                    + "housing, network support) — option not appraised: live-in-care",
                "item 10: the option that delivers the outcomes desired for best value — 'live-in-care' is not among "
                    + "the options appraised",
            ])
    }

    @Test func refusedThenAcceptedTheChecklistGoesToThePanelAndStaysOnTheCase() throws {
        var ada = Self.dearPlan()
        #expect(ada.refused("request-high-cost-approval", ["reason": "double-handed-care"]) != nil)
        ada.send("request-high-cost-approval", Self.answers())
        #expect(ada.enqueued == ["high-cost-panel@high-cost-panel"])
        let checklist = try #require(ada.state.highCost.checklist)
        #expect(checklist.answers.count == 21)
        #expect(checklist.reason == .doubleHandedCare)
        let panel = try #require(ada.state.openTask(.highCostPanel))
        let brief = TaskBrief(for: panel, in: ada.state)
        #expect(brief.fields["weeklyCost"] == .number(1450))
        guard case .object(let sent)? = brief.fields["checklist"] else {
            Issue.record("the panel's brief has no checklist")
            return
        }
        for item in KentItem.allCases { #expect(sent[item.field] != nil, "item \(item.number)") }
        #expect(sent["reason"] == "double-handed-care")
        ada.send("high-cost-decided", ["approved": true], by: "tm.panel")
        #expect(ada.state.highCost.checklist == checklist)
    }

    @Test func underAPolicyWithoutKentTheEarlierAppraisalStillReads() throws {
        var ada = Driver()
        ada.toPlanning()
        ada.send("plan-updated", Driver.fullPlan)
        ada.send("plan-updated", ["councilManaged": ["services": ["live-in care"], "weeklyCost": 1350], "personalBudget": 1450])
        ada.send("request-high-cost-approval", Driver.completeChecklist)
        #expect(ada.state.highCost.status == .pending)
        #expect(ada.state.highCost.checklist == nil)
        // Recorded data of earlier versions decodes as it was.
        let old = event("request-high-cost-approval", Driver.completeChecklist)
        guard case .requestHighCostApproval(let decoded) = old else {
            Issue.record("not a request")
            return
        }
        #expect(decoded.leastRestrictive == true && decoded.answers.isEmpty && decoded.optionsAppraised.count == 4)
    }
}

/// NHS routes: Continuing Healthcare, joint funding and s117 aftercare.
@Suite struct HealthFundingTests {
    @Test func aPositiveCHCChecklistRefersAndAgreedFundingClosesTheCaseAsNHSFunded() throws {
        var ada = Driver(policy: chargingPolicy)
        ada.toPlanning()
        ada.send("plan-updated", EventCatalog.samples(of: .planUpdated)[0])
        ada.send("financial-assessment-completed", ["outcome": "nil-contribution"])
        ada.send("sign-off")
        ada.send("chc-checklist-completed", ["positive": true], after: days(20))
        #expect(ada.enqueued == ["chc-referral@health-liaison"])
        #expect(ada.state.health?.chc == .referred)
        // One referral at a time.
        #expect(ada.refused("chc-checklist-completed", ["positive": true])?.code == .notAccepted)
        ada.send("chc-decided", ["fundingAgreed": true], after: days(28))
        #expect(ada.state.stage == .closed)
        #expect(ada.state.closure?.reason == .nhsFunded)
        #expect(ada.state.health?.chc == .funded)
        #expect(ada.enqueued.contains("end-services@brokerage"))
        #expect(ada.state.timers.isEmpty)
    }

    @Test func aNegativeOrDeclinedCHCLeavesTheCouncilsSupportInPlace() throws {
        var ada = Driver(policy: chargingPolicy)
        ada.toPlanning()
        ada.send("chc-checklist-completed", ["positive": false])
        #expect(ada.state.health?.chc == .screenedOut)
        #expect(ada.enqueued.isEmpty)
        ada.send("chc-checklist-completed", ["positive": true])
        ada.send("chc-decided", ["fundingAgreed": false])
        #expect(ada.state.health?.chc == .declined)
        #expect(ada.state.stage == .supportPlanning)
    }

    @Test func jointFundingRecordsTheNHSShareOfTheBudget() throws {
        var ada = Driver(policy: chargingPolicy)
        ada.toPlanning()
        ada.send("plan-updated", EventCatalog.samples(of: .planUpdated)[0])
        ada.send("joint-funding-agreed", ["nhsWeekly": 400], by: "tm.manager")
        ada.send("financial-assessment-completed", ["outcome": "contribution", "weeklyContribution": 40])
        #expect(
            ada.refused("sign-off")?.missing == ["the NHS's share (£400.00 a week) within the personal budget (£320.00)"])
        ada.send("joint-funding-agreed", ["nhsWeekly": 100], by: "tm.manager")
        ada.send("sign-off")
        let split = try #require(ada.state.budgetSplit)
        #expect(split.nhsShare == Money(pounds: 100))
        #expect(split.contribution == Money(pounds: 40))
        #expect(split.councilFunding == Money(pounds: 180))
    }

    @Test func s117AftercareExemptsFromChargingUntilItEnds() throws {
        var ada = Driver(policy: chargingPolicy)
        ada.toPlanning()
        #expect(ada.state.openTask(.financialAssessment) != nil)
        ada.send("s117-aftercare-recorded", by: "tm.manager")
        #expect(ada.state.health?.s117Aftercare == true)
        #expect(ada.state.charging?.outcome?.exemption == .s117Aftercare)
        #expect(ada.state.openTask(.financialAssessment) == nil, "the assessment asked for is withdrawn")
        #expect(ada.state.timers[.chargingReassessmentDue] == nil)
        ada.send("s117-aftercare-ended", after: days(60), by: "tm.manager")
        #expect(ada.state.health?.s117Aftercare == false)
        #expect(ada.state.charging?.outcome == nil)
        #expect(ada.state.openTask(.financialAssessment)?.detail == "exemption-ended")
    }

    @Test func theNewDecisionsNeedAManager() {
        #expect(EventCatalog.minimumRole(of: event("joint-funding-agreed", ["nhsWeekly": 10])) == .manager)
        #expect(EventCatalog.minimumRole(of: event("s117-aftercare-recorded")) == .manager)
        #expect(EventCatalog.minimumRole(of: event("chc-decided", ["fundingAgreed": true])) == .manager)
        #expect(EventCatalog.minimumRole(of: event("chc-decided", ["fundingAgreed": false])) == .practitioner)
        #expect(
            EventCatalog.minimumRole(
                of: event("financial-assessment-completed", ["outcome": "exempt", "exemption": "other", "note": "x"]))
                == .manager)
    }
}
