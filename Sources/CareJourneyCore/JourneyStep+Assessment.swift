/// Assessment, eligibility and the indicative budget.
extension JourneyStep {
    mutating func completeAssessment(_ result: AssessmentCompleted) throws(TransitionError) {
        try requireAdvocateIfReferred("the assessment", event: .assessmentCompleted)
        state.assessment?.needs = result.needs
        state.assessment?.outcomes = result.outcomes
        state.assessment?.completedAt = now
        state.assessment?.method = result.method
        try recordDetails(PersonDetails(primarySupportReason: result.primarySupportReason), event: .assessmentCompleted)
        if result.carerReliedOn == true && state.person?.clientType != .carer {
            ensureTask(.offerCarerAssessment)
        }
        enter(.eligibility)
    }

    /// Eligible: on to the RAS, with the plan started from the assessment. Not eligible: information and
    /// advice, the decision in writing (s13), and the case closes.
    mutating func decideEligibility(_ decision: EligibilityDecision) throws(TransitionError) {
        if !decision.eligible && (decision.reason?.isEmpty ?? true) {
            throw TransitionError(
                .invalidData,
                "a decision that needs are not eligible must give its 'reason' (Care Act s13 written record)",
                stage: state.stage, event: EventName.eligibilityDecided.rawValue)
        }
        let needs = state.assessment?.needs ?? []
        let eligibleNeeds = decision.eligible ? (decision.eligibleNeeds ?? needs) : []
        state.eligibility = Eligibility(
            eligible: decision.eligible, eligibleNeeds: eligibleNeeds, reason: decision.reason, decidedAt: now)
        guard decision.eligible else {
            openTask(.writtenNotification, detail: "eligibility decision")
            close(.notEligible)
            return
        }
        // The plan follows the latest assessment, re-assessments included.
        state.plan.needs = needs
        state.plan.outcomes = state.assessment?.outcomes ?? []
        state.plan.eligibleNeeds = eligibleNeeds
        state.plan.ineligibleNeeds = needs.filter { !eligibleNeeds.contains($0) }
        enter(.indicativeBudget)
        // Charging: the finance team is asked once the person is eligible (Kent: "Have you referred for a financial
        // assessment?"); a re-assessment of needs leaves an outcome in force alone, which has its own cycle.
        if state.charging?.outcome == nil { referForFinancialAssessment(.first) }
    }

    /// A carer who accepts is referred for an assessment of their own: the shell opens their case.
    mutating func offerCarerAssessment(_ reply: CarerAssessmentOffer) throws(TransitionError) {
        guard !reply.accepted || !(reply.carerName?.isEmpty ?? true) else {
            throw TransitionError(
                .invalidData, "a carer who accepts an assessment needs a 'carerName' to open their case",
                stage: state.stage, event: EventName.carerAssessmentOffered.rawValue)
        }
        try completeTask(.offerCarerAssessment, named: reply.task)
        if reply.accepted, let name = reply.carerName {
            effects.append(
                .openCase(
                    Contact(
                        name: name, clientType: .carer, route: .other, caredFor: state.person?.name, summary: nil,
                        details: PersonDetails(caredForIDs: [state.id.rawValue]))))
        }
    }

    mutating func completeRAS(_ result: RASResult) throws(TransitionError) {
        let ras = policy.ras
        guard let weekly = ras.indicativeBudget(points: result.points, support: result.informalSupport) else {
            throw TransitionError(
                .invalidData,
                "\(result.points) RAS points are outside the policy's bands (\(ras.coverage)); "
                    + "check the score or the policy's ras.bands",
                stage: state.stage, event: EventName.rasCompleted.rawValue)
        }
        state.budget = PersonalBudget(
            points: result.points, informalSupport: result.informalSupport, indicativeWeekly: weekly,
            confirmedWeekly: state.budget?.confirmedWeekly)
        enter(.supportPlanning)
    }
}
