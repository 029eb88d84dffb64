import CareJourneyCore

/// The parts the plan is edited in, each a page of the `plan-updated` form holding some of its fields (the fields
/// and their kinds come from the catalog, as every form's do; this only says which part shows each).
enum PlanPart: String, CaseIterable, Sendable {
    case needsAndOutcomes = "needs-and-outcomes"
    case network
    case budget
    case directPayment = "direct-payment"
    case councilManaged = "council-managed"
    case risks
    case contingency

    var title: String {
        switch self {
        case .needsAndOutcomes: "Needs and outcomes"
        case .network: "What the person's network meets"
        case .budget: "Budget"
        case .directPayment: "Direct payment"
        case .councilManaged: "Council-managed services"
        case .risks: "Risks"
        case .contingency: "Contingency"
        }
    }

    /// The `plan-updated` fields the part edits.
    var fieldNames: [String] {
        switch self {
        case .needsAndOutcomes:
            ["needs", "outcomes", "eligibleNeeds", "ineligibleNeeds", "needsMetByCouncil", "importantTo", "importantFor",
             "decisionsAndControl", "informationAndAdvice", "sharedWith"]
        case .network: ["metByNetwork"]
        case .budget: ["personalBudget", "supportItems"]
        case .directPayment: ["directPayment", "removeDirectPayment"]
        case .councilManaged: ["councilManaged", "removeCouncilManaged"]
        case .risks: ["riskManagement"]
        case .contingency: ["contingencyPlan", "contingencyBudget", "crisisContact"]
        }
    }

    /// The part's fields, as the catalog gives them.
    var fields: [EventField] {
        EventCatalog.formFields(of: .planUpdated).filter { fieldNames.contains($0.name) }
    }
}
