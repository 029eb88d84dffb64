/// Approval of a plan whose weekly cost is above the policy's threshold (Kent's high-cost checklist and panel).
public struct HighCostApproval: Hashable, Codable, Sendable {
    public var status: Status
    /// The weekly cost put to the panel.
    public var requestedWeeklyCost: Money?
    /// The weekly cost the panel approved; a plan that costs more needs approval again.
    public var approvedWeeklyCost: Money?
    /// Why the panel returned the plan, when it did.
    public var returnedReason: String?
    /// Who asked for the approval: they may not approve it (four eyes).
    public var requestedBy: String?

    /// Where the approval is.
    public enum Status: String, Choice {
        case notRequested = "not-requested"
        case pending
        case approved
        case returned
    }

    /// Never asked for.
    public static let none = HighCostApproval(
        status: .notRequested, requestedWeeklyCost: nil, approvedWeeklyCost: nil, returnedReason: nil,
        requestedBy: nil)
}

/// The options for meeting needs that a high-cost request must show were appraised.
public enum CareOption: String, Choice {
    case agency
    case personalAssistants = "personal-assistants"
    case liveInCare = "live-in-care"
    case residential
}

/// Data of `request-high-cost-approval`: the checklist.
public struct HighCostChecklist: Hashable, Codable, Sendable {
    public var optionsAppraised: [CareOption]
    public var leastRestrictive: Bool
    public var capacityConsidered: Bool
    public var viewsSought: Bool

    /// What the checklist still lacks; empty when complete.
    public var missingItems: [String] {
        var missing = CareOption.allCases.filter { !optionsAppraised.contains($0) }
            .map { "option appraised: \($0.rawValue)" }
        if !leastRestrictive { missing.append("the least restrictive option chosen") }
        if !capacityConsidered { missing.append("mental capacity considered") }
        if !viewsSought { missing.append("the views of the person and their carers sought") }
        return missing
    }
}

/// Data of `high-cost-decided`: the panel's decision.
public struct HighCostDecision: Hashable, Codable, Sendable {
    public var approved: Bool
    public var reason: String?
    public var task: TaskID?
}
