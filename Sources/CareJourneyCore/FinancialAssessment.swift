import Foundation

/// The financial assessment under the council's charging policy, beside the journey: referred after eligibility,
/// its outcome the person's weekly contribution (nothing, an amount, or the full cost) or an exemption, and
/// re-assessed at the policy's interval, on a change of circumstances, or when a challenge to the contribution is
/// upheld. Kent's checklist asks "Have you referred for a financial assessment?".
///
/// A case has one only under a policy with `charging:`.
public struct FinancialAssessment: Hashable, Codable, Sendable {
    /// The outcome in force, or `nil` before the first (or once an exemption ended).
    public var outcome: ChargingOutcome?
    /// When the outcome in force was recorded: the next re-assessment counts from it.
    public var decidedAt: Date?
    /// Why an assessment is asked for now, while one is; `nil` when none is outstanding.
    public var referral: FinancialReferral?
    /// The plan was signed off before any outcome, as the policy allows: the budget's split is provisional.
    public var provisional: Bool?
    /// The re-assessment's due date, when it passed without one.
    public var overdueSince: Date?
    /// Outcomes recorded so far.
    public var assessments: Int

    /// Referred for a first assessment.
    public init(referral: FinancialReferral) {
        self.referral = referral
        assessments = 0
    }

    /// Where the financial assessment is: `referred` (none yet), `assessed`, `exempt`, `reassessing` (an outcome
    /// in force while a new assessment is asked for), or `overdue` (that re-assessment is past its due date).
    public var status: Status {
        switch (outcome, referral) {
        case (nil, _): .referred
        case (_?, _?): overdueSince == nil ? .reassessing : .overdue
        case (let outcome?, nil): outcome.exemption == nil ? .assessed : .exempt
        }
    }

    /// Where the financial assessment is.
    public enum Status: String, Choice {
        case referred
        case assessed
        case exempt
        case reassessing
        /// A re-assessment past its due date, still outstanding.
        case overdue
    }
}

/// Why the finance team is asked for a financial assessment.
public enum FinancialReferral: String, Choice {
    /// After the eligibility decision.
    case first
    /// The policy's interval is nearly up (or a free period is ending).
    case reassessmentDue = "reassessment-due"
    /// Wiltshire: "anybody involved with your support can ask for a re-assessment at any time if there is a change
    /// of circumstances".
    case changeOfCircumstances = "change-of-circumstances"
    /// The person, or someone for them, asked.
    case request
    /// A complaint about the contribution was upheld (Wiltshire: people may challenge "the cost of your
    /// contribution").
    case challenge
    /// An exemption ended (s117 aftercare ended).
    case exemptionEnded = "exemption-ended"
}

/// What the person pays towards their support, as a financial assessment found it.
public struct ChargingOutcome: Hashable, Codable, Sendable {
    public var kind: Kind
    /// The assessed weekly contribution, for `contribution`.
    public var weeklyContribution: Money?
    /// Why the person pays nothing, for `exempt`.
    public var exemption: ChargingExemption?
    /// The finance team's note (required for an `other` exemption).
    public var note: String?

    public init(
        kind: Kind, weeklyContribution: Money? = nil, exemption: ChargingExemption? = nil, note: String? = nil
    ) {
        self.kind = kind
        self.weeklyContribution = weeklyContribution
        self.exemption = exemption
        self.note = note
    }

    /// The kinds of outcome.
    public enum Kind: String, Choice {
        /// Assessed: nothing to pay.
        case nilContribution = "nil-contribution"
        /// Assessed: a weekly amount.
        case contribution
        /// Assessed: the full cost of the support (the person's means are above the upper limit).
        case fullCost = "full-cost"
        /// Not asked to pay, for a reason of the policy.
        case exempt
    }

    /// The person's weekly contribution towards a part of the budget costing `chargeable` a week.
    public func contribution(towards chargeable: Money) -> Money {
        switch kind {
        case .nilContribution, .exempt: .zero
        case .contribution: min(weeklyContribution ?? .zero, chargeable)
        case .fullCost: chargeable
        }
    }

    /// The outcome in words for the person: "£40.00 a week", "nothing (exempt: carers-services)".
    public var words: String {
        switch kind {
        case .nilContribution: "nothing (assessed)"
        case .contribution: "\(weeklyContribution ?? .zero) a week (assessed)"
        case .fullCost: "the full cost (assessed)"
        case .exempt: "nothing (exempt: \(exemption?.rawValue ?? "—"))"
        }
    }
}

/// Data of `financial-assessment-completed`: the finance team's reply to a `financial-assessment` task.
public struct FinancialAssessmentResult: Hashable, Codable, Sendable {
    public var outcome: ChargingOutcome.Kind
    /// Required for `contribution`, and only there.
    public var weeklyContribution: Money?
    /// Required for `exempt`, and only there.
    public var exemption: ChargingExemption?
    public var note: String?
    public var task: TaskID?

    /// The outcome to record.
    public var recorded: ChargingOutcome {
        ChargingOutcome(kind: outcome, weeklyContribution: weeklyContribution, exemption: exemption, note: note)
    }
}

/// Data of `request-financial-assessment`: a re-assessment asked for now.
public struct FinancialAssessmentRequest: Hashable, Codable, Sendable {
    /// `change-of-circumstances` or `request`.
    public var reason: FinancialReferral
    public var note: String?
}
