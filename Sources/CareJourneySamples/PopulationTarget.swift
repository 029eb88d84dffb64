import CareJourneyCore
import Foundation

/// Where a sample case stands today: the generator picks one for each case, shapes the person's journey so that it
/// passes through it, and starts the case that long ago.
///
/// The weights make a council's live caseload: most open cases in delivery between reviews, some reviews due this
/// week and some overdue, the front door busy, a third of the year's cases already closed.
enum PopulationTarget: String, CaseIterable, Sendable {
    // Open: the front door.
    case contact, interimSupport, reablement, reablementOverrun, assessment, carerAssessment
    case assessmentAwaitingAdvocate, eligibility, indicativeBudget, supportPlanning, highCostAtPanel
    case highCostReturned
    // Open: delivery and reviews.
    case awaitingProvider, highCostApproved, directPaymentAgreement, informalReviewDue, settlingIn,
        firstFormalDueThisWeek
    case firstFormalOverdue, reviewedOnTime, reviewedLate, plannedReviewDueThisWeek, plannedReviewOverdue
    case plannedReviewDone, plannedReviewDoneLate, directPaymentReclaimed, reviewInProgress, unplannedReview
    case safeguardingReview, transferring
    // Closed in the last year.
    case informationAndAdvice, independenceRegained, notEligible, closedAfterSupport, movedAway, closedAtReview

    /// Cases of this target in every `deckSize`.
    var weight: Int {
        switch self {
        case .contact: 6
        case .interimSupport: 3
        case .reablement: 8
        case .reablementOverrun: 2
        case .assessment: 8
        case .carerAssessment: 3
        case .assessmentAwaitingAdvocate: 2
        case .eligibility: 4
        case .indicativeBudget: 3
        case .supportPlanning: 6
        case .highCostAtPanel: 2
        case .highCostReturned: 1
        case .awaitingProvider: 3
        case .highCostApproved: 2
        case .directPaymentAgreement: 2
        case .informalReviewDue: 3
        case .settlingIn: 10
        case .firstFormalDueThisWeek: 4
        case .firstFormalOverdue: 4
        case .reviewedOnTime: 24
        case .reviewedLate: 8
        case .plannedReviewDueThisWeek: 3
        case .plannedReviewOverdue: 4
        case .plannedReviewDone: 14
        case .plannedReviewDoneLate: 5
        case .directPaymentReclaimed: 3
        case .reviewInProgress: 5
        case .unplannedReview: 4
        case .safeguardingReview: 2
        case .transferring: 2
        case .informationAndAdvice: 18
        case .independenceRegained: 10
        case .notEligible: 7
        case .closedAfterSupport: 10
        case .movedAway: 3
        case .closedAtReview: 2
        }
    }

    /// The deck cases are dealt from, in turn: one of every target first (so that a small population still shows
    /// every stage and side machine), then the rest of each target's weight, spread through the deck.
    static let deck: [PopulationTarget] = {
        var deck = allCases
        var left = Dictionary(uniqueKeysWithValues: allCases.map { ($0, $0.weight - 1) })
        // Largest remaining weight first, ties in declaration order: a smooth mix rather than runs of one target.
        while let next = allCases.filter({ left[$0, default: 0] > 0 }).max(by: { left[$0]! < left[$1]! }) {
            deck.append(next)
            left[next]! -= 1
        }
        return deck
    }()

    /// Targets that need a planned (12-month) review or a yearly audit behind them: such cases began before the
    /// last year, as long-standing cases of a council do.
    var isLongStanding: Bool {
        switch self {
        case .plannedReviewDueThisWeek, .plannedReviewOverdue, .plannedReviewDone, .plannedReviewDoneLate,
            .directPaymentReclaimed:
            true
        default: false
        }
    }

    /// The oldest a case of this target may be today.
    var maximumAge: TimeInterval { (isLongStanding ? 26 * 30.5 : 365) * 86_400 }

