/// What a task asks of the practitioner, the team manager or a worker. The policy names the queue for each.
///
/// The raw values are a **contract**: they are the keys of a policy's `queues:` map and appear in task bodies.
public enum TaskKind: String, Choice, Comparable {
    case screenContact = "screen-contact"
    case scheduleAssessment = "schedule-assessment"
    case arrangeInterimSupport = "arrange-interim-support"
    case reablementCheck = "reablement-check"
    case escalateReablementOverrun = "escalate-reablement-overrun"
    case assessNeeds = "assess-needs"
    case decideEligibility = "decide-eligibility"
    case calculateBudget = "calculate-budget"
    case planSupport = "plan-support"
    case highCostPanel = "high-cost-panel"
    case referAdvocacy = "refer-advocacy"
    case findProvider = "find-provider"
    case setUpDirectPayment = "set-up-direct-payment"
    case dpAudit = "dp-audit"
    case conductReview = "conduct-review"
    case reviewReminder = "review-reminder"
    case escalateOverdueReview = "escalate-overdue-review"
    case safeguardingDecision = "safeguarding-decision"
    case safeguardingEnquiry = "safeguarding-enquiry"
    case complaintResolution = "complaint-resolution"
    case writtenNotification = "written-notification"
    case offerCarerAssessment = "offer-carer-assessment"
    case transferHandover = "transfer-handover"
    case endServices = "end-services"
    case financialAssessment = "financial-assessment"
    case chargingReminder = "charging-reminder"
    case chcReferral = "chc-referral"
    case sendPlanCopy = "send-plan-copy"

    /// Task kinds that outlive the journey, still open when their case closes: side machines (safeguarding,
    /// complaints), notices still to send, and the end of funded services (`end-services`). Closing withdraws every
    /// other task; `store doctor` reports any other open under a closed case.
    public static let outlivingTheCase: Set<TaskKind> = [
        .safeguardingDecision, .safeguardingEnquiry, .complaintResolution, .writtenNotification, .transferHandover,
        .endServices,
    ]

    /// Whether a task of this kind stays open when its case closes (`outlivingTheCase`).
    public var outlivesTheCase: Bool { Self.outlivingTheCase.contains(self) }

    /// The event a worker's reply to this task becomes, where a worker (not a practitioner's decision) completes it.
    public var replyEvent: EventName? {
        switch self {
        case .arrangeInterimSupport: .interimSupportArranged
        case .reablementCheck: .reablementProgressChecked
        case .referAdvocacy: .advocateAllocated
        case .findProvider: .providerFound
        case .setUpDirectPayment: .dpAgreementSigned
        case .dpAudit: .dpAuditCompleted
        case .reviewReminder: .reminderSent
        case .writtenNotification: .notificationSent
        case .offerCarerAssessment: .carerAssessmentOffered
        case .transferHandover: .handoverSent
        case .highCostPanel: .highCostDecided
        case .endServices: .servicesEnded
        case .safeguardingDecision: .s42Decision
        case .safeguardingEnquiry: .safeguardingConcluded
        case .complaintResolution: .complaintConcluded
        case .financialAssessment: .financialAssessmentCompleted
        case .chargingReminder: .reminderSent
        case .chcReferral: .chcDecided
        case .sendPlanCopy: .planCopySent
        case .screenContact, .scheduleAssessment, .escalateReablementOverrun, .assessNeeds, .decideEligibility,
            .calculateBudget, .planSupport, .conductReview, .escalateOverdueReview:
            nil
        }
    }

    /// One line on what the task asks, for task bodies, docs and the dashboard.
    public var summary: String {
        switch self {
        case .screenContact: "Screen the contact and decide the next step"
        case .scheduleAssessment: "Start the needs assessment that follows interim support"
        case .arrangeInterimSupport: "Arrange interim crisis support"
        case .reablementCheck: "Weekly reablement progress check"
        case .escalateReablementOverrun: "Reablement reached its maximum without an outcome"
        case .assessNeeds: "Complete the assessment (Care Act s9 or s10)"
        case .decideEligibility: "Decide eligibility (Care Act s13)"
        case .calculateBudget: "Run the resource allocation system for an indicative budget"
        case .planSupport: "Write the care and support plan and bring it to sign-off"
        case .highCostPanel: "High-cost package panel decision"
        case .referAdvocacy: "Allocate an independent advocate"
        case .findProvider: "Find a provider for the council-managed support"
        case .setUpDirectPayment: "Set up the direct payment agreement"
        case .dpAudit: "Audit the direct payment account"
        case .conductReview: "Carry out the review"
        case .reviewReminder: "Send the review reminder"
        case .escalateOverdueReview: "A review is overdue"
        case .safeguardingDecision: "Decide whether a s42 enquiry is needed"
        case .safeguardingEnquiry: "Carry out the s42 safeguarding enquiry"
        case .complaintResolution: "Resolve the complaint"
        case .writtenNotification: "Send the written notification of the decision"
        case .offerCarerAssessment: "Offer the carer an assessment of their own"
        case .transferHandover: "Share the assessment and plan with the new council"
        case .endServices: "Stop the services and the direct payment of a closed case"
        case .financialAssessment: "Carry out the financial assessment under the charging policy"
        case .chargingReminder: "Send the reminder that the financial re-assessment is due"
        case .chcReferral: "Refer to the NHS for a Continuing Healthcare decision"
        case .sendPlanCopy: "Send the person (and whoever they share it with) a copy of their plan"
        }
    }

    public static func < (lhs: TaskKind, rhs: TaskKind) -> Bool { lhs.rawValue < rhs.rawValue }
}
