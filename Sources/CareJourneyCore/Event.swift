import Foundation

/// Something that happened to a case: a practitioner's decision, a worker's reply, or a timer coming due.
///
/// Written as `{"name": "<event-name>", "data": {…}}` in scenarios, the API and the store.
public enum Event: Hashable, Sendable {
    case contact(Contact)
    case giveInformationAndAdvice(Note)
    case offerReablement(Note)
    case startInterimSupport(Note)
    case interimSupportArranged(ProviderArranged)
    case startAssessment(Involvement)
    case reablementProgressChecked(Note)
    case reablementEnded(ReablementOutcome)
    case involvementAssessed(Involvement)
    case advocateAllocated(AdvocateAllocated)
    case assessmentCompleted(AssessmentCompleted)
    case carerAssessmentOffered(CarerAssessmentOffer)
    case eligibilityDecided(EligibilityDecision)
    case financialAssessmentCompleted(FinancialAssessmentResult)
    case requestFinancialAssessment(FinancialAssessmentRequest)
    case rasCompleted(RASResult)
    case planUpdated(PlanUpdate)
    case jointFundingAgreed(JointFunding)
    case requestHighCostApproval(HighCostChecklist)
    case highCostDecided(HighCostDecision)
    case signOff(Note)
    case planCopySent(Note)
    case providerFound(ProviderArranged)
    case dpAgreementSigned(Note)
    case dpAuditCompleted(AuditResult)
    case startReview(ReviewStart)
    case reviewCompleted(ReviewResult)
    case reminderSent(Note)
    case notificationSent(Note)
    case safeguardingConcern(Note)
    case s42Decision(S42Decision)
    case safeguardingArrangementsSafe(Note)
    case safeguardingConcluded(SafeguardingOutcome)
    case complaintReceived(ComplaintReceived)
    case complaintResolutionStarted(Note)
    case complaintConcluded(ComplaintOutcome)
    case chcChecklistCompleted(CHCChecklist)
    case chcDecided(CHCDecision)
    case s117AftercareRecorded(Note)
    case s117AftercareEnded(Note)
    case movedToAnotherCouncil(Move)
    case handoverSent(Note)
    case closeCase(Closing)
    case servicesEnded(Note)
    case reassign(Reassignment)
    case recordPersonDetails(PersonDetails)
    case retryTask(TaskAction)
    case cancelTask(TaskAction)
    case takeTask(TaskAction)
    case handBackTask(TaskAction)
    case allocateTask(TaskAllocation)
    case hold(HoldDecision)
    case releaseHold(HoldDecision)
    case correctRecord(Correction)
    case policyApplied(PolicyChange)
    case timerFired(TimerFire)

    /// The event's name.
    public var name: EventName {
        switch self {
        case .contact: .contact
        case .giveInformationAndAdvice: .giveInformationAndAdvice
        case .offerReablement: .offerReablement
        case .startInterimSupport: .startInterimSupport
        case .interimSupportArranged: .interimSupportArranged
        case .startAssessment: .startAssessment
        case .reablementProgressChecked: .reablementProgressChecked
        case .reablementEnded: .reablementEnded
        case .involvementAssessed: .involvementAssessed
        case .advocateAllocated: .advocateAllocated
        case .assessmentCompleted: .assessmentCompleted
        case .carerAssessmentOffered: .carerAssessmentOffered
        case .eligibilityDecided: .eligibilityDecided
        case .financialAssessmentCompleted: .financialAssessmentCompleted
        case .requestFinancialAssessment: .requestFinancialAssessment
        case .rasCompleted: .rasCompleted
        case .planUpdated: .planUpdated
        case .jointFundingAgreed: .jointFundingAgreed
        case .requestHighCostApproval: .requestHighCostApproval
        case .highCostDecided: .highCostDecided
        case .signOff: .signOff
        case .planCopySent: .planCopySent
        case .providerFound: .providerFound
        case .dpAgreementSigned: .dpAgreementSigned
        case .dpAuditCompleted: .dpAuditCompleted
        case .startReview: .startReview
        case .reviewCompleted: .reviewCompleted
        case .reminderSent: .reminderSent
        case .notificationSent: .notificationSent
        case .safeguardingConcern: .safeguardingConcern
        case .s42Decision: .s42Decision
        case .safeguardingArrangementsSafe: .safeguardingArrangementsSafe
        case .safeguardingConcluded: .safeguardingConcluded
        case .complaintReceived: .complaintReceived
        case .complaintResolutionStarted: .complaintResolutionStarted
        case .complaintConcluded: .complaintConcluded
        case .chcChecklistCompleted: .chcChecklistCompleted
        case .chcDecided: .chcDecided
        case .s117AftercareRecorded: .s117AftercareRecorded
        case .s117AftercareEnded: .s117AftercareEnded
        case .movedToAnotherCouncil: .movedToAnotherCouncil
        case .handoverSent: .handoverSent
        case .closeCase: .closeCase
        case .servicesEnded: .servicesEnded
        case .reassign: .reassign
        case .recordPersonDetails: .recordPersonDetails
        case .retryTask: .retryTask
        case .cancelTask: .cancelTask
        case .takeTask: .takeTask
        case .handBackTask: .handBackTask
        case .allocateTask: .allocateTask
        case .hold: .hold
        case .releaseHold: .releaseHold
        case .correctRecord: .correctRecord
        case .policyApplied: .policyApplied
        case .timerFired: .timerFired
        }
    }

