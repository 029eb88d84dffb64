/// Delivery: direct payments and their audits, and moves to another council.
extension JourneyStep {
    mutating func activateDirectPayment(_ reply: Note) throws(TransitionError) {
        try completeTask(.setUpDirectPayment, named: reply.task)
        state.directPayment.status = .active
        state.directPayment.auditFrom = now
        schedule(.dpAudit)
    }

    /// Records the audit; unspent money is reclaimed and starts an unplanned review.
    mutating func completeAudit(_ result: AuditResult) throws(TransitionError) {
        try completeTask(.dpAudit, named: result.task)
        state.directPayment.audits += 1
        guard result.unspent > .zero else { return }
        state.directPayment.reclaimed = state.directPayment.reclaimed + result.unspent
        notify(.reclaimRecorded, "the direct payment audit found \(result.unspent) unspent; it is reclaimed")
        startUnplannedReview(.dpAudit)
    }

    /// Funded support continues for the policy's period after the move, then the case closes; a case not yet
    /// funded closes at once.
    mutating func moveToAnotherCouncil(_ move: Move) {
        guard state.isFunded else {
            close(.movedToAnotherCouncil)
            return
        }
        stopJourneyWork()
        state.transfer = Transfer(
            council: move.council, movedAt: now,
            fundingEndsAt: TimerSchedule.count(
                policy.transfer.fundingContinues, after: now, for: .transferFundingEnds, policy: policy))
        state.stage = .transferring
        ensureTask(.transferHandover)
        schedule(.transferFundingEnds)
    }
}

extension JourneyStep {
    /// The reasons that have an event of their own, which carries their rules.
    static let reasonsWithTheirOwnEvent: [ClosureReason: EventName] = [
        .movedToAnotherCouncil: .movedToAnotherCouncil, .notEligible: .eligibilityDecided,
        .independenceRegained: .reablementEnded,
    ]

    mutating func closeCase(_ closing: Closing) throws(TransitionError) {
        if let event = Self.reasonsWithTheirOwnEvent[closing.reason] {
            throw TransitionError(
                .guardFailed,
                "a case closes as '\(closing.reason.rawValue)' through the '\(event.rawValue)' event, which applies its rules",
                stage: state.stage, event: EventName.closeCase.rawValue, missing: ["the '\(event.rawValue)' event"])
        }
        close(closing.reason)
    }
}
