import Foundation
import Testing

@testable import CareJourneyCore

/// Every item a policy's `plans:` asks of a plan (Derbyshire's list, and a carer's of its section 3), reasonable
/// rates, and the copy of the plan the person gets.
@Suite struct PlanItemsTests {
    @Test func signOffNamesEveryMissingItemOfAPersonsPlan() throws {
        var ada = Driver(policy: chargingPolicy)
        ada.toPlanning()
        let error = try #require(ada.refused("sign-off"))
        #expect(error.code == .guardFailed)
        #expect(
            error.missing == [
                "information and advice on reducing the needs and preventing or delaying others",
                "what the person's own resources and network meet",
                "the eligible needs the council will meet, and how",
                "the personal budget",
                "how the budget is managed (direct payment, council-managed or both)",
                "what is important to and for the person",
                "how the person will make decisions and stay in control of their life",
                "how risks are managed",
                "a contingency plan, with any budget set aside for it",
                "the financial assessment done, or an exemption recorded (it is with the 'finance' queue)",
            ])
        // A direct payment must say which needs it meets; half of "important to and for" is not enough.
        ada.send(
            "plan-updated",
            [
                "directPayment": ["amount": 100, "frequency": "weekly", "purchases": ["personal-assistant"]],
                "importantTo": "her garden",
            ])
        let again = try #require(ada.refused("sign-off"))
        #expect(again.missing.contains("the needs the direct payment meets"))
        #expect(again.missing.contains("what is important to and for the person"))
    }

    @Test func aCarersPlanHasItsOwnItemsInACarersWords() throws {
        var carer = Driver(policy: chargingPolicy)
        carer.toPlanning(clientType: "carer")
        let error = try #require(carer.refused("sign-off"))
        #expect(
            error.missing == [
                "information and advice to support the carer in their caring role (carers' services, support groups)",
                "the eligible needs the council will meet, and how",
                "the personal budget",
                "how the budget is managed (direct payment, council-managed or both)",
                "how risks are managed",
                "contingency arrangements, with any budget set aside, and who the carer will contact in a crisis",
            ])
        var plan = try #require(Self.object(EventCatalog.samples(of: .planUpdated)[0]))
        plan["crisisContact"] = nil
        carer.send("plan-updated", .object(plan))
        // Without whom to contact in a crisis, the carer's contingency is incomplete.
        #expect(
            carer.refused("sign-off")?.missing == [
                "contingency arrangements, with any budget set aside, and who the carer will contact in a crisis"
            ])
        carer.send("plan-updated", ["crisisContact": "her brother"])
        carer.send("sign-off")
        #expect(carer.state.stage == .delivery)
    }

    @Test func needsTheCouncilOrADirectPaymentMeetsMustBeEligible() throws {
        var ada = Driver(policy: chargingPolicy)
        ada.toPlanning()
        var plan = try #require(Self.object(EventCatalog.samples(of: .planUpdated)[0]))
        plan["needsMetByCouncil"] = [["need": "meals", "how": "meals on wheels"]]
        plan["directPayment"] = [
            "amount": 100, "frequency": "weekly", "purchases": ["personal-assistant"], "needsMet": ["meals"],
        ]
        ada.send("plan-updated", .object(plan))
        ada.send("financial-assessment-completed", ["outcome": "nil-contribution"])
        #expect(
            ada.refused("sign-off")?.missing == [
                "'meals', which the council is to meet, among the eligible needs",
                "'meals', which the direct payment is to meet, among the eligible needs",
            ])
    }

    @Test func theContingencyBudgetIsSetAsideWithinThePersonalBudget() throws {
        var ada = Driver(policy: chargingPolicy)
        ada.toPlanning()
        ada.send("plan-updated", EventCatalog.samples(of: .planUpdated)[0])
        ada.send("financial-assessment-completed", ["outcome": "nil-contribution"])
        ada.send("plan-updated", ["contingencyBudget": 30])
        #expect(
            ada.refused("sign-off")?.missing == [
                "the plan's weekly cost (£320.00) and the £30.00 set aside for contingencies within the personal "
                    + "budget (£320.00)"
            ])
    }

    @Test func supportIsCostedAtThePolicysReasonableRatesBesideItsActualCost() throws {
        var ada = Driver(policy: chargingPolicy)
        ada.toPlanning()
        ada.send("plan-updated", EventCatalog.samples(of: .planUpdated)[0])
        ada.send("plan-updated", ["supportItems": [["rate": "home-care-hour", "perWeek": 10], ["rate": "pa-hour", "perWeek": 7]]])
        // 10 × £21.50 + 7 × £14.20.
        #expect(ada.state.plan.reasonableCost == Money(pounds: 314.4))
        #expect(ada.state.plan.weeklyCost == Money(pounds: 320))
        #expect(ada.state.plan.supportItems?.first?.unitCost == Money(pounds: 21.5))
        let unknown = try #require(ada.refused("plan-updated", ["supportItems": [["rate": "chauffeur-hour", "perWeek": 2]]]))
        #expect(unknown.missing == ["a reasonable rate for 'chauffeur-hour': the policy's rates are home-care-hour, pa-hour"])
        let none = try #require(
            Driver().refusedAfterPlanning("plan-updated", ["supportItems": [["rate": "pa-hour", "perWeek": 2]]]))
        #expect(none.missing == ["a reasonable rate for 'pa-hour': the council's policy names none"])
        // A later change of rates does not rewrite what the plan said.
        #expect(ada.state.plan.supportItems?.map(\.unitCost) == [Money(pounds: 21.5), Money(pounds: 14.2)])
    }

    @Test func thePersonGetsACopyOfThePlanAfterSignOffAndEveryChange() throws {
        var ada = Driver(policy: chargingPolicy)
        ada.toPlanning()
        ada.send("plan-updated", EventCatalog.samples(of: .planUpdated)[0])
        ada.send("plan-updated", ["supportItems": [["rate": "home-care-hour", "perWeek": 10]]])
        ada.send("financial-assessment-completed", ["outcome": "contribution", "weeklyContribution": 40])
        ada.send("sign-off", after: days(1))
        #expect(ada.enqueued.contains("send-plan-copy@notifications"))
        let task = try #require(ada.state.openTask(.sendPlanCopy))
        let brief = TaskBrief(for: task, in: ada.state)
        #expect(brief.fields["recipients"] == ["Ada", "her daughter"])
        let copy = try #require(PlanCopy(of: ada.state, at: ada.now))
        #expect(brief.fields["planCopy"] == copy.json)
        #expect(copy.budget?.contribution == Money(pounds: 40))
        #expect(copy.reasonableCost == Money(pounds: 215))
        #expect(copy.actualCost == Money(pounds: 320))
        #expect(copy.plan.importantTo == "her garden and her cat")
        ada.send("plan-copy-sent", ["task": .string(task.id.description)])
        #expect(ada.state.openTask(.sendPlanCopy) == nil)
        // A change to what the person pays sends a new copy.
        ada.send("request-financial-assessment", ["reason": "change-of-circumstances"], after: days(30))
        ada.send("financial-assessment-completed", ["outcome": "nil-contribution"], after: days(5))
        #expect(ada.enqueued.contains("send-plan-copy@notifications"))
        // A plan changed at review and signed off again: another copy, the old one (unsent) withdrawn.
        ada.send("start-review", ["type": "unplanned", "reason": "change-of-circumstances"], after: days(10))
        ada.send("review-completed", ["outcome": "plan-change"])
        ada.send("plan-updated", ["importantTo": "her garden, her cat and her grandson"])
        ada.send("sign-off")
        #expect(ada.enqueued.contains("send-plan-copy@notifications"))
        let copies = ada.state.tasks.values.filter { $0.kind == .sendPlanCopy }
        #expect(copies.count == 1)
        #expect(PlanCopy(of: ada.state, at: ada.now)?.plan.importantTo == "her garden, her cat and her grandson")
    }
}

extension PlanItemsTests {
    static func object(_ value: JSONValue) -> [String: JSONValue]? {
        if case .object(let fields) = value { fields } else { nil }
    }
}

extension Driver {
    /// A new case under `testPolicy` taken to planning, then `name` tried.
    func refusedAfterPlanning(_ name: String, _ data: JSONValue) -> TransitionError? {
        var driver = self
        driver.toPlanning()
        return driver.refused(name, data)
    }
}
