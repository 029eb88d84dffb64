/// The care and support plan. Sign-off is refused until every required item is there: the items of the policy's
/// `plans:` (`missingItems(_:carer:)`), or, under a policy without them, those of earlier versions (`missingItems`).
///
/// The items added since are optional here, so that plans stored before them still read.
public struct SupportPlan: Hashable, Codable, Sendable {
    public var needs: [String] = []
    public var outcomes: [String] = []
    public var eligibleNeeds: [String] = []
    public var ineligibleNeeds: [String] = []
    /// What the person's own resources and network meet.
    public var metByNetwork: [String] = []
    /// The weekly personal budget the plan spends.
    public var personalBudget: Money?
    /// The direct-payment part, if any.
    public var directPayment: DirectPaymentPart?
    /// The council-managed part, if any.
    public var councilManaged: CouncilManagedPart?
    /// How risks are managed.
    public var riskManagement: String?
    /// What happens if the plan breaks down.
    public var contingencyPlan: String?
    /// Information and advice on reducing the needs and preventing or delaying others (for a carer: to support them
    /// in their caring role).
    public var informationAndAdvice: String?
    /// The eligible needs the council will meet, each with how.
    public var needsMetByCouncil: [NeedMet]?
    /// What is important to the person.
    public var importantTo: String?
    /// What is important for the person.
    public var importantFor: String?
    /// How the person will make decisions and stay in control of their life.
    public var decisionsAndControl: String?
    /// The weekly amount of the personal budget set aside for the contingency plan (nothing is an answer).
    public var contingencyBudget: Money?
    /// For a carer: whom they contact in a crisis.
    public var crisisContact: String?
    /// The support costed at the council's reasonable rates, each with the rate it was costed at.
    public var supportItems: [CostedSupportItem]?
    /// Who besides the person gets a copy of the plan (a carer, a family member), with the person's consent.
    public var sharedWith: [String]?

    /// An empty plan.
    public init() {}

    /// The plan's weekly cost: the direct payment at its weekly rate plus the council-managed part.
    public var weeklyCost: Money {
        (directPayment?.weeklyEquivalent ?? .zero) + (councilManaged?.weeklyCost ?? .zero)
    }

    /// The plan's support at the council's reasonable rates, a week: what the council would expect it to cost.
    /// `nil` when no support is costed.
    public var reasonableCost: Money? {
        guard let items = supportItems, !items.isEmpty else { return nil }
        return items.reduce(Money.zero) { $0 + $1.weeklyCost }
    }

    /// The items sign-off needs that the plan lacks under a policy without `plans:` (earlier versions' items), in
    /// the words a practitioner would use.
    public var missingItems: [String] {
        var missing: [String] = []
        if needs.isEmpty || outcomes.isEmpty { missing.append("needs and outcomes") }
        if eligibleNeeds.isEmpty { missing.append("eligible needs (and which needs are not eligible)") }
        if metByNetwork.isEmpty { missing.append("what the person's own resources and network meet") }
        if personalBudget == nil { missing.append("the personal budget") }
        if directPayment == nil && councilManaged == nil {
            missing.append("how the budget is managed (direct payment, council-managed or both)")
        }
        if let payment = directPayment, payment.amount.pence <= 0 {
            missing.append("the direct payment's amount and frequency")
        }
        if riskManagement?.isEmpty ?? true { missing.append("how risks are managed") }
        if contingencyPlan?.isEmpty ?? true { missing.append("a contingency plan") }
        return missing
    }

    /// Applies a partial update: each field given replaces the plan's.
    public mutating func apply(_ update: PlanUpdate) {
        if let value = update.needs { needs = value }
        if let value = update.outcomes { outcomes = value }
        if let value = update.eligibleNeeds { eligibleNeeds = value }
        if let value = update.ineligibleNeeds { ineligibleNeeds = value }
        if let value = update.metByNetwork { metByNetwork = value }
        if let value = update.personalBudget { personalBudget = value }
        if let value = update.directPayment { directPayment = value }
        if let value = update.councilManaged { councilManaged = value }
        if let value = update.riskManagement { riskManagement = value }
        if let value = update.contingencyPlan { contingencyPlan = value }
        if let value = update.informationAndAdvice { informationAndAdvice = value }
        if let value = update.needsMetByCouncil { needsMetByCouncil = value }
        if let value = update.importantTo { importantTo = value }
        if let value = update.importantFor { importantFor = value }
        if let value = update.decisionsAndControl { decisionsAndControl = value }
        if let value = update.contingencyBudget { contingencyBudget = value }
        if let value = update.crisisContact { crisisContact = value }
        if let value = update.sharedWith { sharedWith = value }
        if update.removeDirectPayment == true { directPayment = nil }
        if update.removeCouncilManaged == true { councilManaged = nil }
    }
}

/// Data of `plan-updated`: the fields to change.
public struct PlanUpdate: Hashable, Codable, Sendable {
    public var needs: [String]?
    public var outcomes: [String]?
    public var eligibleNeeds: [String]?
    public var ineligibleNeeds: [String]?
    public var metByNetwork: [String]?
    public var personalBudget: Money?
    public var directPayment: DirectPaymentPart?
    public var councilManaged: CouncilManagedPart?
    public var riskManagement: String?
    public var contingencyPlan: String?
    public var informationAndAdvice: String?
    public var needsMetByCouncil: [NeedMet]?
    public var importantTo: String?
    public var importantFor: String?
    public var decisionsAndControl: String?
    public var contingencyBudget: Money?
    public var crisisContact: String?
    /// The support to cost at the policy's reasonable rates (replaces the plan's list); the journey records each
    /// rate's price as the policy gives it now.
    public var supportItems: [PlanSupportItem]?
    public var sharedWith: [String]?
    /// Take the direct-payment part out of the plan.
    public var removeDirectPayment: Bool?
    /// Take the council-managed part out of the plan.
    public var removeCouncilManaged: Bool?
}

/// The part of the budget the council arranges (brokerage finds the providers).
public struct CouncilManagedPart: Hashable, Codable, Sendable {
    public var services: [String]
    public var weeklyCost: Money
    /// The main kind of service arranged (statutory returns count services by it).
    public var component: ServiceComponent?
}

/// The kinds of service a council arranges; residential and nursing care are long-term support in a care home,
/// the rest in the community.
public enum ServiceComponent: String, Choice {
    case homeCare = "home-care"
    case dayCare = "day-care"
    case supportedLiving = "supported-living"
    case sharedLives = "shared-lives"
    case extraCareHousing = "extra-care-housing"
    case liveInCare = "live-in-care"
    case shortTermResidential = "short-term-residential"
    case respite
    case residentialCare = "residential-care"
    case nursingCare = "nursing-care"
    case equipment
    case meals
    case transport
    case professionalSupport = "professional-support"
    case other
}
