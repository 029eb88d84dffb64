import CareJourneyCore
import CareJourneyExampleWorkers
import CareJourneyWire
import Foundation

/// What each deed of the main journey comes to, given the case as it stands.
extension CaseLife {
    mutating func resolve(_ deed: Deed, at now: Date) -> Resolution {
        switch deed {
        case .allocate:
            guard state.stage.isOpen else { return .skip }
            var data: [String: JSONValue] = ["team": .string(persona.team)]
            if let worker = persona.practitioner { data["worker"] = .string(worker) }
            return act(.reassign, .object(data), by: persona.manager)
        case .screen: return screen()
        case .startAssessment:
            guard state.stage == .interimSupport else { return .skip }
            return act(.startAssessment, involvement)
        case .endReablement:
            guard state.stage == .reablement, case .reablement(_, let outcome) = persona.screening else { return .skip }
            return act(.reablementEnded, ["outcome": .string(outcome.rawValue)])
        case .completeAssessment:
            guard state.stage == .assessment else { return .skip }
            guard state.advocacy.status != .referred else { return .retry(after: 3 * 86_400) }
            let found: [String: JSONValue] = [
                "needs": .array(persona.needs.map(JSONValue.string)),
                "outcomes": .array(persona.outcomes.map(JSONValue.string)),
                "carerReliedOn": .bool(persona.carerReliedOn),
            ]
            return act(.assessmentCompleted, .object(found.merging(persona.assessmentRecord) { $1 }))
        case .decideEligibility:
            guard state.stage == .eligibility else { return .skip }
            return persona.eligible
                ? act(.eligibilityDecided, ["eligible": true])
                : act(
                    .eligibilityDecided,
                    [
                        "eligible": false,
                        "reason":
                            "needs can be met through information, advice and community services; no outcome is significantly affected",
                    ])
        case .completeRAS:
            guard state.stage == .indicativeBudget else { return .skip }
            return act(
                .rasCompleted,
                ["points": .number(Double(persona.rasPoints)), "informalSupport": .string(persona.support.rawValue)])
        case .writePlan: return writePlan()
        case .requestHighCost:
            guard state.stage == .supportPlanning, state.highCost.status != .pending else { return .skip }
            // Kent's checklist asks for a CHC checklist completed: the practitioner records one first.
            var acts: [Act] = []
            if policy.highCost.checklist != nil, state.health?.checklistCompleted != true,
                let screened = makeAct(.chcChecklistCompleted, ["positive": false, "note": "screened before panel"])
            {
                acts.append(screened)
            }
            guard let request = makeAct(.requestHighCostApproval, Persona.highCostChecklist) else { return .skip }
            return .act(acts + [request])
        case .panel(let task): return panel(task)
        case .revisePlan:
            guard state.stage == .supportPlanning else { return .skip }
            return act(
                .planUpdated, persona.revisedPlan(threshold: policy.highCost.weeklyThreshold),
                then: [FollowUp(after: days(2...8, "sign-off"), deed: .signOff)])
        case .signOff: return signOff()
        case .reply(let id):
            guard let task = state.tasks[id] else { return .skip }
            return reply(to: task)
        case .audit(let id):
            guard state.tasks[id] != nil else { return .skip }
            let weekly = state.plan.directPayment?.weeklyEquivalent ?? .zero
            let weeks = persona.random.int(3...8, key("unspent.weeks"))
            let unspent = persona.auditFindsUnspent ? weekly.scaled(by: Double(weeks)) : .zero
            return act(
                .dpAuditCompleted, ["unspent": .number(unspent.pounds), "task": .string(id.description)],
                by: "worker dp-monitoring")
        case .startReview, .completeReview, .close, .move, .raiseConcern, .decideS42, .arrangementsSafe,
            .concludeSafeguarding, .receiveComplaint, .startComplaintResolution, .concludeComplaint:
            return resolveBesideTheJourney(deed, at: now)
        }
    }

    /// The event called `name` with `data`, sent by `actor` (the case's practitioner unless said).
    mutating func act(
        _ name: EventName, _ data: JSONValue = [:], by actor: String? = nil, then followUps: [FollowUp] = []
    ) -> Resolution {
        guard let act = makeAct(name, data, by: actor) else { return .skip }
        return .act([act], then: followUps)
    }

    mutating func makeAct(_ name: EventName, _ data: JSONValue, by actor: String? = nil) -> Act? {
        do {
            return Act(event: try Event(name: name.rawValue, data: data), actor: actor ?? persona.actor)
        } catch {
            malformed(name, error)
            return nil
        }
    }

    private var involvement: JSONValue {
        persona.needsAdvocate ? ["substantialDifficulty": true, "appropriatePerson": false] : [:]
    }

    private mutating func screen() -> Resolution {
        guard state.stage == .contact else { return .skip }
        switch persona.screening {
        case .informationAndAdvice:
            let note = persona.random.pick(
                [
                    "signposted to the community lunch club", "a falls-prevention class and a key safe",
                    "carers' centre details",
                ],
                key("advice"))
            return act(.giveInformationAndAdvice, ["note": .string(note)])
        case .reablement(let weeks, _):
            let end = Double(weeks) * 7 * 86_400 + days(0...2, "reablement.end")
            return act(.offerReablement, then: [FollowUp(after: end, deed: .endReablement)])
        case .interimSupport: return act(.startInterimSupport)
        case .assessment: return act(.startAssessment, involvement)
        }
    }

