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

    /// The part holding the `plan-updated` field `name` (a nested one by its first name: `councilManaged.weeklyCost`
    /// is in the council-managed part), if any.
    static func holding(_ name: String) -> PlanPart? {
        let top = String(name.prefix { $0 != "." && $0 != "[" })
        return allCases.first { $0.fieldNames.contains(top) }
    }

    /// The field that supplies `item` to the plan: where the practitioner goes to fill it in.
    static func field(of item: PlanItem) -> String {
        switch item {
        case .needsAndOutcomes: "needs"
        case .eligibleNeeds: "eligibleNeeds"
        case .informationAndAdvice: "informationAndAdvice"
        case .metByNetwork: "metByNetwork"
        case .needsTheCouncilMeets: "needsMetByCouncil"
        case .personalBudget: "personalBudget"
        case .budgetManagement: "councilManaged"
        case .directPaymentNeeds: "directPayment"
        case .importantToAndFor: "importantTo"
        case .decisionsAndControl: "decisionsAndControl"
        case .risks: "riskManagement"
        case .contingency: "contingencyPlan"
        }
    }

    /// The field to fill in for something sign-off names as missing, in the words it uses (`PlanItem.words`), if
    /// it is an item of the plan.
    static func field(missing words: String) -> String? {
        PlanItem.allCases.first { $0.words(carer: false) == words || $0.words(carer: true) == words }.map(field(of:))
    }

    /// A link to the field `name` on its part of the plan's editor for case `id`.
    static func link(to name: String, on id: CaseID) -> String? {
        holding(name).map { "/cases/\(id.rawValue)/plan/edit?part=\($0.rawValue)#\(EventForm.id(name))" }
    }
}
