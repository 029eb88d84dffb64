import Foundation
import Testing

@testable import CareJourneyCore

/// Charging under a policy with `charging:`: the financial assessment after eligibility, its outcome, exemptions,
/// re-assessment, challenges, and the personal budget in two parts.
@Suite struct ChargingTests {
    /// Every item Derbyshire's list asks of a person's plan (`chargingPolicy.plans.person`).
    static let chargedPlan: JSONValue = EventCatalog.samples(of: .planUpdated)[0]

    static func charged(clientType: String = "adult") -> Driver {
        var ada = Driver(policy: chargingPolicy)
        ada.toPlanning(clientType: clientType)
        return ada
    }

    @Test func eligibilityRefersForAFinancialAssessmentOnThePolicysQueue() throws {
        var ada = Driver(policy: chargingPolicy)
        ada.send("contact", ["name": "Ada", "clientType": "adult", "route": "gp"])
        ada.send("start-assessment")
        ada.send("assessment-completed", ["needs": ["personal care"], "outcomes": ["home"]])
        ada.send("eligibility-decided", ["eligible": true, "eligibleNeeds": ["personal care"]])
        #expect(ada.enqueued.contains("financial-assessment@finance"))
        #expect(ada.state.charging?.status == .referred)
        #expect(ada.state.charging?.referral == .first)
        // Under a policy without charging, nobody is referred.
        var bob = Driver()
        bob.toPlanning()
        #expect(bob.state.charging == nil)
        #expect(bob.state.openTask(.financialAssessment) == nil)
    }

