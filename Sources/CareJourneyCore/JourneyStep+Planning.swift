import struct Foundation.Date

/// Care and support planning, high-cost approval and sign-off.
extension JourneyStep {
    mutating func updatePlan(_ update: PlanUpdate) throws(TransitionError) {
        if let payment = update.directPayment {
            let refusals = payment.refusals
            if !refusals.isEmpty {
                throw refuse("the direct payment is refused", missing: refusals, event: .planUpdated)
            }
        }
        let costed = try costed(update.supportItems)
        state.plan.apply(update)
        if let costed { state.plan.supportItems = costed }
        if !(state.planWriters ?? []).contains(actor) { state.planWriters = (state.planWriters ?? []) + [actor] }
    }

    /// The support to cost at the council's reasonable rates, each with its rate's price now. Wiltshire: "The rates
    /// used to establish the reasonable value of elements of support plans are set out in Appendix A".
    private func costed(_ items: [PlanSupportItem]?) throws(TransitionError) -> [CostedSupportItem]? {
        guard let items else { return nil }
        let rates = policy.plans?.reasonableRates ?? [:]
        var costed: [CostedSupportItem] = []
        var problems: [String] = []
        for item in items {
            guard let price = rates[item.rate] else {
                problems.append(
                    rates.isEmpty
                        ? "a reasonable rate for '\(item.rate)': the council's policy names none"
                        : "a reasonable rate for '\(item.rate)': the policy's rates are "
                            + rates.keys.sorted().joined(separator: ", "))
                continue
            }
            guard item.perWeek.isFinite, item.perWeek > 0, item.perWeek <= 1000 else {
                problems.append("a number of '\(item.rate)' a week more than 0 and at most 1,000 (not \(item.perWeek))")
                continue
            }
            costed.append(CostedSupportItem(rate: item.rate, perWeek: item.perWeek, unitCost: price))
        }
        if !problems.isEmpty {
            throw refuse("the support cannot be costed; it needs", missing: problems, event: .planUpdated)
        }
        return costed
    }

    /// The checklist goes to panel when it is complete: Kent's 22 items under a policy that asks for them
    /// (`high-cost.checklist: kent`), each problem named; otherwise the earlier four-item appraisal.
    mutating func requestHighCostApproval(_ checklist: HighCostChecklist) throws(TransitionError) {
        let missing: [String]
        switch policy.highCost.checklist {
        case .kent?:
            let facts = KentCaseFacts(
                charging: policy.charging != nil, financialAssessmentReferred: state.charging != nil,
                chcChecklistCompleted: state.health?.checklistCompleted ?? false,
                s117Aftercare: state.health?.s117Aftercare ?? false)
            missing = checklist.kentProblems(on: facts)
        case nil:
            missing = checklist.missingItems
        }
        if !missing.isEmpty {
            throw refuse("the high-cost checklist is incomplete", missing: missing, event: .requestHighCostApproval)
        }
        state.highCost = HighCostApproval(
            status: .pending, requestedWeeklyCost: state.plan.weeklyCost, approvedWeeklyCost: nil, returnedReason: nil,
            requestedBy: actor, checklist: policy.highCost.checklist == nil ? nil : checklist)
        openTask(.highCostPanel, detail: "\(state.plan.weeklyCost) a week")
    }

    /// The panel decides on the cost it was asked about; a plan that has grown since needs asking again.
    ///
    /// Four eyes (Kent's high-cost guidance: the request goes to a panel, not back to its author): whoever asked
    /// for the approval or wrote the plan may not approve it.
    mutating func decideHighCost(_ decision: HighCostDecision) throws(TransitionError) {
        if decision.approved {
            var conflicts: [String] = []
            if state.highCost.requestedBy == actor { conflicts.append("\(actor) asked for this approval") }
            if state.planWriters?.contains(actor) == true { conflicts.append("\(actor) wrote the plan") }
            if !conflicts.isEmpty {
                throw refuse(
                    "four eyes: someone other than the plan's writers and the person who asked must approve it",
                    missing: conflicts, event: .highCostDecided)
            }
        }
        try completeTask(.highCostPanel, named: decision.task)
        let requested = state.highCost.requestedWeeklyCost
        state.highCost = HighCostApproval(
            status: decision.approved ? .approved : .returned, requestedWeeklyCost: requested,
            approvedWeeklyCost: decision.approved ? requested : nil,
            returnedReason: decision.approved ? nil : decision.reason, requestedBy: state.highCost.requestedBy,
            checklist: state.highCost.checklist)
    }