    /// When, within `[from, to)` — a span over which the case stays in `state` — the case is where this target
    /// wants it; `nil` when it is not there at all.
    func window(in state: CaseState, from: Date, to: Date) -> Range<Date>? {
        switch self {
        case .firstFormalDueThisWeek: dueThisWeek(state.timers[.reviewFirstFormalDue], state, from: from, to: to)
        case .plannedReviewDueThisWeek: dueThisWeek(state.timers[.reviewPlannedDue], state, from: from, to: to)
        default: holds(in: state) && from < to ? from..<to : nil
        }
    }

    private func dueThisWeek(_ due: Date?, _ state: CaseState, from: Date, to: Date) -> Range<Date>? {
        guard state.stage == .delivery, let due else { return nil }
        let lower = max(from, due.addingTimeInterval(-6 * 86_400))
        let upper = min(to, due)
        return lower < upper ? lower..<upper : nil
    }

    private func holds(in state: CaseState) -> Bool {
        let reviews = state.reviews
        switch self {
        case .contact: return state.stage == .contact
        case .interimSupport: return state.stage == .interimSupport
        case .reablement: return state.stage == .reablement && state.reablement?.overran == false
        case .reablementOverrun: return state.stage == .reablement && state.reablement?.overran == true
        case .assessment: return state.stage == .assessment && state.advocacy.status != .referred
        case .carerAssessment: return state.stage == .assessment && state.assessment?.kind == .carer
        case .assessmentAwaitingAdvocate: return state.stage == .assessment && state.advocacy.status == .referred
        case .eligibility: return state.stage == .eligibility
        case .indicativeBudget: return state.stage == .indicativeBudget
        case .supportPlanning: return state.stage == .supportPlanning && state.highCost.status == .notRequested
        case .highCostAtPanel: return state.stage == .supportPlanning && state.highCost.status == .pending
        case .highCostReturned: return state.stage == .supportPlanning && state.highCost.status == .returned
        case .awaitingProvider: return state.stage == .delivery && state.openTask(.findProvider) != nil
        case .highCostApproved: return state.stage == .delivery && state.highCost.status == .approved
        case .directPaymentAgreement:
            return state.stage == .delivery && state.directPayment.status == .agreementPending
        case .informalReviewDue: return state.stage == .delivery && state.timers[.reviewInformal] != nil
        case .settlingIn:
            return state.stage == .delivery && state.timers[.reviewInformal] == nil
                && state.timers[.reviewFirstFormalOpens] != nil && state.openTask(.conductReview) == nil
        case .firstFormalOverdue: return reviews.overdue?.type == .firstFormal
        case .plannedReviewOverdue: return reviews.overdue?.type == .planned
        case .reviewedOnTime, .reviewedLate:
            return state.stage == .delivery && reviews.formalReviewDone && reviews.overdue == nil
                && state.timers[.reviewPlannedReminder] != nil
        case .plannedReviewDone, .plannedReviewDoneLate:
            guard let signedOff = state.firstSignedOffAt, let reviewed = reviews.lastFormalCompletedAt else {
                return false
            }
            return state.stage == .delivery && reviewed.timeIntervalSince(signedOff) > 300 * 86_400
        case .directPaymentReclaimed: return state.directPayment.reclaimed > .zero && state.stage.isOpen
        case .reviewInProgress:
            return state.stage == .review && [.firstFormal, .planned].contains(reviews.current?.type)
        case .unplannedReview:
            return state.stage == .review && reviews.current?.type == .unplanned
                && reviews.current?.reason != .safeguarding
        case .safeguardingReview: return state.stage == .review && reviews.current?.reason == .safeguarding
        case .transferring: return state.stage == .transferring
        case .informationAndAdvice: return state.closure?.reason == .informationAndAdvice
        case .independenceRegained: return state.closure?.reason == .independenceRegained
        case .notEligible: return state.closure?.reason == .notEligible
        case .closedAfterSupport:
            return state.stage == .closed && state.firstSignedOffAt != nil
                && state.closure?.reason != .movedToAnotherCouncil
        case .movedAway: return state.closure?.reason == .movedToAnotherCouncil
        case .closedAtReview: return state.stage == .closed && state.reviews.completed > 0
        case .firstFormalDueThisWeek, .plannedReviewDueThisWeek: return false
        }
    }
}
