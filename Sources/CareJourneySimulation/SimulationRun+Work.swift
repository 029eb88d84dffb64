import CareJourneyCore
import Foundation

/// What people and workers do when their planned time comes: the profile decides which answer, the core decides
/// what follows. Before the start (the caseload being put in place) everyone answers at once and every journey
/// goes the way of a person in delivery.
extension SimulationRun {
    var answers: SimulationAnswers { sim.answers }

    mutating func perform(_ action: SimCase.Action, on slot: Int, at: Double) {
        let state = cases[slot].state
        switch action {
        case .contact:
            apply(answers.contact, to: slot, at: at, by: "contact-centre")
        case .answer(let number, let queue, let created, let taken, let done):
            guard let task = state.tasks[TaskID(caseID: state.id, number: number)] else { return }
            // The team's work is done now, whatever the journey makes of it (a contact given information and
            // advice closes the case and withdraws its screening task: the screening was still done).
            if answer(task, slot: slot, at: at, queue: Int(queue), created: created, taken: taken, done: done) {
                counters.count(\.done, row: Int(queue), at: at)
            }
        case .endReablement:
            guard state.stage == .reablement else { return }
            endReablement(slot, at: at)
        case .signOff(let attempt):
            guard state.stage == .supportPlanning else { return }
            // Sign-off waits for what the policy needs first (the financial assessment's outcome): try daily.
            if !apply(answers.signOff, to: slot, at: at, by: "team-manager", quiet: attempt < 60) && attempt < 60 {
                plan(.signOff(attempt: attempt + 1), at: at + 86_400, in: slot)
            }
        case .death:
            guard state.stage.isOpen else { return }
            apply(answers.death, to: slot, at: at, by: "practitioner")
        case .move:
            guard state.stage.isOpen, state.stage != .transferring else { return }
            apply(answers.move, to: slot, at: at, by: "practitioner")
        case .concern:
            guard state.stage.isOpen else { return }
            if state.safeguarding.status == .none {
                apply(answers.safeguardingConcern, to: slot, at: at, by: "home-care-provider")
            }
            let next =
                at + cases[slot].random.exponential(rate: sim.profile.ratesPerYear.safeguarding) * 365.25 * 86_400
            if next < endTime { plan(.concern, at: next.rounded(.down), in: slot) }
        case .complaint:
            guard state.stage.isOpen else { return }
            if state.complaint.status == .none {
                apply(answers.complaintReceived, to: slot, at: at, by: "complaints-team")
            }
            let next = at + cases[slot].random.exponential(rate: sim.profile.ratesPerYear.complaint) * 365.25 * 86_400
            if next < endTime { plan(.complaint, at: next.rounded(.down), in: slot) }
        }
    }

