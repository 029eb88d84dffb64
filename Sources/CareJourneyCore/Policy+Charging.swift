extension Policy {
    /// The council's charging policy as the journey needs it: who is referred for a financial assessment, who is
    /// exempt, for how long support is free, how often contributions are re-assessed, and how a direct payment
    /// meets the person's contribution.
    ///
    /// Wiltshire: "A Personal Budget is made up of social care funding and the person's assessed contribution (as per
    /// the charging policy, if you are a carer or are receiving aftercare for mental health needs you will not be
    /// asked to pay towards the cost of any services you receive)"; "Existing support plans and financial
    /// contributions will be re-assessed or reviewed at regular intervals (not longer than 12 months)". Derbyshire:
    /// people "pay an assessed contribution under Derbyshire County Council's Co-Funding Policy".
    public struct Charging: Hashable, Codable, Sendable {
        /// The longest time from one financial assessment to the next (no more than 12 months).
        public var reassessEvery: PolicyDuration
        /// How long before a re-assessment is due the reminder goes out and the finance team is asked.
        public var reminderLead: PolicyDuration
        /// The exemptions the council grants; `s117-aftercare` always among them.
        public var exemptions: [ChargingExemption]
        /// How long support is free under the `free-period` exemption (initial support, reablement, interim
        /// support); the financial assessment is due when it ends. Required when `exemptions` has `free-period`.
        public var freePeriod: PolicyDuration?
        /// Whether a plan may be signed off while the financial assessment is still outstanding. When it may, the
        /// budget's split is recorded as provisional and the assessment stays due.
        public var signOffPendingAssessment: Bool
        /// How a direct payment meets the person's contribution: paid net of it (the usual way), or paid in full
        /// with the contribution invoiced.
        public var directPayments: DirectPaymentCharging

        public init(
            reassessEvery: PolicyDuration, reminderLead: PolicyDuration, exemptions: [ChargingExemption],
            freePeriod: PolicyDuration? = nil, signOffPendingAssessment: Bool = false,
            directPayments: DirectPaymentCharging = .net
        ) {
            self.reassessEvery = reassessEvery
            self.reminderLead = reminderLead
            self.exemptions = exemptions
            self.freePeriod = freePeriod
            self.signOffPendingAssessment = signOffPendingAssessment
            self.directPayments = directPayments
        }

        /// Whether the council grants this exemption. Aftercare under s117 of the Mental Health Act 1983 is free by
        /// law, whatever the file says.
        public func grants(_ exemption: ChargingExemption) -> Bool {
            exemption == .s117Aftercare || exemptions.contains(exemption)
        }
    }

    /// How a direct payment meets the person's contribution.
    public enum DirectPaymentCharging: String, Choice {
        /// The payment is the council's part only: the person pays their contribution into the account.
        case net
        /// The payment is the whole budget's part; the person is invoiced for their contribution.
        case gross
    }
}

/// Why a person pays nothing towards their support, whatever their means.
public enum ChargingExemption: String, Choice {
    /// Services to a carer. Wiltshire: "if you are a carer … you will not be asked to pay towards the cost of any
    /// services you receive".
    case carersServices = "carers-services"
    /// Aftercare under s117 of the Mental Health Act 1983. Wiltshire: "if you are … receiving aftercare for mental
    /// health needs you will not be asked to pay"; Kent's checklist: "Think s117".
    case s117Aftercare = "s117-aftercare"
    /// Free reablement or an interim period. Wiltshire: "Initial support can be offered free for up to 6 weeks" for
    /// people "supported by Adult Social Care for the first time" or with "a new need that could benefit from
    /// reablement support"; "At all other times … subject to means testing under the council's Charging Policy".
    case freePeriod = "free-period"
    /// Another reason the council's charging policy gives, recorded in words (a manager's decision).
    case other
}
