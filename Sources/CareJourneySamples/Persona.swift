import CareJourneyCore
import Foundation

/// Who one sample case is for and how their journey goes. Every choice is drawn from the seed; the target (where
/// the case should stand today) fixes the choices it depends on.
struct Persona: Sendable {
    let random: KeyedRandom
    let contact: Contact
    let team: String
    /// The allocated practitioner, when someone is allocated.
    let practitioner: String?
    let screening: Screening
    let needsAdvocate: Bool
    let carerReliedOn: Bool
    let eligible: Bool
    let support: InformalSupport
    let rasPoints: Int
    /// The indicative weekly budget those points give under the policy: the plan spends it.
    let budget: Money
    let funding: Funding
    /// Set when the plan costs more than the policy's high-cost threshold: what the panel does.
    let panel: PanelDecision?
    let firstFormalReview: Punctuality
    let plannedReview: Punctuality
    /// What ends the journey, after the first sign-off.
    let ending: Ending?
    /// An unplanned review some time after the first sign-off, and why.
    let unplannedReview: UnplannedReason?
    /// A safeguarding enquiry after the first sign-off whose outcome needs a review.
    let safeguardingAfterSignOff: Bool
    /// Whether yearly direct-payment audits find money unspent.
    let auditFindsUnspent: Bool

    /// What screening the contact decides.
    enum Screening: Sendable, Equatable {
        case informationAndAdvice
        /// Reablement ending after `weeks` (past the policy's maximum, it overruns first) with `outcome`.
        case reablement(weeks: Int, outcome: ReablementOutcome.Result)
        case interimSupport
        case assessment
    }

    /// How the plan's budget is managed.
    enum Funding: Sendable, Equatable {
        case directPayment, councilManaged, both
        var hasDirectPayment: Bool { self != .councilManaged }
        var hasCouncilManaged: Bool { self != .directPayment }
    }

    /// What the high-cost panel does with the plan.
    enum PanelDecision: Sendable, Equatable { case approve, returnPlan }

    /// When a due review is done: before its due date, weeks after it, or months after it.
    enum Punctuality: Sendable, Equatable { case onTime, late, veryLate }

    /// How the journey ends.
    enum Ending: Sendable, Equatable {
        /// Closed with `reason` that many days after the first sign-off.
        case close(ClosureReason, afterDays: Double)
        /// A move to another council that many days after the first sign-off.
        case move(afterDays: Double)
        /// The first formal review closes the case: needs met.
        case atFirstReview
    }

    /// The persona of case `index` (from 0) of the population seeded with `seed`, aiming at `target`.
    init(index: Int, seed: UInt64, target: PopulationTarget, policy: Policy) {
        let random = KeyedRandom(seed: seed, stream: UInt64(index))
        self.random = random
        let carer = target == .carerAssessment || (target != .assessmentAwaitingAdvocate && random.chance(0.1, "carer"))
        contact = Self.contact(carer: carer, random: random)
        team =
            contact.route == .hospitalDischarge && random.chance(0.7, "team.discharge")
            ? "hospital-discharge" : random.pick(Self.teams.filter { $0 != "hospital-discharge" }, "team")
        practitioner = random.chance(0.85, "allocated") ? random.pick(Self.practitioners[team] ?? [], "worker") : nil
        screening = Self.screening(for: target, random: random)
        // Some cases at the indicative budget had an advocate through their assessment: every deck shows one involved.
        needsAdvocate =
            [.assessmentAwaitingAdvocate, .indicativeBudget].contains(target)
            || (!carer && random.chance(0.05, "advocacy"))
        carerReliedOn = !carer && random.chance(0.2, "carer-relied-on")
        eligible = target != .notEligible
        let highCost =
            [.highCostAtPanel, .highCostReturned, .highCostApproved].contains(target)
            || random.chance(0.02, "high-cost")
        let informal: InformalSupport = highCost ? .none : random.pick(InformalSupport.allCases, "informal-support")
        support = informal
        let threshold = policy.highCost.weeklyThreshold
        let bands = policy.ras.bands.filter { band in
            let weekly = band.weekly.scaled(by: 1 - (policy.ras.informalSupportReduction[informal] ?? 0))
            return weekly > .zero && (highCost ? weekly > threshold : weekly <= threshold)
        }
        let band = bands.isEmpty ? policy.ras.bands.last : random.pick(bands, "band")
        let points = band.map { random.int($0.minPoints...$0.maxPoints, "points") } ?? 0
        rasPoints = points
        budget = policy.ras.indicativeBudget(points: points, support: informal) ?? .zero
        funding =
            carer || target == .directPaymentReclaimed || target == .directPaymentAgreement
            ? .directPayment
            : target == .awaitingProvider || highCost
                ? .councilManaged
                : random.pick([.directPayment, .councilManaged, .councilManaged, .both], "funding")
        panel =
            budget <= threshold
            ? nil
            : target == .highCostReturned || (target != .highCostApproved && random.chance(0.3, "panel"))
                ? .returnPlan
                : .approve
        firstFormalReview = Self.firstFormal(for: target, random: random)
        plannedReview = Self.planned(for: target, random: random)
        ending = Self.ending(for: target, random: random)
        unplannedReview =
            target == .unplannedReview || random.chance(0.08, "unplanned")
            ? random.pick([.changeOfCircumstances, .hospital, .request, .providerFailure], "unplanned.reason") : nil
        safeguardingAfterSignOff = target == .safeguardingReview
        auditFindsUnspent = target == .directPaymentReclaimed || random.chance(0.1, "unspent")
    }

