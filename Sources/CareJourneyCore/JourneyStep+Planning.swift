/// Care and support planning, high-cost approval and sign-off.
extension JourneyStep {
    mutating func updatePlan(_ update: PlanUpdate) throws(TransitionError) {
        if let payment = update.directPayment {
            let refusals = payment.refusals
            if !refusals.isEmpty {
                throw refuse("the direct payment is refused", missing: refusals, event: .planUpdated)
            }
        }
        state.plan.apply(update)
        if !(state.planWriters ?? []).contains(actor) { state.planWriters = (state.planWriters ?? []) + [actor] }
    }

    mutating func requestHighCostApproval(_ checklist: HighCostChecklist) throws(TransitionError) {
        let missing = checklist.missingItems
        if !missing.isEmpty {
            throw refuse("the high-cost checklist is incomplete", missing: missing, event: .requestHighCostApproval)
        }
        state.highCost = HighCostApproval(
            status: .pending, requestedWeeklyCost: state.plan.weeklyCost, approvedWeeklyCost: nil, returnedReason: nil,
            requestedBy: actor)
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
            returnedReason: decision.approved ? nil : decision.reason, requestedBy: state.highCost.requestedBy)
    }

    /// What sign-off still needs, beyond the plan's own contents.
    var signOffConditions: [String] {
        var missing = state.plan.missingItems
        let cost = state.plan.weeklyCost
        if let budget = state.plan.personalBudget, cost > budget {
            missing.append("the plan's weekly cost (\(cost)) within the personal budget (\(budget))")
        }
        let threshold = policy.highCost.weeklyThreshold
        if cost > threshold, (state.highCost.approvedWeeklyCost ?? .zero) < cost {
            missing.append("high-cost approval: the plan costs \(cost) a week, above the threshold of \(threshold)")
        }
        if state.safeguarding.status == .enquiry && !state.safeguarding.arrangementsSafe {
            missing.append("the arrangements recorded as safe while the safeguarding enquiry is open")
        }
        return missing
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
