/// Kent's "Approval for a higher Cost Care package: pre-submission checklist": 22 items, each with "Has this been
/// considered?" and "Evidence Attached?". Item 1 is the reason for the package; items 2 to 22 are answered here.
public enum KentItem: Int, CaseIterable, Sendable, Comparable {
    case otAssessment = 2
    case assistiveTechnology
    case enablement
    case endorsement
    case budgetSufficient
    case riskAssessment
    case otherOptions
    case optionsWeighed
    case bestValue
    case outcomesEvidence
    case leastRestrictiveOption
    case personsViews
    case capacityAssessment
    case legalResponsibility
    case bestInterests
    case jointFunding
    case chcChecklist
    case financialAssessment
    case chargingExplained
    case s117Cane
    case futureStrategies

    /// Kent's number for the item.
    public var number: Int { rawValue }

    /// The item's field in the event's data.
    public var field: String {
        switch self {
        case .otAssessment: "otAssessment"
        case .assistiveTechnology: "assistiveTechnology"
        case .enablement: "enablement"
        case .endorsement: "endorsement"
        case .budgetSufficient: "budgetSufficient"
        case .riskAssessment: "riskAssessment"
        case .otherOptions: "otherOptions"
        case .optionsWeighed: "optionsWeighed"
        case .bestValue: "bestValue"
        case .outcomesEvidence: "outcomesEvidence"
        case .leastRestrictiveOption: "leastRestrictiveOption"
        case .personsViews: "personsViews"
        case .capacityAssessment: "capacityAssessment"
        case .legalResponsibility: "legalResponsibility"
        case .bestInterests: "bestInterests"
        case .jointFunding: "jointFunding"
        case .chcChecklist: "chcChecklist"
        case .financialAssessment: "financialAssessment"
        case .chargingExplained: "chargingExplained"
        case .s117Cane: "s117Cane"
        case .futureStrategies: "futureStrategies"
        }
    }

    /// Kent's question, in short: what the practitioner must have considered.
    public var question: String {
        switch self {
        case .otAssessment: "joint work with an OT colleague for a functional assessment"
        case .assistiveTechnology: "just checking, lifeline, telecare, other assistive technology, GPS or smart technology"
        case .enablement: "enablement at home (KEAH) involved"
        case .endorsement:
            "the assessment and plan endorsed by a supervisor or manager, a review date planned, a robust contingency plan"
        case .budgetSufficient: "the estimated personal budget sufficient for the unmet eligible needs in the plan"
        case .riskAssessment: "a risk assessment completed and, if appropriate, submitted to the area risk panel"
        case .otherOptions:
            "evidence that other options were explored (live-in carer, residential care, extra care housing, network support)"
        case .optionsWeighed: "for each option, its benefits, disadvantages, risks and costs, and where that is evidenced"
        case .bestValue: "the option that delivers the outcomes desired for best value"
        case .outcomesEvidence:
            "evidence the option will promote wellbeing, reduce existing needs and delay a higher package"
        case .leastRestrictiveOption: "the option recommended is the least restrictive (Mental Capacity Act 2005)"
        case .personsViews: "the person's views sought, and whether they agree with the option"
        case .capacityAssessment: "a mental capacity assessment, if there is any reason for one"
        case .legalResponsibility: "who has legal responsibility, if the person lacks capacity for the decision"
        case .bestInterests: "the option assessed as best at a best interests meeting, if the person lacks capacity"
        case .jointFunding: "whether joint funding with health or mental health may be appropriate"
        case .chcChecklist: "a CHC checklist completed"
        case .financialAssessment: "a referral for a financial assessment"
        case .chargingExplained: "charging and finance explained, with the documents, to the person and their network"
        case .s117Cane: "s117: if relevant, the CANE tool filled in"
        case .futureStrategies: "the strategies for the future (a review planned in a week or a month)"
        }
    }

    /// Whether Kent's wording allows "not applicable": only the items asked "if" something holds (14: "If you have
    /// any reason to"; 15 and 16: "If the person concerned does not have the capacity"; 21: "if relevant").
    public var mayNotApply: Bool {
        switch self {
        case .capacityAssessment, .legalResponsibility, .bestInterests, .s117Cane: true
        default: false
        }
    }

    public static func < (lhs: KentItem, rhs: KentItem) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// Kent's item 1: "What is the reason for this high cost care package?"
public enum HighCostReason: String, Choice {
    /// "24-hour care at home- former self-funded care".
    case formerSelfFunder = "24-hour-care-former-self-funder"
    /// "Increased care package due to worsening condition".
    case worseningCondition = "worsening-condition"
    /// "Double-handed care".
    case doubleHandedCare = "double-handed-care"
    /// "Complex behavioural needs".
    case complexBehaviouralNeeds = "complex-behavioural-needs"
    /// "Profound physical disability".
    case profoundPhysicalDisability = "profound-physical-disability"
    /// "Other e.g. health improver; SIS package; managed service from DP", said in `reasonOther`.
    case other
}

/// One answer of Kent's checklist.
public struct ChecklistAnswer: Hashable, Codable, Sendable {
    public var answer: Answer
    /// Where the evidence is, for "considered".
    public var evidence: String?
    /// Why the item does not apply, for "not applicable".
    public var reason: String?

    public init(answer: Answer, evidence: String? = nil, reason: String? = nil) {
        self.answer = answer
        self.evidence = evidence
        self.reason = reason
    }

