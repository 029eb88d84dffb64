import Foundation

@testable import CareJourneyCore

/// `testPolicy` with charging, the plan items of Derbyshire's list (a carer's of section 3), reasonable rates and
/// Kent's high-cost checklist: what the shipped policies ask.
let chargingPolicy: Policy = {
    var policy = testPolicy
    policy.charging = Policy.Charging(
        reassessEvery: .months(12), reminderLead: .days(28), exemptions: [.carersServices, .s117Aftercare, .freePeriod],
        freePeriod: .weeks(6))
    policy.plans = Policy.Plans(
        person: PlanItem.allCases,
        carer: [
            .needsAndOutcomes, .eligibleNeeds, .informationAndAdvice, .needsTheCouncilMeets, .personalBudget,
            .budgetManagement, .directPaymentNeeds, .risks, .contingency,
        ],
        reasonableRates: ["home-care-hour": Money(pounds: 21.5), "pa-hour": Money(pounds: 14.2)])
    policy.highCost.checklist = .kent
    policy.queues[.financialAssessment] = "finance"
    policy.queues[.chargingReminder] = "review-reminders"
    policy.queues[.chcReferral] = "health-liaison"
    policy.queues[.sendPlanCopy] = "notifications"
    return policy
}()
