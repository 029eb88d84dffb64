/// Information governance on a case: legal holds and corrections of what was recorded. They change nothing the
/// journey does, and are accepted at any stage, closed too.
extension JourneyStep {
    /// Puts the case on hold (accepted only when it is not held already).
    mutating func hold(_ decision: HoldDecision) throws(TransitionError) {
        try requireReason(decision.reason, event: .hold)
        state.hold = LegalHold(by: actor, at: now, reason: decision.reason)
    }

    /// Ends the hold (accepted only while the case is held): the retention schedule applies again.
    mutating func releaseHold(_ decision: HoldDecision) throws(TransitionError) {
        try requireReason(decision.reason, event: .releaseHold)
        state.hold = nil
    }

    /// Records that a value was corrected. The case itself is not changed here: the store rewrites the corrected
    /// event and replays the case (see `Correction`), so the case after this event is the case its corrected
    /// history gives, and replaying that history gives it again.
    func recordCorrection(_ correction: Correction) throws(TransitionError) {
        try requireReason(correction.reason, event: .correctRecord)
        try correction.checkShape()
    }

    /// Refuses a reason that says nothing: governance decisions are read years later by someone else.
    func requireReason(_ reason: String, event: EventName) throws(TransitionError) {
        guard reason.contains(where: { !$0.isWhitespace }) else {
            throw TransitionError(
                .invalidData,
                "the data of '\(event.rawValue)' needs a 'reason' that says why (it is read later by someone else)",
                stage: state.stage, event: event.rawValue, field: "reason")
        }
    }
}
