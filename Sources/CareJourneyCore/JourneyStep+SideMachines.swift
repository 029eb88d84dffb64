/// Safeguarding and complaints: they run beside the journey and never lose its place.
extension JourneyStep {
    mutating func raiseSafeguardingConcern() {
        state.safeguarding.status = .concern
        state.safeguarding.concernsRaised += 1
        state.safeguarding.arrangementsSafe = false
        state.safeguarding.raisedBy = actor
        openTask(.safeguardingDecision)
        notify(.safeguardingOpened, "a safeguarding concern was raised")
    }

    /// Four eyes: deciding that no enquiry is needed ends the concern, so its raiser may not decide that alone.
    mutating func decideS42(_ decision: S42Decision) throws(TransitionError) {
        if !decision.enquiry, let raiser = state.safeguarding.raisedBy, raiser == actor {
            throw refuse(
                "four eyes: the person who raised a safeguarding concern cannot end it alone",
                missing: ["someone other than \(raiser), who raised the concern, to decide that no enquiry is needed"],
                event: .s42Decision)
        }
        try completeTask(.safeguardingDecision, named: decision.task)
        if decision.enquiry {
            state.safeguarding.status = .enquiry
            openTask(.safeguardingEnquiry)
        } else {
            state.safeguarding.status = .none
            state.safeguarding.lastOutcome = .noFurtherAction
            state.safeguarding.raisedBy = nil
        }
    }

    /// Ends the enquiry; an outcome that needs it starts an unplanned review.
    ///
    /// Four eyes: whoever raised the concern may not conclude the enquiry alone; someone else concludes it.
    mutating func concludeSafeguarding(_ outcome: SafeguardingOutcome) throws(TransitionError) {
        if let raiser = state.safeguarding.raisedBy, raiser == actor {
            throw refuse(
                "four eyes: the person who raised a safeguarding concern cannot conclude its enquiry alone",
                missing: ["someone other than \(raiser), who raised the concern, to conclude it"],
                event: .safeguardingConcluded)
        }
        try completeTask(.safeguardingEnquiry, named: outcome.task)
        state.safeguarding.status = .none
        state.safeguarding.raisedBy = nil
        state.safeguarding.arrangementsSafe = false
        state.safeguarding.lastOutcome = outcome.outcome
        if outcome.reviewNeeded == true { startUnplannedReview(.safeguarding) }
    }

    /// A complaint, saying what it challenges when it does. One about the contribution needs an assessed one.
    mutating func receiveComplaint(_ complaint: ComplaintReceived) throws(TransitionError) {
        if complaint.about == .contribution && state.charging?.outcome == nil {
            throw refuse(
                "a complaint about the contribution cannot be linked to it",
                missing: ["a financial assessment's outcome on the case, to challenge"], event: .complaintReceived)
        }
        state.complaint.status = .received
        state.complaint.received += 1
        state.complaint.about = complaint.about
        openTask(.complaintResolution)
        notify(.complaintOpened, "a complaint was received")
    }

    /// Ends the complaint. A challenge to the contribution that is upheld, in whole or part, has the person's
    /// finances assessed again (Wiltshire: people may challenge "the cost of your contribution").
    mutating func concludeComplaint(_ outcome: ComplaintOutcome) throws(TransitionError) {
        try completeTask(.complaintResolution, named: outcome.task)
        let about = state.complaint.about
        state.complaint.status = .none
        state.complaint.lastOutcome = outcome.outcome
        state.complaint.about = nil
        if about == .contribution && [.upheld, .partlyUpheld].contains(outcome.outcome) {
            referForFinancialAssessment(.challenge)
        }
    }
}
