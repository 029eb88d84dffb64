import Foundation

extension JourneyStep {
    /// Applies an event the stage accepts (checked by `Journey.apply`).
    mutating func handle(_ event: Event) throws(TransitionError) {
        switch event {
        case .contact(let contact): try recordContact(contact)
        case .giveInformationAndAdvice: close(.informationAndAdvice)
        case .offerReablement: startReablement()
        case .startInterimSupport:
            enter(.interimSupport)
            openTask(.arrangeInterimSupport)
        case .interimSupportArranged(let reply):
            try completeTask(.arrangeInterimSupport, named: reply.task)
            state.interimProvider = reply.provider
        case .startAssessment(let involvement): startAssessment(involvement)
        case .reablementProgressChecked(let reply):
            try completeTask(.reablementCheck, named: reply.task)
            state.reablement?.checksRecorded += 1
        case .reablementEnded(let outcome): endReablement(outcome)
        case .involvementAssessed(let involvement): assessInvolvement(involvement)
        case .advocateAllocated(let reply):
            try completeTask(.referAdvocacy, named: reply.task)
            state.advocacy = Advocacy(status: .involved, advocate: reply.advocate)
        case .assessmentCompleted(let result): try completeAssessment(result)
        case .carerAssessmentOffered(let reply): try offerCarerAssessment(reply)
        case .eligibilityDecided(let decision): try decideEligibility(decision)
        case .financialAssessmentCompleted(let result): try completeFinancialAssessment(result)
        case .requestFinancialAssessment(let request): try requestFinancialAssessment(request)
        case .rasCompleted(let result): try completeRAS(result)
        case .planUpdated(let update): try updatePlan(update)
        case .jointFundingAgreed(let funding): agreeJointFunding(funding)
        case .requestHighCostApproval(let checklist): try requestHighCostApproval(checklist)
        case .highCostDecided(let decision): try decideHighCost(decision)
        case .signOff: try signOff()
        case .planCopySent(let reply): try completeTask(.sendPlanCopy, named: reply.task)
        case .providerFound(let reply):
            try completeTask(.findProvider, named: reply.task)
            state.provider = reply
        case .dpAgreementSigned(let reply): try activateDirectPayment(reply)
        case .dpAuditCompleted(let result): try completeAudit(result)
        case .startReview(let start): try startReview(start)
        case .reviewCompleted(let result): try completeReview(result)
        case .reminderSent(let reply): try completeReminder(named: reply.task)
        case .notificationSent(let reply): try completeTask(.writtenNotification, named: reply.task)
        case .safeguardingConcern: raiseSafeguardingConcern()
        case .s42Decision(let decision): try decideS42(decision)
        case .safeguardingArrangementsSafe: state.safeguarding.arrangementsSafe = true
        case .safeguardingConcluded(let outcome): try concludeSafeguarding(outcome)
        case .complaintReceived(let complaint): try receiveComplaint(complaint)
        case .complaintResolutionStarted: state.complaint.status = .localResolution
        case .complaintConcluded(let outcome): try concludeComplaint(outcome)
        case .chcChecklistCompleted(let checklist): try recordCHCChecklist(checklist)
        case .chcDecided(let decision): try decideCHC(decision)
        case .s117AftercareRecorded: recordS117()
        case .s117AftercareEnded: endS117()
        case .movedToAnotherCouncil(let move): moveToAnotherCouncil(move)
        case .handoverSent(let reply): try completeTask(.transferHandover, named: reply.task)
        case .closeCase(let closing): try closeCase(closing)
        case .servicesEnded(let reply): try completeTask(.endServices, named: reply.task)
        case .reassign(let change): reassign(change)
        case .recordPersonDetails(let details): try recordDetails(details, event: .recordPersonDetails)
        case .retryTask(let action): try retryTask(action.task)
        case .cancelTask(let action): try cancelTask(action.task)
        case .takeTask(let action): try takeTask(action.task)
        case .handBackTask(let action): try handBackTask(action.task)
        case .allocateTask(let allocation): try allocateTask(allocation)
        case .hold(let decision): try hold(decision)
        case .releaseHold(let decision): try releaseHold(decision)
        case .correctRecord(let correction): try recordCorrection(correction)
        case .timerFired(let fire): try self.fire(fire)
        case .policyApplied: retime()
        }
    }

    /// Fires a pending timer: exactly once, and only for the due time it was set for.
    mutating func fire(_ fire: TimerFire) throws(TransitionError) {
        guard let due = state.timers[fire.timer], due == fire.due else {
            let pending = state.timers[fire.timer].map { "it is pending for \(isoText($0))" } ?? "it is not pending"
            throw TransitionError(
                .staleTimer,
                "timer '\(fire.timer.rawValue)' due \(isoText(fire.due)) does not fire on case \(state.id): \(pending)",
                stage: state.stage, event: EventName.timerFired.rawValue)
        }
        guard now >= due else {
            throw TransitionError(
                .staleTimer,
                "timer '\(fire.timer.rawValue)' is not due until \(isoText(due)); it cannot fire at \(isoText(now))",
                stage: state.stage, event: EventName.timerFired.rawValue)
        }
        state.timers[fire.timer] = nil
        switch fire.timer {
        case .reablementCheck: reablementCheckDue()
        case .reablementEnd: reablementOverran()
        case .reviewInformal: ensureTask(.conductReview, detail: ReviewType.informal.rawValue)
        case .reviewFirstFormalOpens: ensureTask(.conductReview, detail: ReviewType.firstFormal.rawValue)
        case .reviewFirstFormalReminder: openTask(.reviewReminder, detail: ReviewType.firstFormal.rawValue)
        case .reviewPlannedReminder:
            openTask(.reviewReminder, detail: ReviewType.planned.rawValue)
            ensureTask(.conductReview, detail: ReviewType.planned.rawValue)
        case .reviewFirstFormalDue: reviewMissed(.firstFormal, due: due)
        case .reviewPlannedDue: reviewMissed(.planned, due: due)
        case .reviewEscalation: escalateOverdueReview()
        case .dpAudit:
            openTask(.dpAudit)
            state.directPayment.auditFrom = due
            schedule(.dpAudit)
        case .transferFundingEnds: close(.movedToAnotherCouncil)
        case .chargingReassessmentReminder: chargingReminderDue()
        case .chargingReassessmentDue: chargingReassessmentMissed(due: due)
        }
    }
}

/// A date as ISO 8601 text, for messages.
func isoText(_ date: Date) -> String {
    date.formatted(.iso8601)
}
