import Foundation

/// Charging, under a policy with `charging:`: the financial assessment referred after eligibility, its outcome, the
/// budget's split, re-assessments, and copies of the plan when what the person pays changes.
extension JourneyStep {
    /// Asks the finance team for a financial assessment, unless one is asked for already. A carer's case under a
    /// policy that exempts carers' services, and a person receiving s117 aftercare, are exempt at once: Wiltshire,
    /// "if you are a carer or are receiving aftercare for mental health needs you will not be asked to pay".
    mutating func referForFinancialAssessment(_ reason: FinancialReferral) {
        guard let charging = policy.charging, state.stage.isOpen else { return }
        if state.person?.clientType == .carer && charging.grants(.carersServices) {
            recordChargingOutcome(
                ChargingOutcome(kind: .exempt, exemption: .carersServices, note: "services to a carer"))
            return
        }
        if state.health?.s117Aftercare == true {
            recordChargingOutcome(ChargingOutcome(kind: .exempt, exemption: .s117Aftercare, note: "s117 aftercare"))
            return
        }
        var assessment = state.charging ?? FinancialAssessment(referral: reason)
        if assessment.referral == nil { assessment.referral = reason }
        state.charging = assessment
        if state.openTask(.financialAssessment) == nil {
            openTask(.financialAssessment, detail: assessment.referral?.rawValue)
        }
    }

    /// The finance team's outcome, checked against the policy and the case.
    mutating func completeFinancialAssessment(_ result: FinancialAssessmentResult) throws(TransitionError) {
        try check(result)
        try completeTask(.financialAssessment, named: result.task)
        recordChargingOutcome(result.recorded)
    }

    private func check(_ result: FinancialAssessmentResult) throws(TransitionError) {
        func invalid(_ message: String, _ field: String) -> TransitionError {
            TransitionError(
                .invalidData, message, stage: state.stage, event: EventName.financialAssessmentCompleted.rawValue,
                field: field)
        }
        let contributes = result.outcome == .contribution
        if contributes && (result.weeklyContribution ?? .zero) <= .zero {
            throw invalid(
                "an outcome 'contribution' needs its 'weeklyContribution', more than nothing (nothing to pay is "
                    + "'nil-contribution')", "weeklyContribution")
        }
        if !contributes && result.weeklyContribution != nil {
            throw invalid("'weeklyContribution' goes only with the outcome 'contribution'", "weeklyContribution")
        }
        let exempt = result.outcome == .exempt
        if exempt && result.exemption == nil {
            throw invalid(
                "an outcome 'exempt' needs its 'exemption': one of \(ChargingExemption.allowedWords)", "exemption")
        }
        if !exempt && result.exemption != nil {
            throw invalid("'exemption' goes only with the outcome 'exempt'", "exemption")
        }
        guard let exemption = result.exemption else { return }
        if exemption == .other && !(result.note?.contains { !$0.isWhitespace } ?? false) {
            throw invalid("an 'other' exemption needs a 'note' giving the charging policy's reason", "note")
        }
        guard let charging = policy.charging else {
            throw refuse(
                "the exemption cannot be recorded", missing: ["a charging policy (`charging:` in the policy file)"],
                event: .financialAssessmentCompleted)
        }
        var problems: [String] = []
        if !charging.grants(exemption) {
            let granted = ChargingExemption.allCases.filter(charging.grants).map(\.rawValue)
            problems.append(
                "an exemption the council's charging policy grants ('\(exemption.rawValue)' is not one: it grants "
                    + granted.joined(separator: ", ") + ")")
        }
        if exemption == .carersServices && state.person?.clientType != .carer {
            problems.append("a carer's own case ('carers-services' exempts services to a carer)")
        }
        if exemption == .s117Aftercare && state.health?.s117Aftercare != true {
            problems.append("s117 aftercare recorded on the case (s117-aftercare-recorded)")
        }
        if !problems.isEmpty {
            throw refuse("the exemption cannot be recorded; it needs", missing: problems, event: .financialAssessmentCompleted)
        }
    }

    /// Records an outcome: what the person pays from now, when the next re-assessment is due, the budget's split,
    /// and a new copy of a signed-off plan when what the person pays changed.
    mutating func recordChargingOutcome(_ outcome: ChargingOutcome) {
        var assessment = state.charging ?? FinancialAssessment(referral: .first)
        assessment.outcome = outcome
        assessment.decidedAt = now
        assessment.referral = nil
        assessment.provisional = nil
        assessment.overdueSince = nil
        assessment.assessments += 1
        state.charging = assessment
        resolveTasks(.withdrawn) { $0.kind == .financialAssessment || $0.kind == .chargingReminder }
        schedule(.chargingReassessmentReminder)
        schedule(.chargingReassessmentDue)
        contributionChanged()
    }

