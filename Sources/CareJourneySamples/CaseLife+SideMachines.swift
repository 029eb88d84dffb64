import CareJourneyCore
import Foundation

/// What reviews, endings, safeguarding and complaints come to, given the case as it stands.
extension CaseLife {
    private static let councils = ["Nottinghamshire", "Staffordshire", "Cheshire East", "Sheffield", "Leicestershire"]

    mutating func resolveBesideTheJourney(_ deed: Deed, at now: Date) -> Resolution {
        let safeguarding = state.safeguarding
        switch deed {
        case .startReview(let type, let reason):
            guard state.stage == .delivery else { return .retry(after: 2 * 86_400) }
            if type == .planned && !state.reviews.formalReviewDone { return .skip }
            if type == .firstFormal && state.timers[.reviewFirstFormalOpens] != nil { return .skip }
            var data: [String: JSONValue] = ["type": .string(type.rawValue)]
            if let reason { data["reason"] = .string(reason.rawValue) }
            let length: ClosedRange<Double> =
                switch type {
                case .informal: 0.05...1
                case .unplanned: 4...20
                case .firstFormal, .planned: 1...5
                }
            return act(
                .startReview, .object(data),
                then: [FollowUp(after: days(length, "review.length"), deed: .completeReview(startedAt: now))])
        case .completeReview(let startedAt):
            guard state.stage == .review, let review = state.reviews.current, review.startedAt == startedAt else {
                return .skip
            }
            guard state.advocacy.status != .referred else { return .retry(after: 3 * 86_400) }
            return act(.reviewCompleted, outcome(of: review))
        case .close(let reason):
            guard state.stage.isOpen, state.stage != .transferring else { return .skip }
            return act(.closeCase, ["reason": .string(reason.rawValue)], by: persona.manager)
        case .move:
            guard state.stage.isOpen, state.stage != .transferring else { return .skip }
            return act(.movedToAnotherCouncil, ["council": .string(persona.random.pick(Self.councils, key("council")))])
        case .raiseConcern:
            guard safeguarding.status == .none else { return .skip }
            let from = persona.random.pick(
                ["a district nurse", "the home care provider", "a neighbour", "the police"], key("concern"))
            return act(.safeguardingConcern, ["note": .string("raised by \(from)")])
        case .decideS42(let enquiry):
            guard safeguarding.status == .concern, let task = state.openTask(.safeguardingDecision) else {
                return .skip
            }
            return act(
                .s42Decision, ["enquiry": .bool(enquiry), "task": .string(task.id.description)], by: "safeguarding.hub")
        case .arrangementsSafe:
            guard safeguarding.status == .enquiry, !safeguarding.arrangementsSafe else { return .skip }
            return act(
                .safeguardingArrangementsSafe, ["note": "a safety plan agreed with the family"], by: "safeguarding.hub")
        case .concludeSafeguarding(let reviewNeeded):
            guard safeguarding.status == .enquiry, let task = state.openTask(.safeguardingEnquiry) else { return .skip }
            let outcome = persona.random.pick(
                ["risk-removed", "risk-reduced", "risk-reduced", "risk-remains"], key("safeguarding.outcome"))
            return act(
                .safeguardingConcluded,
                [
                    "outcome": .string(outcome), "reviewNeeded": .bool(reviewNeeded),
                    "task": .string(task.id.description),
                ],
                by: "safeguarding.hub")
        case .receiveComplaint:
            guard state.complaint.status == .none, state.stage != .new else { return .skip }
            let about = persona.random.pick(
                ["late home care visits", "the assessment took too long", "the charge for care"], key("complaint"))
            return act(.complaintReceived, ["note": .string(about)], by: "complaints.team")
        case .startComplaintResolution:
            guard state.complaint.status == .received else { return .skip }
            return act(.complaintResolutionStarted, by: "complaints.team")
        case .concludeComplaint:
            guard state.complaint.status != .none, let task = state.openTask(.complaintResolution) else { return .skip }
            let outcome = persona.random.pick(
                ["upheld", "partly-upheld", "not-upheld", "not-upheld", "withdrawn"], key("complaint.outcome"))
            return act(
                .complaintConcluded, ["outcome": .string(outcome), "task": .string(task.id.description)],
                by: "complaints.team")
        default:
            return .skip
        }
    }

    /// What a review decides: mostly no change; a plan change after a reclaim or a safeguarding enquiry, now and
    /// then after other reviews; a closure where the persona's journey ends at its first formal review.
    private mutating func outcome(of review: ReviewInProgress) -> JSONValue {
        let draw = persona.random.unit(key("review.outcome"))
        let outcome: ReviewResult.Outcome
        switch review.type {
        case .informal: outcome = .noChange
        case .firstFormal:
            if persona.ending == .atFirstReview {
                return [
                    "outcome": "closure", "closureReason": "needs-met", "note": "outcomes met; support ends",
                    "method": "face-to-face", "participants": "service-user", "outcomesAchieved": "met",
                ]
            }
            outcome = draw < 0.12 ? .planChange : .noChange
        case .planned: outcome = draw < 0.15 ? .planChange : .noChange
        case .unplanned:
            if review.reason == .dpAudit || review.reason == .safeguarding {
                outcome = .planChange
            } else {
                outcome = draw < 0.06 ? .reassessment : draw < 0.5 ? .planChange : .noChange
            }
        }
        let result: [String: JSONValue] = ["outcome": .string(outcome.rawValue)]
        return .object(review.type == .informal ? result : result.merging(persona.reviewRecord(key("review"))) { $1 })
    }
}
