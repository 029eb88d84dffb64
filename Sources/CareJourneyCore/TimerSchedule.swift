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
        func after(_ duration: PolicyDuration, _ anchor: Date?) -> Date? {
            anchor.map { count(duration, after: $0, for: timer, policy: policy) }
        }
        func before(_ duration: PolicyDuration, _ deadline: TimerName) -> Date? {
            due(of: deadline, in: state, policy: policy).map { count(duration, before: $0, for: timer, policy: policy) }
        }
        switch timer {
        case .reablementCheck:
            guard let episode = state.reablement, let ends = due(of: .reablementEnd, in: state, policy: policy)
            else { return nil }
            let next = count(
                policy.reablement.checkEvery.times(episode.checksDue + 1), after: episode.startedAt, for: timer,
                policy: policy)
            return next < ends ? next : nil
        case .reablementEnd: return after(policy.reablement.maximum, state.reablement?.startedAt)
        case .reviewInformal: return after(reviews.informalAfter, state.lastSignedOffAt)
        case .reviewFirstFormalOpens: return after(reviews.firstFormalOpens, state.firstSignedOffAt)
        case .reviewFirstFormalDue: return after(reviews.firstFormalDue, state.firstSignedOffAt)
        case .reviewFirstFormalReminder: return before(reviews.reminderLead, .reviewFirstFormalDue)
        case .reviewPlannedDue: return after(reviews.plannedInterval, state.reviews.lastFormalCompletedAt)
        case .reviewPlannedReminder: return before(reviews.reminderLead, .reviewPlannedDue)
        case .reviewEscalation:
            return state.reviews.overdue.map {
                count(reviews.escalateAfter, after: $0.due, for: timer, policy: policy, fromDeadline: true)
            }
        case .dpAudit: return after(policy.directPayments.auditEvery, state.directPayment.auditFrom)
        case .transferFundingEnds: return after(policy.transfer.fundingContinues, state.transfer?.movedAt)
        case .chargingReassessmentDue:
            return reassessment(state, policy).flatMap { after($0.interval, $0.from) }
        case .chargingReassessmentReminder:
            guard let charging = policy.charging, let from = state.charging?.decidedAt,
                let reminder = before(charging.reminderLead, .chargingReassessmentDue)
            else { return nil }
            return reminder > from ? reminder : nil
        }
    }

    /// The instant `duration` after `anchor` for `timer`: on the council's calendar when the policy counts the timer
    /// in local days (from the anchor's local day, or from a deadline's last day when `fromDeadline`), otherwise
    /// exactly. Transitions that record a due date (reablement's end, the end of funding after a move) ask this
    /// too, so that the date they record is the timer's.
    static func count(
        _ duration: PolicyDuration, after anchor: Date, for timer: TimerName, policy: Policy,
        fromDeadline: Bool = false
    ) -> Date {
        guard let rules = policy.calendar, rules.countsInLocalDays(timer, duration) else {
            return duration.after(anchor)
        }
        let calendar = rules.calendar
        let start = fromDeadline ? calendar.deadlineDay(of: anchor) : calendar.day(of: anchor)
        return rules.instant(of: timer, on: calendar.day(duration, after: start))
    }

    /// The instant `duration` before `deadline` for `timer` (a reminder): counted back from the deadline's last
    /// local day when the policy counts the timer in local days, otherwise exactly.
    static func count(_ duration: PolicyDuration, before deadline: Date, for timer: TimerName, policy: Policy) -> Date {
        guard let rules = policy.calendar, rules.countsInLocalDays(timer, duration) else {
            return duration.before(deadline)
        }
        let calendar = rules.calendar
        return rules.instant(of: timer, on: calendar.day(duration, before: calendar.deadlineDay(of: deadline)))
    }

    /// What the next financial re-assessment counts from, and how long: the policy's interval after the outcome in
    /// force, or a free period; none for exemptions that last as long as what they rest on (a carer's services,
    /// s117 aftercare), which a change of circumstances re-opens.
    private static func reassessment(_ state: CaseState, _ policy: Policy) -> (interval: PolicyDuration, from: Date)? {
        guard let charging = policy.charging, let assessment = state.charging, let outcome = assessment.outcome,
            let from = assessment.decidedAt
        else { return nil }
        switch outcome.exemption {
        case .carersServices?, .s117Aftercare?: return nil
        case .freePeriod?: return charging.freePeriod.map { ($0, from) }
        case .other?, nil: return (charging.reassessEvery, from)
        }
    }
}

extension PolicyDuration {
    /// This duration `n` times over (`1w` times 3 is `3w`).
    public func times(_ n: Int) -> PolicyDuration {
        PolicyDuration(months: months * n, seconds: seconds * Int64(n), workingDays: workingDays * n)
    }
}
