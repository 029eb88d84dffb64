import Foundation

/// When each timer is due, from the dates in the case it counts from (its anchors) and the policy's numbers.
///
/// Transitions and `policy apply` both ask this, so a timer set by a transition and the same timer recomputed
/// under a new policy can never disagree about how it is worked out.
public enum TimerSchedule {
    /// The due time of `timer` for `state` under `policy`, or `nil` when the case has no anchor for it (or, for
    /// a reablement check, when the next check would not come before reablement ends).
    public static func due(of timer: TimerName, in state: CaseState, policy: Policy) -> Date? {
        let reviews = policy.reviews
        switch timer {
        case .reablementCheck:
            guard let episode = state.reablement, let ends = due(of: .reablementEnd, in: state, policy: policy)
            else { return nil }
            let next = policy.reablement.checkEvery.times(episode.checksDue + 1).after(episode.startedAt)
            return next < ends ? next : nil
        case .reablementEnd:
            return state.reablement.map { policy.reablement.maximum.after($0.startedAt) }
        case .reviewInformal:
            return state.lastSignedOffAt.map { reviews.informalAfter.after($0) }
        case .reviewFirstFormalOpens:
            return state.firstSignedOffAt.map { reviews.firstFormalOpens.after($0) }
        case .reviewFirstFormalDue:
            return state.firstSignedOffAt.map { reviews.firstFormalDue.after($0) }
        case .reviewFirstFormalReminder:
            return due(of: .reviewFirstFormalDue, in: state, policy: policy).map { reviews.reminderLead.before($0) }
        case .reviewPlannedDue:
            return state.reviews.lastFormalCompletedAt.map { reviews.plannedInterval.after($0) }
        case .reviewPlannedReminder:
            return due(of: .reviewPlannedDue, in: state, policy: policy).map { reviews.reminderLead.before($0) }
        case .reviewEscalation:
            return state.reviews.overdue.map { reviews.escalateAfter.after($0.due) }
        case .dpAudit:
            return state.directPayment.auditFrom.map { policy.directPayments.auditEvery.after($0) }
        case .transferFundingEnds:
            return state.transfer.map { policy.transfer.fundingContinues.after($0.movedAt) }
        case .chargingReassessmentDue:
            return reassessmentDue(state, policy)
        case .chargingReassessmentReminder:
            guard let due = reassessmentDue(state, policy), let charging = policy.charging,
                let from = state.charging?.decidedAt
            else { return nil }
            let reminder = charging.reminderLead.before(due)
            return reminder > from ? reminder : nil
        }
    }

    /// When the next financial re-assessment is due: the policy's interval after the outcome in force, or the end
    /// of a free period; none for exemptions that last as long as what they rest on (a carer's services, s117
    /// aftercare), which a change of circumstances re-opens.
    private static func reassessmentDue(_ state: CaseState, _ policy: Policy) -> Date? {
        guard let charging = policy.charging, let assessment = state.charging, let outcome = assessment.outcome,
            let from = assessment.decidedAt
        else { return nil }
        switch outcome.exemption {
        case .carersServices?, .s117Aftercare?: return nil
        case .freePeriod?: return charging.freePeriod?.after(from)
        case .other?, nil: return charging.reassessEvery.after(from)
        }
    }
}

extension PolicyDuration {
    /// This duration `n` times over (`1w` times 3 is `3w`).
    public func times(_ n: Int) -> PolicyDuration {
        PolicyDuration(months: months * n, seconds: seconds * Int64(n))
    }
}