    private static func screening(for target: PopulationTarget, random: KeyedRandom) -> Screening {
        switch target {
        case .informationAndAdvice: return .informationAndAdvice
        case .independenceRegained:
            return .reablement(weeks: random.int(2...5, "reablement.weeks"), outcome: .independent)
        case .reablement:
            return .reablement(
                weeks: random.int(2...5, "reablement.weeks"),
                outcome: random.pick([.independent, .needsRemain], "reablement.outcome"))
        case .reablementOverrun:
            return .reablement(weeks: random.int(7...10, "reablement.weeks"), outcome: .needsRemain)
        case .interimSupport: return .interimSupport
        case .contact:
            return random.pick(
                [.informationAndAdvice, .assessment, .interimSupport, .reablement(weeks: 4, outcome: .independent)],
                "screening")
        case .carerAssessment, .assessmentAwaitingAdvocate: return .assessment
        default:
            let way = random.unit("screening")
            if way < 0.7 { return .assessment }
            if way < 0.9 { return .reablement(weeks: random.int(2...5, "reablement.weeks"), outcome: .needsRemain) }
            return .interimSupport
        }
    }

    private static func firstFormal(for target: PopulationTarget, random: KeyedRandom) -> Punctuality {
        switch target {
        case .firstFormalDueThisWeek, .reviewedLate: .late
        case .firstFormalOverdue: .veryLate
        case .reviewedOnTime, .plannedReviewDueThisWeek, .plannedReviewOverdue, .plannedReviewDone,
            .plannedReviewDoneLate, .closedAtReview:
            .onTime
        default: random.chance(0.75, "first-formal.on-time") ? .onTime : .late
        }
    }

    private static func planned(for target: PopulationTarget, random: KeyedRandom) -> Punctuality {
        switch target {
        case .plannedReviewDueThisWeek, .plannedReviewDoneLate: .late
        case .plannedReviewOverdue: .veryLate
        case .plannedReviewDone: .onTime
        default: random.chance(0.7, "planned.on-time") ? .onTime : .late
        }
    }

    private static func ending(for target: PopulationTarget, random: KeyedRandom) -> Ending? {
        switch target {
        case .closedAfterSupport:
            .close(
                random.pick([.needsMet, .deceased, .nhsFunded, .selfFunding, .supportDeclined], "close.reason"),
                afterDays: random.days(20...200, "close.after") / 86_400)
        case .movedAway: .move(afterDays: random.days(20...150, "move.after") / 86_400)
        case .transferring: .move(afterDays: random.days(20...120, "move.after") / 86_400)
        case .closedAtReview: .atFirstReview
        default: nil
        }
    }
}