    private mutating func writePlan() -> Resolution {
        guard state.stage == .supportPlanning else { return .skip }
        guard state.signedOffPlan == nil else {
            return act(
                .planUpdated, persona.changedPlan(state),
                then: [FollowUp(after: days(2...10, "sign-off"), deed: .signOff)])
        }
        let next =
            persona.panel != nil && state.highCost.status != .approved
            ? FollowUp(after: days(0.5...3, "high-cost.request"), deed: .requestHighCost)
            : FollowUp(after: days(3...14, "sign-off"), deed: .signOff)
        return act(.planUpdated, persona.plan, then: [next])
    }

    private mutating func panel(_ id: TaskID) -> Resolution {
        guard state.tasks[id] != nil else { return .skip }
        switch persona.panel {
        case .approve:
            return act(
                .highCostDecided, ["approved": true, "task": .string(id.description)], by: persona.manager,
                then: [FollowUp(after: days(1...7, "sign-off"), deed: .signOff)])
        case .returnPlan:
            return act(
                .highCostDecided,
                [
                    "approved": false, "reason": "try a home care package with night checks first",
                    "task": .string(id.description),
                ], by: persona.manager, then: [FollowUp(after: days(5...15, "revise"), deed: .revisePlan)])
        case nil:
            return .skip
        }
    }

    private mutating func signOff() -> Resolution {
        guard state.stage == .supportPlanning else { return .skip }
        guard state.advocacy.status != .referred else { return .retry(after: 3 * 86_400) }
        // The finance team's outcome comes first, unless the policy signs off pending it.
        if let charging = policy.charging, !charging.signOffPendingAssessment, state.charging?.outcome == nil {
            return .retry(after: 2 * 86_400)
        }
        var acts: [Act] = []
        if state.safeguarding.status == .enquiry && !state.safeguarding.arrangementsSafe,
            let safe = makeAct(.safeguardingArrangementsSafe, ["note": "arrangements checked before sign-off"])
        {
            acts.append(safe)
        }
        guard let signOff = makeAct(.signOff, [:], by: persona.manager) else { return .skip }
        acts.append(signOff)
        return .act(acts, then: state.firstSignedOffAt == nil ? lifeAfterSignOff() : [])
    }

    /// What happens to the person once support has started: an ending, an unplanned review, a safeguarding enquiry.
    private mutating func lifeAfterSignOff() -> [FollowUp] {
        var later: [FollowUp] = []
        switch persona.ending {
        case .close(let reason, let afterDays): later.append(FollowUp(after: afterDays * 86_400, deed: .close(reason)))
        case .move(let afterDays): later.append(FollowUp(after: afterDays * 86_400, deed: .move))
        case .atFirstReview, nil: break
        }
        if let reason = persona.unplannedReview {
            later.append(FollowUp(after: days(20...120, "unplanned.after"), deed: .startReview(.unplanned, reason)))
        }
        if persona.safeguardingAfterSignOff {
            let concern = days(20...90, "safeguarding.after")
            let decision = concern + days(1...3, "safeguarding.decision")
            later += [
                FollowUp(after: concern, deed: .raiseConcern),
                FollowUp(after: decision, deed: .decideS42(enquiry: true)),
                FollowUp(after: decision + 86_400, deed: .arrangementsSafe),
                FollowUp(
                    after: decision + days(10...30, "safeguarding.enquiry"),
                    deed: .concludeSafeguarding(reviewNeeded: true)),
            ]
        }
        return later
    }

    /// A reply to a task: brokerage, advocacy and direct-payment answers are the example workers' own.
    private mutating func reply(to task: CareTask) -> Resolution {
        guard let event = task.kind.replyEvent else { return .skip }
        let actor = task.queue == "practice" ? persona.actor : "worker \(task.queue)"
        var data: [String: JSONValue] = [:]
        let worker: (any ExampleWorker)? =
            switch task.kind {
            case .findProvider, .arrangeInterimSupport, .endServices: BrokerageDesk()
            case .referAdvocacy: AdvocacyRota()
            case .setUpDirectPayment: DirectPaymentMonitor()
            default: nil
            }
        var name = event
        if let worker {
            let request = TaskRequest(
                task, brief: TaskBrief(for: task, in: state, calendar: policy.councilCalendar), attempt: 1)
            guard case .done(let answer, let named) = worker.answer(request, progress: { _ in }) else { return .skip }
            data = answer
            name = named.flatMap(EventName.init(rawValue:)) ?? event
        } else if task.kind == .offerCarerAssessment {
            data["accepted"] = false
        } else if task.kind == .financialAssessment {
            data = persona.financialOutcome
        } else if task.kind == .chcReferral {
            data["fundingAgreed"] = false
        }
        data["task"] = .string(task.id.description)
        return act(name, .object(data), by: actor)
    }
}
