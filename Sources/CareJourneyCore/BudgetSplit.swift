/// The signed-off personal budget in its parts: what the NHS pays (joint funding), the person's contribution, and
/// the council's funding, which add up to the personal budget; and how much a direct payment pays.
///
/// Wiltshire: "A Personal Budget is made up of social care funding and the person's assessed contribution"; Medway's
/// plans say "their contribution to the cost of their support". Worked out by the journey whenever one of its parts
/// changes (sign-off, a financial assessment's outcome, s117 aftercare), under a policy with `charging:`.
public struct BudgetSplit: Hashable, Codable, Sendable {
    /// The weekly personal budget the plan was signed off with.
    public var personalBudget: Money
    /// The NHS's weekly share under joint funding.
    public var nhsShare: Money
    /// The person's weekly contribution (never more than the budget's social care part).
    public var contribution: Money
    /// The council's weekly funding: the rest.
    public var councilFunding: Money
    /// The financial assessment's outcome the contribution rests on; `nil` while none is recorded (provisional).
    public var basis: ChargingOutcome?
    /// The direct payment as paid, when the plan has one. Wiltshire: people may "receive some or all of the
    /// council's contribution as a direct payment": paid net of the person's contribution, unless the policy says
    /// `direct-payments: gross`.
    public var directPayment: PaidDirectPayment?

    /// Whether the contribution is still to be assessed.
    public var isProvisional: Bool { basis == nil }

    /// The split of `plan`'s personal budget given what the person pays and the NHS's share; `nil` when the plan has
    /// no personal budget.
    public init?(
        plan: SupportPlan, outcome: ChargingOutcome?, nhsShare share: Money?,
        directPayments: Policy.DirectPaymentCharging
    ) {
        guard let budget = plan.personalBudget else { return nil }
        let nhs = min(share ?? .zero, budget)
        let chargeable = budget - nhs
        let contribution = outcome?.contribution(towards: chargeable) ?? .zero
        personalBudget = budget
        nhsShare = nhs
        self.contribution = contribution
        councilFunding = chargeable - contribution
        basis = outcome
        directPayment = plan.directPayment.map { part in
            let weekly = part.weeklyEquivalent
            let paidWeekly = directPayments == .net ? max(.zero, weekly - min(contribution, weekly)) : weekly
            return PaidDirectPayment(
                weekly: weekly, paidWeekly: paidWeekly, payment: part.payment(ofWeekly: paidWeekly),
                frequency: part.frequency, net: directPayments == .net)
        }
    }

    /// A direct payment as paid.
    public struct PaidDirectPayment: Hashable, Codable, Sendable {
        /// The direct-payment part of the plan, a week.
        public var weekly: Money
        /// What is paid a week: net of the contribution, or the whole part.
        public var paidWeekly: Money
        /// Each payment, at the plan's frequency.
        public var payment: Money
        public var frequency: DirectPaymentPart.Frequency
        /// Whether it is paid net of the person's contribution.
        public var net: Bool
    }
}
