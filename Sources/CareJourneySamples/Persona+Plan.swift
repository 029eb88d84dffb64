import CareJourneyCore

/// What the persona's assessment finds and what their plan buys, as event data.
extension Persona {
    private static let adultNeeds = [
        "personal care", "meals", "medication", "mobility", "continence", "household tasks", "social contact",
    ]
    private static let carerNeeds = ["a break from caring", "own health", "sleep", "time for work"]
    private static let adultOutcomes = [
        "stay at home", "get out to the shops", "see friends weekly", "manage own medication", "wash and dress daily",
    ]
    private static let carerOutcomes = ["keep caring safely", "a night off each week", "stay in work"]

    var isCarer: Bool { contact.clientType == .carer }

    /// What the assessment found.
    var needs: [String] {
        let all = isCarer ? Self.carerNeeds : Self.adultNeeds
        let first = random.int(0...(all.count - 1), "needs")
        return [all[first], all[(first + 1 + random.int(0...(all.count - 2), "needs.second")) % all.count]]
    }

    var outcomes: [String] { [random.pick(isCarer ? Self.carerOutcomes : Self.adultOutcomes, "outcomes")] }

    /// The council-managed part's weekly cost: all the budget, or most of it beside a direct payment.
    private var councilManagedCost: Money {
        funding == .both ? Money(pounds: (budget.pounds * 0.6).rounded()) : budget
    }

    private var services: [String] {
        panel != nil
            ? ["live-in care"]
            : random.pick([["home care"], ["home care", "meals"], ["personal care"], ["day activities"]], "services")
    }

    /// The plan as first written: every item sign-off needs (a carer's items for a carer), spending the indicative
    /// budget.
    var plan: JSONValue {
        var plan: [String: JSONValue] = [
            "metByNetwork": [
                random.pick(["family help with shopping", "a neighbour checks in", "church lunch club"], "network")
            ],
            "personalBudget": .number(budget.pounds),
            "riskManagement": .string(
                random.pick(["falls pendant", "key safe and a daily call", "medication prompts"], "risk")),
            "contingencyPlan": "agency cover through brokerage",
            "contingencyBudget": 0,
            "informationAndAdvice": .string(
                isCarer
                    ? "the carers' centre, a carers' support group and an emergency card"
                    : random.pick(
                        ["a falls-prevention class", "the community lunch club", "telecare and a key safe"], "advice")),
            "needsMetByCouncil": .array(
                needs.map { ["need": .string($0), "how": .string(isCarer ? "short breaks" : "support at home")] }),
            "importantTo": .string(random.pick(["family visits", "the garden", "church on Sundays"], "important.to")),
            "importantFor": .string(random.pick(["eating well", "taking medication", "staying safe"], "important.for")),
            "decisionsAndControl": "decides day to day with the practitioner's support; reviews the plan when it changes",
        ]
        if isCarer { plan["crisisContact"] = "the carers' emergency line" }
        if funding.hasCouncilManaged {
            plan["councilManaged"] = [
                "services": .array(services.map(JSONValue.string)), "weeklyCost": .number(councilManagedCost.pounds),
                "component": .string(Self.component(of: services).rawValue),
            ]
        }
        if funding.hasDirectPayment {
            let weekly = budget - (funding.hasCouncilManaged ? councilManagedCost : .zero)
            let fourWeekly = random.chance(0.4, "dp.four-weekly")
            let purchase =
                isCarer
                ? "short-breaks" : random.pick(["personal-assistant", "agency-care", "day-activities"], "dp.purchase")
            plan["directPayment"] = [
                "amount": .number(fourWeekly ? (weekly.pounds * 4) : weekly.pounds),
                "frequency": fourWeekly ? "four-weekly" : "weekly", "purchases": [.string(purchase)],
                "needsMet": [.string(needs[0])],
            ]
        }
        return .object(plan)
    }

    /// The plan after the panel returned it: the package brought under the threshold.
    func revisedPlan(threshold: Money) -> JSONValue {
        [
            "councilManaged": [
                "services": ["home care", "personal care"], "weeklyCost": .number(threshold.scaled(by: 0.9).pounds),
                "component": .string(ServiceComponent.homeCare.rawValue),
            ]
        ]
    }

    /// A change to a signed-off plan after a review; after a reclaim the direct payment is cut to what is spent.
    func changedPlan(_ state: CaseState) -> JSONValue {
        let risk = random.pick(["falls pendant", "daily calls", "medication prompts"], "risk.review")
        var change: [String: JSONValue] = ["riskManagement": .string("reviewed: \(risk)")]
        if state.directPayment.reclaimed > .zero, let payment = state.plan.directPayment {
            change["directPayment"] = [
                "amount": .number(payment.amount.scaled(by: 0.9).pounds),
                "frequency": .string(payment.frequency.rawValue),
                "purchases": .array(payment.purchases.map { .string($0.rawValue) }),
                "needsMet": .array((payment.needsMet ?? []).map(JSONValue.string)),
            ]
        }
        return .object(change)
    }

    /// The high-cost checklist, complete: Kent's 22 items (and the earlier appraisal's fields).
    static let highCostChecklist: JSONValue = {
        var fields: [String: JSONValue] = [
            "reason": "24-hour-care-former-self-funder", "bestValueOption": "live-in-care",
            "optionsAppraised": ["agency", "personal-assistants", "live-in-care", "residential"],
            "leastRestrictive": true, "capacityConsidered": true, "viewsSought": true,
        ]
        for item in KentItem.allCases {
            fields[item.field] =
                item.mayNotApply
                ? ["answer": "not-applicable", "reason": "she has capacity for this decision; no s117"]
                : ["answer": "considered", "evidence": .string("in the case notes (item \(item.number))")]
        }
        return .object(fields)
    }()

    /// What the financial assessment finds: most people pay a weekly contribution, some nothing, a few the full
    /// cost.
    var financialOutcome: [String: JSONValue] {
        let draw = random.unit("charging.outcome")
        if draw < 0.55 {
            let weekly = Money(pounds: Double(random.int(5...90, "charging.weekly")))
            return ["outcome": "contribution", "weeklyContribution": .number(weekly.pounds)]
        }
        return ["outcome": draw < 0.9 ? "nil-contribution" : "full-cost"]
    }
}