    /// An exemption no longer applies (s117 aftercare ended): the person is assessed again, and until then what
    /// they pay is provisional.
    mutating func endExemption(_ exemption: ChargingExemption) {
        guard var assessment = state.charging, assessment.outcome?.exemption == exemption else { return }
        assessment.outcome = nil
        assessment.decidedAt = nil
        state.charging = assessment
        cancelTimers([.chargingReassessmentReminder, .chargingReassessmentDue])
        referForFinancialAssessment(.exemptionEnded)
        contributionChanged()
    }

    /// `request-financial-assessment`: a re-assessment asked for now.
    mutating func requestFinancialAssessment(_ request: FinancialAssessmentRequest) throws(TransitionError) {
        guard [.changeOfCircumstances, .request].contains(request.reason) else {
            throw TransitionError(
                .invalidData, "a re-assessment is asked for with the reason 'change-of-circumstances' or 'request'",
                stage: state.stage, event: EventName.requestFinancialAssessment.rawValue, field: "reason")
        }
        guard policy.charging != nil else {
            throw refuse(
                "no financial assessment can be asked for",
                missing: ["a charging policy (`charging:` in the policy file)"], event: .requestFinancialAssessment)
        }
        referForFinancialAssessment(request.reason)
    }

    /// The re-assessment is near: the person is reminded and the finance team asked.
    mutating func chargingReminderDue() {
        openTask(.chargingReminder, detail: state.charging?.outcome?.exemption?.rawValue)
        referForFinancialAssessment(.reassessmentDue)
    }

    /// The re-assessment's due date passed without one: overdue, for all watching the case to see.
    mutating func chargingReassessmentMissed(due: Date) {
        referForFinancialAssessment(.reassessmentDue)
        state.charging?.overdueSince = due
        notify(.reassessmentOverdue, "the financial re-assessment was due \(isoText(due)) and is overdue")
    }

    /// Works out the signed-off budget's split again; returns whether it changed.
    @discardableResult
    mutating func refreshBudgetSplit() -> Bool {
        guard let charging = policy.charging, let plan = state.signedOffPlan, state.charging != nil else {
            return false
        }
        let split = BudgetSplit(
            plan: plan, outcome: state.charging?.outcome, nhsShare: state.health?.jointFundingWeekly,
            directPayments: charging.directPayments)
        defer { state.budgetSplit = split }
        return split != state.budgetSplit
    }

    /// What the person pays (or the NHS's share) changed: a signed-off plan's split follows, and the person gets a
    /// new copy of their plan saying so.
    mutating func contributionChanged() {
        if refreshBudgetSplit() && state.stage.isOpen && state.stage != .transferring {
            sendPlanCopy()
        }
    }

    /// A copy of the signed-off plan for the person (and whoever they share it with), under a policy with `plans:`.
    /// A copy not yet sent is replaced: the task's brief is always the plan as it stands.
    mutating func sendPlanCopy() {
        guard policy.plans != nil, state.signedOffPlan != nil else { return }
        resolveTasks(.withdrawn) { $0.kind == .sendPlanCopy }
        openTask(.sendPlanCopy)
    }

    /// `reminder-sent` answers a review reminder or a financial re-assessment's reminder: the one it names, or the
    /// oldest review reminder, or else the oldest re-assessment reminder.
    mutating func completeReminder(named id: TaskID?) throws(TransitionError) {
        if let id, let task = state.tasks[id], task.kind == .chargingReminder {
            resolveTasks { $0.id == id }
        } else if id == nil, state.openTask(.reviewReminder) == nil, state.openTask(.chargingReminder) != nil {
            try completeTask(.chargingReminder, named: nil)
        } else {
            try completeTask(.reviewReminder, named: id)
        }
    }

    /// Sign-off's condition under charging: the financial assessment done or an exemption recorded, unless the
    /// policy lets sign-off go ahead while it is outstanding. Derbyshire: "Only at the point that the agreed Care and
    /// Support plan is signed off is the personal budget (PB) confirmed", and the budget is "made up of social care
    /// funding and the person's assessed contribution" (Wiltshire): its parts are known when it is confirmed.
    var chargingSignOffConditions: [String] {
        guard let charging = policy.charging else { return [] }
        guard let assessment = state.charging else {
            return ["a financial assessment referred and done (request-financial-assessment)"]
        }
        if assessment.outcome == nil && !charging.signOffPendingAssessment {
            return [
                "the financial assessment done, or an exemption recorded (it is with the "
                    + "'\(policy.queue(for: .financialAssessment))' queue)"
            ]
        }
        return []
    }
}
