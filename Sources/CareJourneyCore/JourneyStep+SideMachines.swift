/// Safeguarding and complaints: they run beside the journey and never lose its place.
extension JourneyStep {
    mutating func raiseSafeguardingConcern() {
        state.safeguarding.status = .concern
        state.safeguarding.concernsRaised += 1
        state.safeguarding.arrangementsSafe = false
        openTask(.safeguardingDecision)
        notify(.safeguardingOpened, "a safeguarding concern was raised")
    }

    mutating func decideS42(_ decision: S42Decision) throws(TransitionError) {
        try completeTask(.safeguardingDecision, named: decision.task)
        if decision.enquiry {
            state.safeguarding.status = .enquiry
            openTask(.safeguardingEnquiry)
        } else {
            state.safeguarding.status = .none
            state.safeguarding.lastOutcome = .noFurtherAction
        }
    }

    /// Ends the enquiry; an outcome that needs it starts an unplanned review.
    mutating func concludeSafeguarding(_ outcome: SafeguardingOutcome) throws(TransitionError) {
        try completeTask(.safeguardingEnquiry, named: outcome.task)
        state.safeguarding.status = .none
        state.safeguarding.arrangementsSafe = false
        state.safeguarding.lastOutcome = outcome.outcome
        if outcome.reviewNeeded == true { startUnplannedReview(.safeguarding) }
    }

    mutating func receiveComplaint() {
        state.complaint.status = .received
        state.complaint.received += 1
        openTask(.complaintResolution)
        notify(.complaintOpened, "a complaint was received")
    }

    mutating func concludeComplaint(_ outcome: ComplaintOutcome) throws(TransitionError) {
        try completeTask(.complaintResolution, named: outcome.task)
        state.complaint.status = .none
        state.complaint.lastOutcome = outcome.outcome
    }
}
