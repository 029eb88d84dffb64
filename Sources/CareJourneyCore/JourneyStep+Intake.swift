import Foundation

/// Contact, reablement and the start of assessment.
extension JourneyStep {
    /// Records a contact. On a closed case it is a re-referral: a new episode of the journey for the same person;
    /// safeguarding, complaints, tasks still open and a legal hold carry over.
    mutating func recordContact(_ contact: Contact) throws(TransitionError) {
        let known = state.person?.details ?? PersonDetails()
        if state.stage == .closed {
            var fresh = CaseState(id: state.id)
            fresh.safeguarding = state.safeguarding
            fresh.complaint = state.complaint
            fresh.hold = state.hold
            fresh.tasks = state.tasks
            fresh.nextTaskNumber = state.nextTaskNumber
            state = fresh
        }
        state.person = Person(
            name: contact.name, clientType: contact.clientType, route: contact.route, caredFor: contact.caredFor,
            details: known.isEmpty ? nil : known)
        try recordDetails(contact.details, event: .contact)
        state.openedAt = now
        enter(.contact)
    }

    mutating func startReablement() {
        state.reablement = ReablementEpisode(
            startedAt: now,
            endsAt: TimerSchedule.count(policy.reablement.maximum, after: now, for: .reablementEnd, policy: policy),
            checksDue: 0, checksRecorded: 0,
            overran: false)
        enter(.reablement)
        schedule(.reablementCheck)
        schedule(.reablementEnd)
    }

    mutating func reablementCheckDue() {
        state.reablement?.checksDue += 1
        openTask(.reablementCheck, detail: "check \(state.reablement?.checksDue ?? 1)")
        schedule(.reablementCheck)
    }

    /// Reablement reached its maximum without an outcome: it never silently continues.
    mutating func reablementOverran() {
        state.reablement?.overran = true
        cancelTimers([.reablementCheck])
        openTask(.escalateReablementOverrun)
        notify(
            .reablementOverrun,
            "reablement reached its free maximum of \(policy.reablement.maximum) without an outcome; it needs a decision"
        )
    }

    mutating func endReablement(_ outcome: ReablementOutcome) {
        cancelTimers([.reablementCheck, .reablementEnd])
        resolveTasks(.withdrawn) { $0.kind == .reablementCheck }
        resolveTasks(.escalateReablementOverrun)
        switch outcome.outcome {
        case .independent: close(.independenceRegained)
        case .needsRemain: startAssessment(Involvement())
        }
    }

    /// Starts an assessment: s9 for a person, s10 for a carer; numbered so re-assessments are told apart.
    mutating func startAssessment(_ involvement: Involvement) {
        let kind: Assessment.Kind = state.person?.clientType == .carer ? .carer : .needs
        state.assessment = Assessment(
            kind: kind, number: (state.assessment?.number ?? 0) + 1, startedAt: now, completedAt: nil, needs: [],
            outcomes: [])
        enter(.assessment)
        assessInvolvement(involvement)
    }

    /// Refers to advocacy where the duty applies; withdraws a referral a later finding shows is not needed.
    mutating func assessInvolvement(_ involvement: Involvement) {
        switch state.advocacy.status {
        case .notRequired where involvement.needsAdvocate:
            state.advocacy = Advocacy(status: .referred, advocate: nil)
            openTask(.referAdvocacy)
        case .referred where involvement.substantialDifficulty == false || involvement.appropriatePerson == true:
            state.advocacy = .none
            resolveTasks(.referAdvocacy, .withdrawn)
        default: break
        }
    }

    /// The rule at assessment, planning and review: an advocate referred must be involved before completing.
    func requireAdvocateIfReferred(_ what: String, event: EventName) throws(TransitionError) {
        if state.advocacy.status == .referred {
            throw refuse(
                "\(what) cannot complete yet",
                missing: [
                    "an independent advocate involved (the person would have substantial difficulty being "
                        + "involved and has no appropriate person; the referral is on the advocacy queue)"
                ],
                event: event)
        }
    }
}
