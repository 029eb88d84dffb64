import Foundation

/// The review cycle: due dates, reminders, overdue escalation, and review outcomes.
extension JourneyStep {
    static let formalReviewTimers: [TimerName] = [
        .reviewFirstFormalOpens, .reviewFirstFormalReminder, .reviewFirstFormalDue, .reviewPlannedReminder,
        .reviewPlannedDue, .reviewEscalation,
    ]

    mutating func startReview(_ start: ReviewStart) throws(TransitionError) {
        if start.type == .unplanned && start.reason == nil {
            throw TransitionError(
                .invalidData,
                "an unplanned review needs a 'reason': one of \(UnplannedReason.allowedWords)",
                stage: state.stage, event: EventName.startReview.rawValue)
        }
        if start.type == .firstFormal, let opens = state.timers[.reviewFirstFormalOpens] {
            throw refuse(
                "the first formal review cannot start yet", missing: ["its window, which opens \(isoText(opens))"],
                event: .startReview)
        }
        if start.type == .planned && !state.reviews.formalReviewDone {
            throw refuse(
                "no planned review is due yet", missing: ["the first formal review, which comes first"],
                event: .startReview)
        }
        beginReview(start.type, reason: start.type == .unplanned ? start.reason : nil)
        assessInvolvement(start.involvement)
    }

    /// Starts an unplanned review where support is being delivered. During a review there is nothing more to
    /// start; anywhere else the practitioner gets a review task, to start once support is in place.
    mutating func startUnplannedReview(_ reason: UnplannedReason) {
        switch state.stage {
        case .delivery: beginReview(.unplanned, reason: reason)
        case .review: break
        default:
            ensureTask(.conductReview, detail: ReviewType.unplanned.rawValue)
            notify(.reviewRequested, "an unplanned review is needed (\(reason.rawValue))")
        }
    }

    private mutating func beginReview(_ type: ReviewType, reason: UnplannedReason?) {
        state.reviews.current = ReviewInProgress(type: type, reason: reason, startedAt: now)
        ensureTask(.conductReview, detail: type.rawValue)
        enter(.review)
    }

    mutating func completeReview(_ result: ReviewResult) throws(TransitionError) {
        try requireAdvocateIfReferred("the review", event: .reviewCompleted)
        if result.outcome == .closure && result.closureReason == nil {
            throw TransitionError(
                .invalidData,
                "a review that closes the case needs a 'closureReason': one of \(ClosureReason.allowedWords)",
                stage: state.stage, event: EventName.reviewCompleted.rawValue)
        }
        let type = state.reviews.current?.type ?? .unplanned
        state.reviews.current = nil
        state.reviews.completed += 1
        state.reviews.lastCompletedAt = now
        // A formal review satisfies what is due once the first formal window has opened; an earlier one (an
        // unplanned review in the first weeks) leaves the 6–8-week review in place.
        let satisfiesCycle = type.isFormal && state.timers[.reviewFirstFormalOpens] == nil
        if satisfiesCycle {
            // A formal review of any kind satisfies what is due, and the next planned review counts from it.
            cancelTimers(Self.formalReviewTimers + [.reviewInformal])
            resolveTasks { [.conductReview, .reviewReminder, .escalateOverdueReview].contains($0.kind) }
            state.reviews.overdue = nil
            state.reviews.formalReviewDone = true
        } else if type == .informal {
            cancelTimers([.reviewInformal])
            resolveTasks { $0.kind == .conductReview && $0.detail == ReviewType.informal.rawValue }
        } else {
            resolveTasks { $0.kind == .conductReview && $0.detail == type.rawValue }
        }
        switch result.outcome {
        case .noChange: enter(.delivery)
        case .planChange: enter(.supportPlanning)
        case .reassessment: startAssessment(Involvement())
        case .closure:
            openTask(.writtenNotification, detail: "review outcome")
            close(result.closureReason ?? .needsMet)
            return
        }
        if satisfiesCycle {
            state.reviews.lastFormalCompletedAt = now
            schedule(.reviewPlannedReminder)
            schedule(.reviewPlannedDue)
        }
    }

    /// A formal review's due date passed without it: overdue, visible, and escalated to the team manager.
    mutating func reviewMissed(_ type: ReviewType, due: Date) {
        state.reviews.overdue = OverdueReview(type: type, due: due)
        ensureTask(.conductReview, detail: type.rawValue)
        notify(.reviewOverdue, "the \(type.rawValue) review was due \(isoText(due)) and is overdue")
        // At once when the escalation is already due (after 0s, on a working day); otherwise when it falls due.
        if let at = TimerSchedule.due(of: .reviewEscalation, in: state, policy: policy), at > now {
            setTimer(.reviewEscalation, at: at)
        } else {
            escalateOverdueReview()
        }
    }

    mutating func escalateOverdueReview() {
        ensureTask(.escalateOverdueReview, detail: state.reviews.overdue?.type.rawValue)
    }
}