    @Test func signOffWaitsForTheFinancialAssessmentNamingIt() throws {
        var ada = Self.charged()
        ada.send("plan-updated", Self.chargedPlan, after: days(1))
        let refusal = try #require(ada.refused("sign-off"))
        #expect(refusal.code == .guardFailed)
        #expect(
            refusal.missing == [
                "the financial assessment done, or an exemption recorded (it is with the 'finance' queue)"
            ])
        ada.send("financial-assessment-completed", ["outcome": "contribution", "weeklyContribution": 40])
        ada.send("sign-off", after: days(1))
        #expect(ada.state.stage == .delivery)
        #expect(ada.state.charging?.provisional == nil)
    }

    @Test func aPolicyMayLetSignOffGoAheadPendingTheAssessmentAsProvisional() throws {
        var lenient = chargingPolicy
        lenient.charging?.signOffPendingAssessment = true
        var ada = Driver(policy: lenient)
        ada.toPlanning()
        ada.send("plan-updated", Self.chargedPlan, after: days(1))
        ada.send("sign-off", after: days(1))
        #expect(ada.state.stage == .delivery)
        #expect(ada.state.charging?.provisional == true)
        #expect(ada.state.budgetSplit?.isProvisional == true)
        #expect(ada.state.openTask(.financialAssessment) != nil, "the assessment stays due")
        // The outcome settles the split, and the person gets a new copy of the plan saying so.
        ada.send("financial-assessment-completed", ["outcome": "contribution", "weeklyContribution": 25])
        #expect(ada.state.charging?.provisional == nil)
        #expect(ada.state.budgetSplit?.isProvisional == false)
        #expect(ada.state.budgetSplit?.contribution == Money(pounds: 25))
        #expect(ada.enqueued == ["send-plan-copy@notifications"])
    }

    @Test func theBudgetIsCouncilFundingPlusTheContributionAndADirectPaymentIsPaidNet() throws {
        var ada = Self.charged()
        ada.send("plan-updated", Self.chargedPlan, after: days(1))
        ada.send("financial-assessment-completed", ["outcome": "contribution", "weeklyContribution": 40])
        ada.send("sign-off", after: days(1))
        let split = try #require(ada.state.budgetSplit)
        #expect(split.personalBudget == Money(pounds: 320))
        #expect(split.contribution == Money(pounds: 40))
        #expect(split.councilFunding == Money(pounds: 280))
        #expect(split.councilFunding + split.contribution + split.nhsShare == split.personalBudget)
        // The direct payment (£100 a week) is paid net of the £40 contribution.
        #expect(split.directPayment?.paidWeekly == Money(pounds: 60))
        #expect(split.directPayment?.net == true)
        let task = try #require(ada.state.openTask(.setUpDirectPayment))
        let brief = TaskBrief(for: task, in: ada.state)
        #expect(brief.fields["paid"] == .number(60))
        #expect(brief.fields["contribution"] == .number(40))
    }

    @Test func underAGrossPolicyTheDirectPaymentIsPaidInFull() throws {
        var gross = chargingPolicy
        gross.charging?.directPayments = .gross
        var ada = Driver(policy: gross)
        ada.toPlanning()
        ada.send("plan-updated", Self.chargedPlan, after: days(1))
        ada.send("financial-assessment-completed", ["outcome": "contribution", "weeklyContribution": 40])
        ada.send("sign-off", after: days(1))
        #expect(ada.state.budgetSplit?.directPayment?.paidWeekly == Money(pounds: 100))
        #expect(ada.state.budgetSplit?.councilFunding == Money(pounds: 280))
    }

    @Test func fullCostAndNilContributionsSplitTheBudgetAsTheySay() throws {
        for (data, contribution) in [
            (["outcome": "full-cost"] as JSONValue, Money(pounds: 320)), (["outcome": "nil-contribution"], .zero),
        ] {
            var ada = Self.charged()
            ada.send("plan-updated", Self.chargedPlan, after: days(1))
            ada.send("financial-assessment-completed", data)
            ada.send("sign-off", after: days(1))
            #expect(ada.state.budgetSplit?.contribution == contribution)
            #expect(ada.state.budgetSplit?.councilFunding == Money(pounds: 320) - contribution)
        }
    }

    @Test func anOutcomeMustSayWhatItIs() throws {
        let ada = Self.charged()
        let cases: [(JSONValue, String)] = [
            (["outcome": "contribution"], "weeklyContribution"),
            (["outcome": "contribution", "weeklyContribution": 0], "weeklyContribution"),
            (["outcome": "nil-contribution", "weeklyContribution": 10], "weeklyContribution"),
            (["outcome": "exempt"], "exemption"),
            (["outcome": "full-cost", "exemption": "free-period"], "exemption"),
            (["outcome": "exempt", "exemption": "other"], "note"),
        ]
        for (data, field) in cases {
            let error = try #require(ada.refused("financial-assessment-completed", data), "\(data)")
            #expect(error.code == .invalidData, "\(data)")
            #expect(error.field == field, "\(data)")
        }
        // An exemption the case does not support is refused, naming why.
        let carers = try #require(
            ada.refused("financial-assessment-completed", ["outcome": "exempt", "exemption": "carers-services"]))
        #expect(carers.missing == ["a carer's own case ('carers-services' exempts services to a carer)"])
        let s117 = try #require(
            ada.refused("financial-assessment-completed", ["outcome": "exempt", "exemption": "s117-aftercare"]))
        #expect(s117.missing == ["s117 aftercare recorded on the case (s117-aftercare-recorded)"])
        var noOther = chargingPolicy
        noOther.charging?.exemptions = [.s117Aftercare]
        var strict = Driver(policy: noOther)
        strict.toPlanning()
        let free = try #require(
            strict.refused("financial-assessment-completed", ["outcome": "exempt", "exemption": "free-period"]))
        #expect(
            free.missing == [
                "an exemption the council's charging policy grants ('free-period' is not one: it grants s117-aftercare)"
            ])
    }

    @Test func aCarerIsExemptAtOnceAndSignsOffWithoutAnAssessment() throws {
        let carer = Self.charged(clientType: "carer")
        #expect(carer.state.charging?.outcome?.exemption == .carersServices)
        #expect(carer.state.charging?.status == .exempt)
        #expect(carer.state.openTask(.financialAssessment) == nil)
        // An exemption lasting as long as the caring role sets no re-assessment date.
        #expect(carer.state.timers[.chargingReassessmentDue] == nil)
        #expect(carer.refused("sign-off")?.missing.contains { $0.contains("financial assessment") } == false)
        // Under a policy that charges carers, a carer is assessed like anyone.
        var chargesCarers = chargingPolicy
        chargesCarers.charging?.exemptions = [.s117Aftercare, .freePeriod]
        var assessed = Driver(policy: chargesCarers)
        assessed.toPlanning(clientType: "carer")
        #expect(assessed.state.charging?.status == .referred)
    }

    @Test func theContributionIsReassessedAtThePolicysIntervalWithAReminder() throws {
        var ada = Self.charged()
        ada.send("plan-updated", Self.chargedPlan, after: days(1))
        ada.send("financial-assessment-completed", ["outcome": "contribution", "weeklyContribution": 40])
        let decided = ada.now
        let due = try #require(ada.state.timers[.chargingReassessmentDue])
        #expect(due == PolicyDuration.months(12).after(decided))
        #expect(due.timeIntervalSince(decided) >= days(365) && due.timeIntervalSince(decided) <= days(366))
        #expect(ada.state.timers[.chargingReassessmentReminder] == due - days(28))
        ada.send("sign-off", after: days(1))
        ada.fire(.chargingReassessmentReminder)
        #expect(Set(ada.enqueued) == ["charging-reminder@review-reminders", "financial-assessment@finance"])
        #expect(ada.state.charging?.status == .reassessing)
        #expect(ada.state.charging?.referral == .reassessmentDue)
        let reminder = try #require(ada.state.openTask(.chargingReminder))
        #expect(TaskBrief(for: reminder, in: ada.state).due == due)
        ada.send("reminder-sent", ["task": .string(reminder.id.description)])
        #expect(ada.state.openTask(.chargingReminder) == nil)
        // The due date passes without an outcome: overdue, for everyone watching.
        let fired = ada.fire(.chargingReassessmentDue)
        let overdue = try #require(fired)
        #expect(ada.state.charging?.overdueSince == due)
        #expect(ada.state.charging?.status == .overdue)
        #expect(overdue.effects.contains { if case .notify(let n) = $0 { n.kind == .reassessmentOverdue } else { false } })
        // The new outcome restarts the cycle from its own date.
        ada.send("financial-assessment-completed", ["outcome": "contribution", "weeklyContribution": 55], after: days(3))
        #expect(ada.state.charging?.overdueSince == nil)
        #expect(ada.state.charging?.assessments == 2)
        #expect(ada.state.timers[.chargingReassessmentDue] == PolicyDuration.months(12).after(ada.now))
        #expect(ada.state.budgetSplit?.contribution == Money(pounds: 55))
    }

    @Test func aFreePeriodEndsInAnAssessment() throws {
        var ada = Self.charged()
        ada.send("financial-assessment-completed", ["outcome": "exempt", "exemption": "free-period"])
        #expect(ada.state.timers[.chargingReassessmentDue] == PolicyDuration.weeks(6).after(ada.now))
        ada.fire(.chargingReassessmentDue)
        #expect(ada.state.openTask(.financialAssessment)?.detail == "reassessment-due")
    }

    @Test func aChangeOfCircumstancesAsksForAReassessment() throws {
        var ada = Self.charged()
        ada.send("financial-assessment-completed", ["outcome": "contribution", "weeklyContribution": 40])
        #expect(ada.refused("request-financial-assessment", ["reason": "first"])?.field == "reason")
        ada.send("request-financial-assessment", ["reason": "change-of-circumstances", "note": "savings spent"])
        #expect(ada.enqueued == ["financial-assessment@finance"])
        #expect(ada.state.charging?.status == .reassessing)
        // One is asked for already.
        #expect(ada.refused("request-financial-assessment", ["reason": "request"])?.code == .notAccepted)
        // Without a charging policy there is nothing to ask.
        var bob = Driver()
        bob.toPlanning()
        #expect(bob.refused("request-financial-assessment", ["reason": "request"])?.code == .guardFailed)
    }

    @Test func aChallengeToTheContributionIsLinkedToItAndUpheldReassesses() throws {
        var ada = Self.charged()
        let early = try #require(ada.refused("complaint-received", ["about": "contribution"]))
        #expect(early.missing == ["a financial assessment's outcome on the case, to challenge"])
        ada.send("financial-assessment-completed", ["outcome": "contribution", "weeklyContribution": 40])
        ada.send("complaint-received", ["about": "contribution", "note": "too much to pay"])
        #expect(ada.state.complaint.about == .contribution)
        ada.send("complaint-concluded", ["outcome": "partly-upheld"])
        #expect(ada.state.openTask(.financialAssessment)?.detail == "challenge")
        #expect(ada.state.charging?.referral == .challenge)
        // Not upheld: the contribution stands.
        var bea = Self.charged()
        bea.send("financial-assessment-completed", ["outcome": "contribution", "weeklyContribution": 40])
        bea.send("complaint-received", ["about": "contribution"])
        bea.send("complaint-concluded", ["outcome": "not-upheld"])
        #expect(bea.state.openTask(.financialAssessment) == nil)
        #expect(bea.state.charging?.status == .assessed)
    }

    @Test func aPolicyFileWithoutChargingDecodesAndReplaysAsBefore() throws {
        // Old complaint data (a bare note) still reads.
        _ = event("complaint-received", ["note": "late visits"])
        var ada = Driver()
        ada.toDelivery()
        #expect(ada.state.budgetSplit == nil)
        #expect(ada.state.charging == nil)
        #expect(ada.state.openTask(.sendPlanCopy) == nil)
    }
}
