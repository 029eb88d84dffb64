import Foundation

/// The case journey: the pure transition function and what each state accepts.
///
/// `apply` is `(state, event, now, actor, policy) -> (state, [effect])` or a typed error. It reads no clock, file or
/// network: `now` and `policy` are inputs, and effects are returned as values for the shell to commit.
public enum Journey {
    /// Applies one event to a case.
    ///
    /// - Parameters:
    ///   - event: what happened.
    ///   - state: the case before it.
    ///   - now: when it happened (for a timer, its due time).
    ///   - actor: who sent it, as the audit trail records them (`sw.jones`, `worker brokerage-1`, `timer`): the
    ///     four-eyes rules compare it with who asked for a decision.
    ///   - policy: the council's numbers.
    /// - Returns: the case after the event and the effects the shell must commit with it.
    /// - Throws: `TransitionError`: `notAccepted` (naming the stage and the events it would accept),
    ///   `guardFailed` (naming what is missing), `invalidData`, `staleTimer` or `staleTask`. The case is unchanged.
    public static func apply(
        _ event: Event, to state: CaseState, at now: Date, by actor: String, policy: Policy
    ) throws(TransitionError) -> Transition {
        var step = JourneyStep(state: state, now: now, actor: actor, policy: policy)
        switch event {
        case .timerFired(let fire):
            try step.fire(fire)
        case .policyApplied:
            step.retime()
        default:
            guard accepts(event.name, in: state) else {
                let accepted = acceptedEvents(in: state)
                throw TransitionError(
                    .notAccepted,
                    "a case in stage '\(state.stage.rawValue)' does not accept '\(event.name.rawValue)'; it accepts: "
                        + (accepted.isEmpty ? "nothing" : accepted.map(\.rawValue).joined(separator: ", ")),
                    stage: state.stage, event: event.name.rawValue, accepted: accepted)
            }
            try step.handle(event)
        }
        return Transition(state: step.state, effects: step.effects)
    }

    /// The events a case accepts now (timer fires aside), in a stable order.
    public static func acceptedEvents(in state: CaseState) -> [EventName] {
        var names: [EventName] = []
        names.reserveCapacity(24)
        visitAccepted(in: state) { name in
            if !names.contains(name) { names.append(name) }
        }
        return names
    }

    /// Whether a case accepts `name` now (timer fires aside): `acceptedEvents` without making its list, for the
    /// writer, which asks it of every event it applies.
    public static func accepts(_ name: EventName, in state: CaseState) -> Bool {
        var found = false
        visitAccepted(in: state) { accepted in
            if accepted == name { found = true }
        }
        return found
    }

    /// Calls `accept` with each event a case accepts now, in `acceptedEvents`' order (a few more than once): the one
    /// statement of what each state accepts. Without sets, key paths or lists made for it.
    private static func visitAccepted(in state: CaseState, _ accept: (EventName) -> Void) {
        switch state.stage {
        case .new:
            accept(.contact)
            return
        case .contact:
            accept(.giveInformationAndAdvice)
            accept(.offerReablement)
            accept(.startInterimSupport)
            accept(.startAssessment)
        case .interimSupport: accept(.startAssessment)
        case .reablement: accept(.reablementEnded)
        case .assessment:
            accept(.involvementAssessed)
            accept(.assessmentCompleted)
        case .eligibility: accept(.eligibilityDecided)
        case .indicativeBudget: accept(.rasCompleted)
        case .supportPlanning:
            accept(.involvementAssessed)
            accept(.planUpdated)
            accept(.jointFundingAgreed)
            accept(.signOff)
            if state.highCost.status != .pending { accept(.requestHighCostApproval) }
        case .delivery: accept(.startReview)
        case .review:
            accept(.involvementAssessed)
            accept(.reviewCompleted)
        case .transferring: break
        case .closed: accept(.contact)
        }
        // Charging: a re-assessment may be asked for from planning on, unless one is asked for already.
        if Self.chargingStages.contains(state.stage) && state.openTask(.financialAssessment) == nil {
            accept(.requestFinancialAssessment)
        }
        // NHS routes, from planning to review: a CHC checklist (unless a referral is with the NHS, or it funds the
        // care), and s117 aftercare recorded or ended.
        if Self.healthStages.contains(state.stage) {
            let health = state.health ?? .none
            if health.acceptsChecklist && state.openTask(.chcReferral) == nil { accept(.chcChecklistCompleted) }
            accept(health.s117Aftercare ? .s117AftercareEnded : .s117AftercareRecorded)
        }
        // Replies to open tasks are accepted at any stage, even after closing, so that no task is lost.
        // The open tasks' kinds read once (not once for each kind there is: a task's copy costs its strings).
        if !state.tasks.isEmpty {
            let open = state.tasks.values.map(\.kind)
            if open.contains(where: { $0.replyEvent != nil }) {
                for kind in TaskKind.allCases where open.contains(kind) { kind.replyEvent.map(accept) }
                // The operations team may retry or cancel a worker's task whenever one is open.
                accept(.retryTask)
                accept(.cancelTask)
            }
            // Any open task may be taken, handed back or allocated (the policy says which queues people serve: a
            // worker's task is refused then, naming its queue).
            accept(.takeTask)
            accept(.handBackTask)
            accept(.allocateTask)
        }
        if state.stage.isOpen {
            if state.stage != .transferring { accept(.movedToAnotherCouncil) }
            accept(.closeCase)
            accept(.reassign)
        }
        // Person details can be put right at any time, after closing too (statutory returns cover closed cases), and
        // so can any value recorded wrongly; a case is held, or its hold released, whatever its stage.
        accept(.recordPersonDetails)
        accept(.correctRecord)
        accept(state.hold == nil ? .hold : .releaseHold)
        switch state.safeguarding.status {
        case .none: accept(.safeguardingConcern)
        case .concern: accept(.s42Decision)
        case .enquiry:
            accept(.safeguardingArrangementsSafe)
            accept(.safeguardingConcluded)
        }
        switch state.complaint.status {
        case .none: accept(.complaintReceived)
        case .received:
            accept(.complaintResolutionStarted)
            accept(.complaintConcluded)
        case .localResolution: accept(.complaintConcluded)
        }
    }
}

extension Journey {
    // Lists, not sets: `acceptedEvents` runs for every event the writer applies, and a three-stage list is read
    // without hashing.

    /// Where a financial re-assessment may be asked for: from support planning (the first is asked for at
    /// eligibility), while the case is open.
    static let chargingStages: [Stage] = [.supportPlanning, .delivery, .review]

    /// Where NHS routes (a CHC checklist, s117 aftercare) are recorded: where the support is planned and reviewed,
    /// as Kent's checklist asks of a plan.
    static let healthStages: [Stage] = [.supportPlanning, .delivery, .review]
}

/// The result of an accepted event: the new state and the effects to commit with it.
public struct Transition: Hashable, Sendable {
    /// The case after the event.
    public let state: CaseState
    /// What the shell must do, in order.
    public let effects: [Effect]
}

extension Stage {
    /// The practitioner's task that stands for being in this stage, opened on entry and completed on leaving.
    var stageTask: TaskKind? {
        switch self {
        case .contact: .screenContact
        case .interimSupport: .scheduleAssessment
        case .assessment: .assessNeeds
        case .eligibility: .decideEligibility
        case .indicativeBudget: .calculateBudget
        case .supportPlanning: .planSupport
        case .new, .reablement, .delivery, .review, .transferring, .closed: nil
        }
    }
}