    /// "Has this been considered?"
    public enum Answer: String, Choice {
        case considered
        case notApplicable = "not-applicable"
    }
}

/// What the journey knows that Kent's checklist asks about, so that an answer can be checked against the case.
public struct KentCaseFacts: Sendable {
    /// Whether the council charges (a financial assessment is referred after eligibility).
    public var charging: Bool
    /// Whether the case has a financial assessment referred, done or exempt.
    public var financialAssessmentReferred: Bool
    /// Whether a CHC checklist is recorded on the case.
    public var chcChecklistCompleted: Bool
    /// Whether the case records s117 aftercare.
    public var s117Aftercare: Bool

    public init(charging: Bool, financialAssessmentReferred: Bool, chcChecklistCompleted: Bool, s117Aftercare: Bool) {
        self.charging = charging
        self.financialAssessmentReferred = financialAssessmentReferred
        self.chcChecklistCompleted = chcChecklistCompleted
        self.s117Aftercare = s117Aftercare
    }
}

extension HighCostChecklist {
    /// Every unanswered or unsupported item of Kent's 22, in order, named by its number and in Kent's words; empty
    /// when the checklist may go to panel.
    public func kentProblems(on facts: KentCaseFacts) -> [String] {
        func given(_ text: String?) -> Bool { text?.contains { !$0.isWhitespace } ?? false }
        var problems: [String] = []
        switch reason {
        case nil: problems.append("item 1: the reason for the high-cost package — unanswered")
        case .other? where !given(reasonOther):
            problems.append("item 1: the reason for the high-cost package — 'other' needs the reason in words")
        default: break
        }
        for item in KentItem.allCases {
            let head = "item \(item.number): \(item.question)"
            guard let answer = answers[item] else {
                problems.append("\(head) — unanswered")
                continue
            }
            switch answer.answer {
            case .considered where !given(answer.evidence):
                problems.append("\(head) — 'considered' needs its evidence")
            case .notApplicable where !item.mayNotApply:
                problems.append("\(head) — Kent asks it of every request: 'not applicable' is not an answer here")
            case .notApplicable where !given(answer.reason):
                problems.append("\(head) — 'not applicable' needs a reason")
            default:
                break
            }
            problems += caseProblems(item, answer, facts: facts).map { "\(head) — \($0)" }
        }
        return problems
    }

    /// Where an answer and the case disagree.
    private func caseProblems(_ item: KentItem, _ answer: ChecklistAnswer, facts: KentCaseFacts) -> [String] {
        switch item {
        case .otherOptions:
            return CareOption.allCases.filter { !optionsAppraised.contains($0) }
                .map { "option not appraised: \($0.rawValue)" }
        case .bestValue:
            guard let option = bestValueOption else { return ["name the option (bestValueOption)"] }
            return optionsAppraised.contains(option) ? [] : ["'\(option.rawValue)' is not among the options appraised"]
        case .chcChecklist where !facts.chcChecklistCompleted:
            return ["no CHC checklist is recorded on the case (chc-checklist-completed)"]
        case .financialAssessment where facts.charging && !facts.financialAssessmentReferred:
            return ["the case has no financial assessment referral (request-financial-assessment)"]
        case .s117Cane where facts.s117Aftercare && answer.answer == .notApplicable:
            return ["the case records s117 aftercare, so it is relevant"]
        default:
            return []
        }
    }
}

extension HighCostChecklist: Codable {
    private struct Key: CodingKey {
        let stringValue: String
        init(stringValue: String) { self.stringValue = stringValue }
        var intValue: Int? { nil }
        init?(intValue: Int) { nil }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        func key(_ name: String) -> Key { Key(stringValue: name) }
        reason = try container.decodeIfPresent(HighCostReason.self, forKey: key("reason"))
        reasonOther = try container.decodeIfPresent(String.self, forKey: key("reasonOther"))
        // Absent is none appraised, so that an empty request is refused naming every item it lacks.
        optionsAppraised = try container.decodeIfPresent([CareOption].self, forKey: key("optionsAppraised")) ?? []
        bestValueOption = try container.decodeIfPresent(CareOption.self, forKey: key("bestValueOption"))
        answers = [:]
        for item in KentItem.allCases {
            answers[item] = try container.decodeIfPresent(ChecklistAnswer.self, forKey: key(item.field))
        }
        leastRestrictive = try container.decodeIfPresent(Bool.self, forKey: key("leastRestrictive"))
        capacityConsidered = try container.decodeIfPresent(Bool.self, forKey: key("capacityConsidered"))
        viewsSought = try container.decodeIfPresent(Bool.self, forKey: key("viewsSought"))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        func key(_ name: String) -> Key { Key(stringValue: name) }
        try container.encodeIfPresent(reason, forKey: key("reason"))
        try container.encodeIfPresent(reasonOther, forKey: key("reasonOther"))
        try container.encode(optionsAppraised, forKey: key("optionsAppraised"))
        try container.encodeIfPresent(bestValueOption, forKey: key("bestValueOption"))
        for item in KentItem.allCases {
            try container.encodeIfPresent(answers[item], forKey: key(item.field))
        }
        try container.encodeIfPresent(leastRestrictive, forKey: key("leastRestrictive"))
        try container.encodeIfPresent(capacityConsidered, forKey: key("capacityConsidered"))
        try container.encodeIfPresent(viewsSought, forKey: key("viewsSought"))
    }
}
