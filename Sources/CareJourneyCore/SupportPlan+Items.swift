/// The plan's items as a council's policy lists them (`Policy.Plans`), and the support costed at reasonable rates.
extension SupportPlan {
    /// The items of `required` the plan lacks, in the practitioner's words (a carer's words for a carer's plan).
    public func missingItems(_ required: [PlanItem], carer: Bool) -> [String] {
        required.filter { !holds($0, carer: carer) }.map { $0.words(carer: carer) }
            + (directPayment.map { $0.amount.pence <= 0 } == true ? ["the direct payment's amount and frequency"] : [])
    }

    /// Whether the plan holds `item` (as a carer's plan must, for a carer: the contingency names whom they contact in
    /// a crisis).
    public func holds(_ item: PlanItem, carer: Bool = false) -> Bool {
        func given(_ text: String?) -> Bool { text?.contains { !$0.isWhitespace } ?? false }
        switch item {
        case .needsAndOutcomes: return !needs.isEmpty && !outcomes.isEmpty
        case .eligibleNeeds: return !eligibleNeeds.isEmpty
        case .informationAndAdvice: return given(informationAndAdvice)
        case .metByNetwork: return !metByNetwork.isEmpty
        case .needsTheCouncilMeets:
            guard let met = needsMetByCouncil, !met.isEmpty else { return false }
            return met.allSatisfy { given($0.need) && given($0.how) }
        case .personalBudget: return personalBudget != nil
        case .budgetManagement: return directPayment != nil || councilManaged != nil
        case .directPaymentNeeds:
            // Only a plan with a direct payment says which needs it meets.
            guard let payment = directPayment else { return true }
            return !(payment.needsMet ?? []).isEmpty
        case .importantToAndFor: return given(importantTo) && given(importantFor)
        case .decisionsAndControl: return given(decisionsAndControl)
        case .risks: return given(riskManagement)
        case .contingency:
            // Derbyshire: "a contingency plan … including any amount of personal budget set aside for this"; for a
            // carer, "contingency arrangements and who the carer will contact in a crisis".
            return given(contingencyPlan) && contingencyBudget != nil && (!carer || given(crisisContact))
        }
    }

    /// What the plan says that does not hold together, for sign-off: needs the council or a direct payment is to
    /// meet that are not among the eligible needs. Wiltshire: "A Personal Budget can only be used to meet eligible
    /// social care needs"; Derbyshire: a direct payment is spent on "the unmet eligible needs … identified in their
    /// care and support plan".
    public var inconsistencies: [String] {
        let eligible = Set(eligibleNeeds)
        var problems: [String] = []
        for met in needsMetByCouncil ?? [] where !eligible.contains(met.need) {
            problems.append("'\(met.need)', which the council is to meet, among the eligible needs")
        }
        for need in directPayment?.needsMet ?? [] where !eligible.contains(need) {
            problems.append("'\(need)', which the direct payment is to meet, among the eligible needs")
        }
        return problems
    }
}

/// An eligible need the council will meet, and how.
public struct NeedMet: Hashable, Codable, Sendable {
    public var need: String
    public var how: String

    public init(need: String, how: String) {
        self.need = need
        self.how = how
    }
}

/// Data in `plan-updated`: support to cost at a reasonable rate the policy names.
public struct PlanSupportItem: Hashable, Codable, Sendable {
    /// The rate's name in the policy (`home-care-hour`).
    public var rate: String
    /// How many of the rate's units a week (hours, sessions, nights).
    public var perWeek: Double

    public init(rate: String, perWeek: Double) {
        self.rate = rate
        self.perWeek = perWeek
    }
}

/// Support in a plan costed at a reasonable rate: the rate as the policy gave it when the plan was written, so a
/// later change of rates does not rewrite what a plan said.
public struct CostedSupportItem: Hashable, Codable, Sendable {
    public var rate: String
    public var perWeek: Double
    /// The rate's price for one unit.
    public var unitCost: Money

    public init(rate: String, perWeek: Double, unitCost: Money) {
        self.rate = rate
        self.perWeek = perWeek
        self.unitCost = unitCost
    }

    /// The item's weekly cost at its rate.
    public var weeklyCost: Money { unitCost.scaled(by: perWeek) }
}
