/// The NHS's part in a case, as Kent's high-cost checklist asks about it: "Have you considered whether joint
/// funding with Health/ Mental Health may be appropriate?", "Has a CHC checklist been completed?", "Think s117".
///
/// A positive NHS Continuing Healthcare checklist refers the person to the NHS; if it agrees to fund their care the
/// case closes as `nhs-funded` and the council's services end. Joint funding records the NHS's weekly share of the
/// personal budget. Aftercare under s117 of the Mental Health Act 1983 is recorded, and exempts from charging.
public struct HealthFunding: Hashable, Codable, Sendable {
    /// Where NHS Continuing Healthcare is.
    public var chc: CHCStatus
    /// The NHS's weekly share of the personal budget under joint funding; `nil` without.
    public var jointFundingWeekly: Money?
    /// Whether the person receives aftercare under s117 of the Mental Health Act 1983.
    public var s117Aftercare: Bool

    /// Nothing recorded.
    public static let none = HealthFunding(chc: .none, jointFundingWeekly: nil, s117Aftercare: false)

    /// Where NHS Continuing Healthcare is.
    public enum CHCStatus: String, Choice {
        /// No checklist recorded.
        case none
        /// The checklist was negative: no full assessment for CHC.
        case screenedOut = "screened-out"
        /// The checklist was positive: the NHS is deciding.
        case referred
        /// The NHS decided the person is not eligible for CHC.
        case declined
        /// The NHS agreed to fund the person's care (the case closed as `nhs-funded`).
        case funded
    }

    /// Whether a checklist may be recorded, as far as the NHS's decision goes: not once the NHS funds the care. (The
    /// journey also waits while a referral's task is open.)
    public var acceptsChecklist: Bool { chc != .funded }

    /// Whether a CHC checklist has been completed on the case.
    public var checklistCompleted: Bool { chc != .none }
}

/// Data of `chc-checklist-completed`.
public struct CHCChecklist: Hashable, Codable, Sendable {
    /// Whether the checklist was positive (a full assessment for NHS Continuing Healthcare follows).
    public var positive: Bool
    public var note: String?
}

/// Data of `chc-decided`: the NHS's decision, the reply to a `chc-referral` task.
public struct CHCDecision: Hashable, Codable, Sendable {
    /// Whether the NHS agreed to fund the person's care as NHS Continuing Healthcare.
    public var fundingAgreed: Bool
    public var note: String?
    public var task: TaskID?
}

/// Data of `joint-funding-agreed`.
public struct JointFunding: Hashable, Codable, Sendable {
    /// The NHS's weekly share of the personal budget; nothing ends joint funding.
    public var nhsWeekly: Money
    public var note: String?
}