    /// What sign-off still needs: the plan's items (the policy's, for a person or a carer), then the rules beyond
    /// them.
    var signOffConditions: [String] {
        var missing: [String]
        if let plans = policy.plans {
            let client = state.person?.clientType ?? .adult
            missing = state.plan.missingItems(plans.required(for: client), carer: client == .carer)
                + state.plan.inconsistencies
        } else {
            missing = state.plan.missingItems
        }
        let cost = state.plan.weeklyCost
        let setAside = state.plan.contingencyBudget ?? .zero
        if let budget = state.plan.personalBudget, cost + setAside > budget {
            missing.append(
                setAside > .zero
                    ? "the plan's weekly cost (\(cost)) and the \(setAside) set aside for contingencies within the "
                        + "personal budget (\(budget))"
                    : "the plan's weekly cost (\(cost)) within the personal budget (\(budget))")
        }
        missing += healthSignOffConditions
        let threshold = policy.highCost.weeklyThreshold
        if cost > threshold, (state.highCost.approvedWeeklyCost ?? .zero) < cost {
            missing.append("high-cost approval: the plan costs \(cost) a week, above the threshold of \(threshold)")
        }
        if state.safeguarding.status == .enquiry && !state.safeguarding.arrangementsSafe {
            missing.append("the arrangements recorded as safe while the safeguarding enquiry is open")
        }
        return missing + chargingSignOffConditions
    }

    /// Confirms the personal budget, starts delivery of each part, and starts (or continues) the review cycle.
    mutating func signOff() throws(TransitionError) {
        try requireAdvocateIfReferred("sign-off", event: .signOff)
        let missing = signOffConditions
        if !missing.isEmpty {
            throw refuse("the plan cannot be signed off yet; it needs", missing: missing, event: .signOff)
        }

        let previous = state.signedOffPlan
        let plan = state.plan
        state.budget?.confirmedWeekly = plan.personalBudget
        state.signedOffPlan = plan
        state.planWriters = nil
        if state.highCost.status == .pending {
            resolveTasks(.highCostPanel, .withdrawn)
            state.highCost = .none
        }
        // Interim support ends when the planned support starts.
        resolveTasks(.arrangeInterimSupport, .withdrawn)
        state.interimProvider = nil
        startDelivery(of: plan, replacing: previous)
        enter(.delivery)

        state.lastSignedOffAt = now
        // Charging: signed off before any financial assessment outcome, as the policy allows, the split is provisional
        // and the assessment stays due.
        if state.charging != nil && state.charging?.outcome == nil { state.charging?.provisional = true }
        refreshBudgetSplit()
        sendPlanCopy()
        schedule(.reviewInformal)
        if state.firstSignedOffAt == nil {
            state.firstSignedOffAt = now
            schedule(.reviewFirstFormalOpens)
            schedule(.reviewFirstFormalReminder)
            schedule(.reviewFirstFormalDue)
        }
    }

    /// Brokerage for a new or changed council-managed part; a direct-payment agreement for a new direct payment.
    mutating func startDelivery(of plan: SupportPlan, replacing previous: SupportPlan?) {
        if plan.councilManaged != previous?.councilManaged {
            resolveTasks(.findProvider, .withdrawn)
            if plan.councilManaged != nil {
                state.provider = nil
                openTask(.findProvider, detail: plan.councilManaged.map { "\($0.weeklyCost) a week" })
            }
        }
        if plan.directPayment != nil {
            if state.directPayment.status == .none {
                state.directPayment.status = .agreementPending
                openTask(.setUpDirectPayment)
            }
        } else if state.directPayment.status != .none {
            state.directPayment.status = .none
            resolveTasks(.setUpDirectPayment, .withdrawn)
            cancelTimers([.dpAudit])
        }
    }
}

extension Journey {
    /// What sign-off would still refuse for the case now, in the words its refusal uses (empty: it may be signed
    /// off): the sign-off rule's own list, for checklists shown beside the plan.
    public static func signOffConditions(for state: CaseState, at now: Date, policy: Policy) -> [String] {
        JourneyStep(state: state, now: now, actor: "", policy: policy).signOffConditions
    }
}