    /// Whether the event is the system's (a timer, a policy change) rather than a person's or a worker's.
    public var isSystemEvent: Bool { Self.systemEvents.contains(name) }

    /// The events the service sends itself (timers, policy changes), never people or workers.
    public static let systemEvents: Set<EventName> = [.timerFired, .policyApplied]

    /// The task this event names as the one it completes, if any.
    public var task: TaskID? {
        switch self {
        case .interimSupportArranged(let data), .providerFound(let data): data.task
        case .advocateAllocated(let data): data.task
        case .carerAssessmentOffered(let data): data.task
        case .highCostDecided(let data): data.task
        case .dpAuditCompleted(let data): data.task
        case .s42Decision(let data): data.task
        case .safeguardingConcluded(let data): data.task
        case .complaintConcluded(let data): data.task
        case .financialAssessmentCompleted(let data): data.task
        case .chcDecided(let data): data.task
        case .reablementProgressChecked(let data), .dpAgreementSigned(let data), .reminderSent(let data),
            .notificationSent(let data), .handoverSent(let data), .servicesEnded(let data), .planCopySent(let data):
            data.task
        default: nil
        }
    }
}

extension Event {
    /// The same reply event naming `task` as the one it completes; other events are returned unchanged.
    public func answering(_ task: TaskID?) -> Event {
        guard let task else { return self }
        switch self {
        case .interimSupportArranged(var data): data.task = task; return .interimSupportArranged(data)
        case .providerFound(var data): data.task = task; return .providerFound(data)
        case .advocateAllocated(var data): data.task = task; return .advocateAllocated(data)
        case .carerAssessmentOffered(var data): data.task = task; return .carerAssessmentOffered(data)
        case .highCostDecided(var data): data.task = task; return .highCostDecided(data)
        case .dpAuditCompleted(var data): data.task = task; return .dpAuditCompleted(data)
        case .s42Decision(var data): data.task = task; return .s42Decision(data)
        case .safeguardingConcluded(var data): data.task = task; return .safeguardingConcluded(data)
        case .complaintConcluded(var data): data.task = task; return .complaintConcluded(data)
        case .financialAssessmentCompleted(var data): data.task = task; return .financialAssessmentCompleted(data)
        case .chcDecided(var data): data.task = task; return .chcDecided(data)
        case .planCopySent(var data): data.task = task; return .planCopySent(data)
        case .reablementProgressChecked(var data): data.task = task; return .reablementProgressChecked(data)
        case .dpAgreementSigned(var data): data.task = task; return .dpAgreementSigned(data)
        case .reminderSent(var data): data.task = task; return .reminderSent(data)
        case .notificationSent(var data): data.task = task; return .notificationSent(data)
        case .handoverSent(var data): data.task = task; return .handoverSent(data)
        case .servicesEnded(var data): data.task = task; return .servicesEnded(data)
        default: return self
        }
    }
}
