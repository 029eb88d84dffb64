/// NHS routes: Continuing Healthcare, joint funding and s117 aftercare (Kent's checklist, items 17, 18 and 21).
extension JourneyStep {
    /// A positive checklist refers the person to the NHS for a Continuing Healthcare decision; a negative one is
    /// recorded, and answers Kent's "Has a CHC checklist been completed?".
    mutating func recordCHCChecklist(_ checklist: CHCChecklist) throws(TransitionError) {
        // A policy file written before CHC referrals may not route them; a referral nobody receives is no referral.
        if checklist.positive && policy.queues[.chcReferral] == nil {
            throw refuse(
                "the CHC referral cannot be sent", missing: ["a queue for `chc-referral` in the policy's `queues:`"],
                event: .chcChecklistCompleted)
        }
        var health = state.health ?? .none
        health.chc = checklist.positive ? .referred : .screenedOut
        state.health = health
        if checklist.positive { ensureTask(.chcReferral) }
    }

    /// The NHS agreed to fund the person's care: the case closes as `nhs-funded` and the council's services end
    /// (an `end-services` task for a funded case). Not agreed: the council's support goes on.
    mutating func decideCHC(_ decision: CHCDecision) throws(TransitionError) {
        try completeTask(.chcReferral, named: decision.task)
        state.health?.chc = decision.fundingAgreed ? .funded : .declined
        // A case closed meanwhile (the reply is taken at any stage, so that no task is lost) stays as it closed.
        if decision.fundingAgreed && state.stage.isOpen { close(.nhsFunded) }
    }

    /// The NHS's weekly share of the personal budget (nothing ends joint funding); it counts at the next sign-off.
    mutating func agreeJointFunding(_ funding: JointFunding) {
        var health = state.health ?? .none
        health.jointFundingWeekly = funding.nhsWeekly > .zero ? funding.nhsWeekly : nil
        state.health = health
    }

    /// s117 aftercare is recorded: under a charging policy the person is exempt from now (an assessment asked for is
    /// withdrawn).
    mutating func recordS117() {
        var health = state.health ?? .none
        health.s117Aftercare = true
        state.health = health
        if policy.charging != nil, state.charging != nil, state.charging?.outcome?.exemption != .s117Aftercare {
            recordChargingOutcome(ChargingOutcome(kind: .exempt, exemption: .s117Aftercare, note: "s117 aftercare"))
        }
    }

    /// s117 aftercare ended: the exemption with it, and the person is assessed.
    mutating func endS117() {
        state.health?.s117Aftercare = false
        endExemption(.s117Aftercare)
    }

    /// Sign-off's condition under joint funding: the NHS's share within the personal budget.
    var healthSignOffConditions: [String] {
        guard let share = state.health?.jointFundingWeekly, let budget = state.plan.personalBudget, share > budget
        else { return [] }
        return ["the NHS's share (\(share) a week) within the personal budget (\(budget))"]
    }
}
