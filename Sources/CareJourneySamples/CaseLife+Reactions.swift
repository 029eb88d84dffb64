import CareJourneyCore
import Foundation

/// How a sample case's people respond to its tasks as they appear: who does what, how many days later.
///
/// Safeguarding and complaint tasks are left alone here: their decisions are planned with the concern or the
/// complaint (see `Overlay`), so that some are still open today.
extension CaseLife {
    mutating func react(to effects: [Effect], at now: Date) {
        for case .enqueue(let task) in effects { respond(to: task, at: now) }
    }

    private mutating func respond(to task: CareTask, at now: Date) {
        let name = task.kind.rawValue
        func after(_ range: ClosedRange<Double>, _ deed: Deed) { plan(deed, after: days(range, name), from: now) }
        switch task.kind {
        case .screenContact:
            after(persona.contact.route == .hospitalDischarge ? 0.05...1 : 0.2...5, .screen)
        case .scheduleAssessment: after(5...20, .startAssessment)
        case .arrangeInterimSupport: after(0.2...2, .reply(task.id))
        case .reablementCheck: after(0.05...2, .reply(task.id))
        case .assessNeeds: after(7...35, .completeAssessment)
        case .decideEligibility: after(2...10, .decideEligibility)
        case .calculateBudget: after(2...10, .completeRAS)
        case .planSupport: after(5...20, .writePlan)
        case .highCostPanel: after(7...21, .panel(task.id))
        case .referAdvocacy: after(2...10, .reply(task.id))
        case .findProvider: after(1...10, .reply(task.id))
        case .setUpDirectPayment: after(5...20, .reply(task.id))
        case .dpAudit: after(3...14, .audit(task.id))
        case .conductReview: respond(toReview: task, at: now)
        case .reviewReminder: after(0.05...1, .reply(task.id))
        case .writtenNotification: after(0.1...3, .reply(task.id))
        case .offerCarerAssessment: after(2...10, .reply(task.id))
        case .transferHandover: after(1...7, .reply(task.id))
        case .endServices: after(1...7, .reply(task.id))
        case .financialAssessment: after(2...10, .reply(task.id))
        case .chargingReminder: after(0.05...1, .reply(task.id))
        case .sendPlanCopy: after(0.1...3, .reply(task.id))
        case .chcReferral: after(10...40, .reply(task.id))
        case .escalateReablementOverrun, .escalateOverdueReview, .safeguardingDecision, .safeguardingEnquiry,
            .complaintResolution:
            break
        }
    }

    /// A review comes due: the practitioner starts it within days, before its due date or after it, as the
    /// persona's punctuality says.
    private mutating func respond(toReview task: CareTask, at now: Date) {
        switch task.detail.flatMap(ReviewType.init(rawValue:)) {
        case .informal:
            plan(.startReview(.informal, nil), after: days(0.2...3, "review.informal"), from: now)
        case .firstFormal:
            guard let due = state.timers[.reviewFirstFormalDue] else { return }
            plan(.startReview(.firstFormal, nil), for: persona.firstFormalReview, due: due, now: now)
        case .planned:
            guard let due = state.timers[.reviewPlannedDue] else { return }
            plan(.startReview(.planned, nil), for: persona.plannedReview, due: due, now: now)
        case .unplanned:
            if state.stage == .review, let review = state.reviews.current, review.type == .unplanned {
                plan(.completeReview(startedAt: review.startedAt), after: days(4...20, "review.unplanned"), from: now)
            } else {
                let reason = persona.unplannedReview ?? .changeOfCircumstances
                plan(.startReview(.unplanned, reason), after: days(1...5, "review.unplanned"), from: now)
            }
        case nil:
            break
        }
    }

    /// Plans a due review's start: between now and two days before `due` when on time, weeks after it when late,
    /// months after it when very late.
    private mutating func plan(_ start: Deed, for punctuality: Persona.Punctuality, due: Date, now: Date) {
        let window = max(1, due.timeIntervalSince(now) / 86_400 - 2)
        switch punctuality {
        case .onTime: plan(start, after: days(0.5...window, "review.on-time"), from: now)
        case .late: plan(start, after: days(3...50, "review.late"), from: due)
        case .veryLate: plan(start, after: days(60...150, "review.late"), from: due)
        }
    }
}
