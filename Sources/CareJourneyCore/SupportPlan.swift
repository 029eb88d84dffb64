/// The care and support plan. Sign-off is refused until every required item is there.
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

    /// An empty plan.
    public init() {}

    /// The plan's weekly cost: the direct payment at its weekly rate plus the council-managed part.
    public var weeklyCost: Money {
        (directPayment?.weeklyEquivalent ?? .zero) + (councilManaged?.weeklyCost ?? .zero)
    }

    /// The items sign-off needs that the plan lacks, in the words a practitioner would use.
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