    /// Sends the answer to `task`; false when it had to wait (a review before support is in place).
    private mutating func answer(
        _ task: CareTask, slot: Int, at: Double, queue: Int, created: Double, taken: Double, done: Double
    ) -> Bool {
        let before = at < startTime
        let outcomes = sim.profile.outcomes
        let worker = "worker \(task.queue)"
        switch task.kind {
        case .screenContact:
            let routes = sim.profile.routes
            let u = before ? 1 : cases[slot].random.unit()
            if u < routes.informationAndAdvice {
                apply(answers.informationAndAdvice, to: slot, at: at, by: "practitioner")
            } else if u < routes.informationAndAdvice + routes.reablement {
                if apply(answers.offerReablement, to: slot, at: at, by: "practitioner") {
                    let length = reablementLength.days(&cases[slot].random) * 86_400
                    plan(.endReablement, at: (at + length).rounded(.down), in: slot)
                }
            } else if u < routes.informationAndAdvice + routes.reablement + routes.interimSupport {
                apply(answers.startInterimSupport, to: slot, at: at, by: "practitioner")
            } else {
                apply(answers.startAssessment, to: slot, at: at, by: "practitioner")
            }
        case .scheduleAssessment:
            apply(answers.startAssessment, to: slot, at: at, by: "practitioner")
        case .assessNeeds:
            apply(answers.assessmentCompleted, to: slot, at: at, by: "practitioner")
        case .decideEligibility:
            let eligible = before || cases[slot].random.chance(outcomes.eligible)
            apply(eligible ? answers.eligible : answers.notEligible, to: slot, at: at, by: "practitioner")
        case .calculateBudget:
            apply(answers.ras, to: slot, at: at, by: "practitioner")
        case .planSupport:
            let plan: Event
            if cases[slot].isLive && cases[slot].state.plan != SupportPlan() {
                // A live case's plan is being written by its practitioner: bring it to sign-off as it stands.
                perform(.signOff(attempt: 0), on: slot, at: at)
                return true
            } else if cases[slot].state.signedOffPlan == nil {
                let mix = outcomes.funding
                let u = cases[slot].random.unit()
                let funding: SimulationAnswers.Funding =
                    u < mix.directPayment
                    ? .directPayment : u < mix.directPayment + mix.councilManaged ? .councilManaged : .mixed
                plan = answers.plans[funding.rawValue]
            } else {
                plan = answers.changedPlan
            }
            if apply(plan, to: slot, at: at, by: "practitioner") { perform(.signOff(attempt: 0), on: slot, at: at) }
        case .escalateReablementOverrun:
            endReablement(slot, at: at)
        case .conductReview:
            let type = ReviewType(rawValue: task.detail ?? "") ?? .unplanned
            switch cases[slot].state.stage {
            case .delivery:
                if apply(answers.startReview[type]!, to: slot, at: at, by: "practitioner") {
                    completeReview(type, slot: slot, at: at, before: before)
                }
            case .review:
                completeReview(type, slot: slot, at: at, before: before)
            default:
                // Support is not in place yet (an unplanned review asked for during planning): look again in a week.
                replan(task, slot: slot, queue: queue, created: created, taken: taken, done: done, to: at + 7 * 86_400)
                return false
            }
        case .safeguardingDecision:
            let enquiry = cases[slot].random.chance(outcomes.s42Enquiry)
            apply(
                (enquiry ? answers.s42Enquiry : answers.s42NoEnquiry).answering(task.id), to: slot, at: at,
                by: "safeguarding-hub")
        case .safeguardingEnquiry:
            if !cases[slot].state.safeguarding.arrangementsSafe {
                apply(answers.arrangementsSafe, to: slot, at: at, by: "safeguarding-hub")
            }
            apply(answers.safeguardingConcluded.answering(task.id), to: slot, at: at, by: "safeguarding-hub")
        case .complaintResolution:
            apply(answers.complaintConcluded.answering(task.id), to: slot, at: at, by: "complaints-team")
        case .dpAudit:
            let unspent = !before && cases[slot].random.chance(outcomes.auditFindsUnspent)
            apply(
                (unspent ? answers.auditUnspent : answers.auditClean).answering(task.id), to: slot, at: at, by: worker)
        case .highCostPanel:
            apply(answers.replies[.highCostPanel]!.answering(task.id), to: slot, at: at, by: "panel")
        default:
            if let reply = answers.replies[task.kind] { apply(reply.answering(task.id), to: slot, at: at, by: worker) }
        }
        return true
    }

    private mutating func endReablement(_ slot: Int, at: Double) {
        let independent = at >= startTime && cases[slot].random.chance(sim.profile.outcomes.reablementIndependent)
        apply(
            independent ? answers.reablementIndependent : answers.reablementNeedsRemain, to: slot, at: at,
            by: "practitioner")
    }

    private mutating func completeReview(_ type: ReviewType, slot: Int, at: Double, before: Bool) {
        let outcomes = sim.profile.outcomes
        var outcome = answers.reviewNoChange
        if type.isFormal && !before {
            let u = cases[slot].random.unit()
            if u < outcomes.reviewClosure {
                outcome = answers.reviewClosure
            } else if u < outcomes.reviewClosure + outcomes.reviewPlanChange {
                outcome = answers.reviewPlanChange
            }
        }
        apply(outcome, to: slot, at: at, by: "practitioner")
    }

    /// Moves a task's answer to a later time, keeping the waiting and overdue counts true.
    private mutating func replan(
        _ task: CareTask, slot: Int, queue: Int, created: Double, taken: Double, done: Double, to later: Double
    ) {
        let overdueFrom = created + overdueAfter[queue]
        if done > overdueFrom {
            counters.change(\.overdueChange, row: queue, at: overdueFrom, by: -1)
            counters.change(\.overdueChange, row: queue, at: done, by: 1)
        }
        if later > overdueFrom {
            counters.change(\.overdueChange, row: queue, at: overdueFrom, by: 1)
            counters.change(\.overdueChange, row: queue, at: later, by: -1)
        }
        plan(
            .answer(task: task.id.number, queue: Int32(queue), created: created, taken: taken, done: later), at: later,
            in: slot)
    }
}
