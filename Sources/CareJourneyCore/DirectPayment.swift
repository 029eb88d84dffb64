import Foundation

/// The part of the budget taken as a direct payment, and what it will buy.
public struct DirectPaymentPart: Hashable, Codable, Sendable {
    public var amount: Money
    public var frequency: Frequency
    /// What the payment will be spent on.
    public var purchases: [Purchase]
    /// Whether it will employ a spouse, partner or close relative living in the same household.
    public var employsCloseRelativeInHousehold: Bool?
    /// The exceptional circumstances, where the rules allow them (equipment, a close relative).
    public var exceptionalCircumstances: String?
    /// The eligible needs the payment meets. Derbyshire: "where some or all needs are to be met via a direct
    /// payment, the needs to be met via the direct payment and the amount and frequency of the payments".
    public var needsMet: [String]?

    /// How often the payment is made.
    public enum Frequency: String, Choice {
        case weekly
        case fourWeekly = "four-weekly"
        case monthly
    }

    /// What a direct payment may be asked to buy.
    public enum Purchase: String, Choice {
        case personalAssistant = "personal-assistant"
        case agencyCare = "agency-care"
        case dayActivities = "day-activities"
        case shortBreaks = "short-breaks"
        case equipment
        case longTermResidentialCare = "long-term-residential-care"
        case healthcare
        case councilServices = "council-services"
    }

    /// The amount at its weekly rate (a month is 52/12 weeks).
    public var weeklyEquivalent: Money {
        switch frequency {
        case .weekly: amount
        case .fourWeekly: amount.scaled(by: 0.25)
        case .monthly: amount.scaled(by: 12.0 / 52.0)
        }
    }

    /// A weekly amount as one payment at this frequency (the inverse of `weeklyEquivalent`).
    public func payment(ofWeekly weekly: Money) -> Money {
        switch frequency {
        case .weekly: weekly
        case .fourWeekly: weekly.scaled(by: 4)
        case .monthly: weekly.scaled(by: 52.0 / 12.0)
        }
    }

    /// Why the law or the policy refuses this direct payment, one reason a line; empty when it may go ahead.
    public var refusals: [String] {
        let exceptional = !(exceptionalCircumstances?.isEmpty ?? true)
        var reasons: [String] = []
        if purchases.contains(.longTermResidentialCare) {
            reasons.append("a direct payment cannot buy long-term residential or nursing care (short stays only)")
        }
        if purchases.contains(.healthcare) { reasons.append("a direct payment cannot pay for healthcare") }
        if purchases.contains(.councilServices) {
            reasons.append("a direct payment cannot buy services from the council itself")
        }
        if purchases.contains(.equipment) && !exceptional {
            reasons.append(
                "equipment comes through the community equipment service unless exceptional circumstances are recorded")
        }
        if employsCloseRelativeInHousehold == true && !exceptional {
            reasons.append(
                "a close relative living in the same household can be employed only in exceptional circumstances, which must be recorded"
            )
        }
        return reasons
    }
}

/// The direct payment's life: agreement, active with yearly audits, reclaims of unspent money.
public struct DirectPaymentAccount: Hashable, Codable, Sendable {
    public var status: Status
    /// Audits completed.
    public var audits: Int
    /// Unspent money reclaimed so far.
    public var reclaimed: Money
    /// The date the next audit counts from: the agreement, then each audit's due date.
    public var auditFrom: Date?

    /// Where the direct payment is.
    public enum Status: String, Choice {
        case none
        case agreementPending = "agreement-pending"
        case active
    }

    /// No direct payment.
    public static let none = DirectPaymentAccount(status: .none, audits: 0, reclaimed: .zero, auditFrom: nil)
}

/// Data of `dp-audit-completed`: the monitoring worker's reply.
public struct AuditResult: Hashable, Codable, Sendable {
    /// Money paid but not spent on the plan; more than zero is reclaimed and starts an unplanned review.
    public var unspent: Money
    public var task: TaskID?
}
