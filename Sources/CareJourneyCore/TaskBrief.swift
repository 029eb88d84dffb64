import Foundation

/// What a worker is told about a task's case: only the personal data that kind of task needs, and when the work
/// is due where the journey says. A **contract** with workers (docs/tasks.md): adding a field is safe, removing
/// one is not.
public struct TaskBrief: Hashable, Sendable {
    /// When the work is due, where the journey says.
    public var due: Date?
    /// The data, by field.
    public var fields: [String: JSONValue]

    /// The brief for `task` on a case in `state`.
    public init(for task: CareTask, in state: CaseState) {
        let plan = state.signedOffPlan ?? state.plan
        let name: [String: JSONValue] = state.person.map { ["name": .string($0.name)] } ?? [:]
        switch task.kind {
        case .findProvider, .arrangeInterimSupport, .endServices:
            // Brokerage matches services and cost; it needs no name until a provider is agreed.
            var fields: [String: JSONValue] = [
                "services": .array((plan.councilManaged?.services ?? []).map(JSONValue.string))
            ]
            if let cost = plan.councilManaged?.weeklyCost { fields["weeklyBudget"] = .number(cost.pounds) }
            if task.kind == .endServices, let provider = state.provider?.provider {
                fields["provider"] = .string(provider)
            }
            self.init(due: nil, fields: fields)
        case .referAdvocacy:
            var fields = name
            fields["stage"] = .string(state.stage.rawValue)
            self.init(due: nil, fields: fields)
        case .setUpDirectPayment, .dpAudit:
            var fields = name
            if let part = plan.directPayment {
                fields["amount"] = .number(part.amount.pounds)
                fields["frequency"] = .string(part.frequency.rawValue)
            }
            self.init(due: nil, fields: fields)
        case .reviewReminder:
            let due = state.timers[.reviewFirstFormalDue] ?? state.timers[.reviewPlannedDue]
            self.init(due: due, fields: name)
        case .safeguardingDecision, .safeguardingEnquiry, .complaintResolution, .writtenNotification,
            .offerCarerAssessment, .transferHandover, .highCostPanel:
            self.init(due: nil, fields: name)
        case .screenContact, .scheduleAssessment, .reablementCheck, .escalateReablementOverrun, .assessNeeds,
            .decideEligibility, .calculateBudget, .planSupport, .conductReview, .escalateOverdueReview:
            // Practitioners' tasks: they open the case itself, so the task carries no personal data.
            self.init(due: nil, fields: [:])
        }
    }

    public init(due: Date?, fields: [String: JSONValue]) {
        self.due = due
        self.fields = fields
    }
}
