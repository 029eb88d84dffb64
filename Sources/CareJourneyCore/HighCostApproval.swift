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
    /// The checklist put to the panel, as answered.
    public var checklist: HighCostChecklist?

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
        requestedBy: nil, checklist: nil)
}

/// The options for meeting needs that a high-cost request must show were appraised.
public enum CareOption: String, Choice {
    case agency
    case personalAssistants = "personal-assistants"
    case liveInCare = "live-in-care"
    case residential
}

/// Data of `request-high-cost-approval`: the checklist put to the panel. Under a policy whose `high-cost.checklist` is
/// `kent`, Kent's 22 items (`KentItem`, `kentProblems`); otherwise the four-item appraisal of earlier versions
/// (`missingItems`), whose fields stay so that older histories read.
public struct HighCostChecklist: Hashable, Sendable {
    /// Kent's item 1: the reason for the high-cost package.
    public var reason: HighCostReason?
    /// Item 1's "other", in words.
    public var reasonOther: String?
    /// The options appraised (Kent's item 8, and the earlier appraisal).
    public var optionsAppraised: [CareOption]
    /// Kent's item 10: the option that delivers the outcomes desired for best value.
    public var bestValueOption: CareOption?
    /// Kent's items 2 to 22, each answered "considered" with its evidence or, where Kent's wording allows,
    /// "not applicable" with a reason.
    public var answers: [KentItem: ChecklistAnswer]
    /// The earlier appraisal: the least restrictive option chosen.
    public var leastRestrictive: Bool?
    /// The earlier appraisal: mental capacity considered.
    public var capacityConsidered: Bool?
    /// The earlier appraisal: the views of the person and their carers sought.
    public var viewsSought: Bool?

    public init(
        reason: HighCostReason? = nil, reasonOther: String? = nil, optionsAppraised: [CareOption],
        bestValueOption: CareOption? = nil, answers: [KentItem: ChecklistAnswer] = [:], leastRestrictive: Bool? = nil,
        capacityConsidered: Bool? = nil, viewsSought: Bool? = nil
    ) {
        self.reason = reason
        self.reasonOther = reasonOther
        self.optionsAppraised = optionsAppraised
        self.bestValueOption = bestValueOption
        self.answers = answers
        self.leastRestrictive = leastRestrictive
        self.capacityConsidered = capacityConsidered
        self.viewsSought = viewsSought
    }

    /// What the earlier four-item appraisal still lacks; empty when complete.
    public var missingItems: [String] {
        var missing = CareOption.allCases.filter { !optionsAppraised.contains($0) }
            .map { "option appraised: \($0.rawValue)" }
        if leastRestrictive != true { missing.append("the least restrictive option chosen") }
        if capacityConsidered != true { missing.append("mental capacity considered") }
        if viewsSought != true { missing.append("the views of the person and their carers sought") }
        return missing
    }
}

/// Data of `high-cost-decided`: the panel's decision.
public struct HighCostDecision: Hashable, Codable, Sendable {
    public var approved: Bool
    public var reason: String?
    public var task: TaskID?
}
