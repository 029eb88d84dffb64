import Foundation

/// A copy of a signed-off plan for the person and whoever they share it with, made from the case's own data: what
/// a `send-plan-copy` task's brief carries, and what `PlanDocument` (CareJourneyKit) renders as an accessible,
/// printable HTML document. It holds no markup: the core makes no HTML.
///
/// Derbyshire: a carer's plan is "agreed and shared with the carer and a copy provided"; Medway: "Clients receive a
/// copy of their plan"; Wiltshire: the plan "will be written down and shared with all involved".
public struct PlanCopy: Hashable, Codable, Sendable {
    public var caseID: CaseID
    /// The person the plan is for.
    public var person: String
    public var clientType: ClientType
    /// When the plan was signed off.
    public var signedOffAt: Date
    /// When this copy was made (a later copy follows a change to the contribution).
    public var madeAt: Date
    /// The plan as signed off.
    public var plan: SupportPlan
    /// The personal budget in its parts, under a policy with charging.
    public var budget: BudgetSplit?
    /// The support at the council's reasonable rates, a week, beside the plan's actual cost.
    public var reasonableCost: Money?
    /// The plan's actual cost, a week.
    public var actualCost: Money
    /// Who receives the copy: the person first, then those they share it with.
    public var recipients: [String]

    /// The copy of `state`'s signed-off plan as it stands at `now`; `nil` before any sign-off.
    public init?(of state: CaseState, at now: Date) {
        guard let plan = state.signedOffPlan, let signedOff = state.lastSignedOffAt else { return nil }
        let person = state.person?.name ?? "the person"
        caseID = state.id
        self.person = person
        clientType = state.person?.clientType ?? .adult
        signedOffAt = signedOff
        madeAt = now
        self.plan = plan
        budget = state.budgetSplit
        reasonableCost = plan.reasonableCost
        actualCost = plan.weeklyCost
        var recipients = [person]
        for name in plan.sharedWith ?? [] where !recipients.contains(name) { recipients.append(name) }
        self.recipients = recipients
    }

    /// The copy as JSON, for a task's brief.
    public var json: JSONValue { TaskBrief.json(self) }
}
