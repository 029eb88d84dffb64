extension Policy {
    /// What a care and support plan must hold before it is signed off, for people and for carers, and the reasonable
    /// rates plans are costed at. A policy with `plans` also sends the person (and whoever they share it with) a
    /// copy of each plan signed off.
    public struct Plans: Hashable, Codable, Sendable {
        /// The items every plan for a person with care and support needs must hold.
        public var person: [PlanItem]
        /// The items every carer's support plan must hold.
        public var carer: [PlanItem]
        /// The council's reasonable rates, by name (`home-care-hour`), in £ a unit: a plan's support is costed at
        /// them beside its actual cost. `nil`: the council publishes none.
        public var reasonableRates: [String: Money]?

        public init(person: [PlanItem], carer: [PlanItem], reasonableRates: [String: Money]? = nil) {
            self.person = person
            self.carer = carer
            self.reasonableRates = reasonableRates
        }

        /// The items a plan for this kind of client must hold.
        public func required(for client: ClientType) -> [PlanItem] { client == .carer ? carer : person }
    }
}

/// One thing a care and support plan must hold at sign-off.
///
/// Derbyshire, "All plans must include": "the needs identified by the assessment and the associated outcomes", "a
/// distinction between eligible and ineligible needs", "information and advice on what can be done to reduce the
/// needs in question, and to prevent or delay the development of needs in the future", "those needs and outcomes
/// that are to be met from the persons own resources and networks", "any remaining unmet eligible needs and their
/// associated outcomes that the authority is going to meet, and how it intends to do so", "the personal budget",
/// "where some or all needs are to be met via a direct payment, the needs to be met via the direct payment and the
/// amount and frequency of the payments"; "In all cases … what is important 'to' and 'for' the person, as well as …
/// how any risks will be managed, a contingency plan … including any amount of personal budget set aside for this,
/// how the person will make decisions and stay in control of their life". For carers (section 3) the items are
/// read as a carer's: information and advice "to support the carer in their role", and "contingency arrangements
/// and who the carer will contact in a crisis".
public enum PlanItem: String, Choice {
    case needsAndOutcomes = "needs-and-outcomes"
    case eligibleNeeds = "eligible-needs"
    case informationAndAdvice = "information-and-advice"
    case metByNetwork = "met-by-network"
    case needsTheCouncilMeets = "needs-the-council-meets"
    case personalBudget = "personal-budget"
    case budgetManagement = "budget-management"
    case directPaymentNeeds = "direct-payment-needs"
    case importantToAndFor = "important-to-and-for"
    case decisionsAndControl = "decisions-and-control"
    case risks
    case contingency

    /// The item in the words a practitioner uses, as sign-off names it when it is missing.
    public func words(carer: Bool) -> String {
        switch self {
        case .needsAndOutcomes:
            carer
                ? "the needs the carer's assessment found and the outcomes the carer wants (social, education, work)"
                : "needs and outcomes"
        case .eligibleNeeds:
            carer ? "which needs meet the eligibility criteria" : "eligible needs (and which needs are not eligible)"
        case .informationAndAdvice:
            carer
                ? "information and advice to support the carer in their caring role (carers' services, support groups)"
                : "information and advice on reducing the needs and preventing or delaying others"
        case .metByNetwork:
            carer ? "what the carer's own resources and network meet" : "what the person's own resources and network meet"
        case .needsTheCouncilMeets: "the eligible needs the council will meet, and how"
        case .personalBudget: "the personal budget"
        case .budgetManagement: "how the budget is managed (direct payment, council-managed or both)"
        case .directPaymentNeeds: "the needs the direct payment meets"
        case .importantToAndFor: "what is important to and for the person"
        case .decisionsAndControl: "how the person will make decisions and stay in control of their life"
        case .risks: "how risks are managed"
        case .contingency:
            carer
                ? "contingency arrangements, with any budget set aside, and who the carer will contact in a crisis"
                : "a contingency plan, with any budget set aside for it"
        }
    }
}
