/// The name of an event, as written in scenarios and sent to the API. The raw values are a **contract**.
public enum EventName: String, Choice, Comparable {
    case contact
    case giveInformationAndAdvice = "give-information-and-advice"
    case offerReablement = "offer-reablement"
    case startInterimSupport = "start-interim-support"
    case interimSupportArranged = "interim-support-arranged"
    case startAssessment = "start-assessment"
    case reablementProgressChecked = "reablement-progress-checked"
    case reablementEnded = "reablement-ended"
    case involvementAssessed = "involvement-assessed"
    case advocateAllocated = "advocate-allocated"
    case assessmentCompleted = "assessment-completed"
    case carerAssessmentOffered = "carer-assessment-offered"
    case eligibilityDecided = "eligibility-decided"
    /// The finance team's outcome: the person's weekly contribution, or an exemption.
    case financialAssessmentCompleted = "financial-assessment-completed"
    /// A financial re-assessment is asked for (a change of circumstances, a request).
    case requestFinancialAssessment = "request-financial-assessment"
    case rasCompleted = "ras-completed"
    case planUpdated = "plan-updated"
    /// The NHS's weekly share of the personal budget under joint funding.
    case jointFundingAgreed = "joint-funding-agreed"
    case requestHighCostApproval = "request-high-cost-approval"
    case highCostDecided = "high-cost-decided"
    case signOff = "sign-off"
    /// The copy of the plan was sent to the person (and whoever they share it with).
    case planCopySent = "plan-copy-sent"
    case providerFound = "provider-found"
    case dpAgreementSigned = "dp-agreement-signed"
    case dpAuditCompleted = "dp-audit-completed"
    case startReview = "start-review"
    case reviewCompleted = "review-completed"
    case reminderSent = "reminder-sent"
    case notificationSent = "notification-sent"
    case safeguardingConcern = "safeguarding-concern"
    case s42Decision = "s42-decision"
    case safeguardingArrangementsSafe = "safeguarding-arrangements-safe"
    case safeguardingConcluded = "safeguarding-concluded"
    case complaintReceived = "complaint-received"
    case complaintResolutionStarted = "complaint-resolution-started"
    case complaintConcluded = "complaint-concluded"
    /// An NHS Continuing Healthcare checklist was completed.
    case chcChecklistCompleted = "chc-checklist-completed"
    /// The NHS decided on Continuing Healthcare (the reply to a `chc-referral` task).
    case chcDecided = "chc-decided"
    /// The person receives aftercare under s117 of the Mental Health Act 1983.
    case s117AftercareRecorded = "s117-aftercare-recorded"
    /// The person's s117 aftercare ended.
    case s117AftercareEnded = "s117-aftercare-ended"
    case movedToAnotherCouncil = "moved-to-another-council"
    case handoverSent = "handover-sent"
    case closeCase = "close-case"
    case servicesEnded = "services-ended"
    case reassign
    case recordPersonDetails = "record-person-details"
    case retryTask = "retry-task"
    case cancelTask = "cancel-task"
    /// A person takes a task from a people's queue: it is theirs now, and others see who has it.
    case takeTask = "take-task"
    /// The person holding a task hands it back to its queue.
    case handBackTask = "hand-back-task"
    /// A manager allocates a task on a people's queue to someone.
    case allocateTask = "allocate-task"
    /// A legal hold: the case is kept whatever the retention schedule says until the hold is released.
    case hold
    case releaseHold = "release-hold"
    /// A wrongly recorded value in one of the case's events is put right, and the wrong value removed.
    case correctRecord = "correct-record"
    /// The council's policy changed: pending timers are recomputed. Sent by `policy apply`, never by people.
    case policyApplied = "policy-applied"
    /// A timer came due. Sent by the timer service (or the scenario runner's virtual clock), never by people.
    case timerFired = "timer-fired"

    public static func < (lhs: EventName, rhs: EventName) -> Bool { lhs.rawValue < rhs.rawValue }
}
