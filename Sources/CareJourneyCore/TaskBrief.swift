import Foundation

/// What a worker is told about a task's case: only the personal data that kind of task needs, and when the work
/// is due where the journey says. A **contract** with workers (docs/tasks.md): adding a field is safe, removing
/// one is not.
public struct TaskBrief: Hashable, Sendable {
    /// When the work is due, where the journey says.
    public var due: Date?
    /// The last local day `due` includes on the council's calendar (a review due by the end of 5 November: 5
    /// November), so that a reminder names the day people count in, not an instant in UTC.
    public var dueDay: LocalDate?
    /// The council's time zone `dueDay` is a day in (`Europe/London`), when there is a due date.
    public var timeZone: String?
    /// The data, by field.
    public var fields: [String: JSONValue]

    /// The brief for `task` on a case in `state`, its due day on `calendar` (the policy's `councilCalendar`).
    public init(for task: CareTask, in state: CaseState, calendar: CouncilCalendar) {
        self.init(for: task, in: state)
        if let due {
            dueDay = calendar.deadlineDay(of: due)
            timeZone = calendar.timeZone.identifier
        }
    }

    /// The brief for `task` on a case in `state`, without its due day.
    init(for task: CareTask, in state: CaseState) {
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
            // Under charging: each payment as paid (net of the person's contribution, unless the policy pays gross),
            // and the weekly contribution.
            if let split = state.budgetSplit, let paid = split.directPayment {
                fields["paid"] = .number(paid.payment.pounds)
                fields["contribution"] = .number(split.contribution.pounds)
            }
            self.init(due: nil, fields: fields)
        case .reviewReminder:
            let due = state.timers[.reviewFirstFormalDue] ?? state.timers[.reviewPlannedDue]
            self.init(due: due, fields: name)
        case .highCostPanel:
            // The panel weighs the cost against the checklist's answers.
            var fields = name
            if let cost = state.highCost.requestedWeeklyCost { fields["weeklyCost"] = .number(cost.pounds) }
            if let checklist = state.highCost.checklist { fields["checklist"] = Self.json(checklist) }
            self.init(due: nil, fields: fields)
        case .financialAssessment:
            // The finance team contacts the person and weighs their means against the budget.
            var fields = name
            if let budget = plan.personalBudget { fields["personalBudget"] = .number(budget.pounds) }
            if let client = state.person?.clientType { fields["clientType"] = .string(client.rawValue) }
            self.init(due: state.timers[.chargingReassessmentDue], fields: fields)
        case .chargingReminder:
            self.init(due: state.timers[.chargingReassessmentDue], fields: name)
        case .chcReferral:
            // The NHS identifies the person by their NHS number.
            var fields = name
            if let number = state.person?.details?.nhsNumber { fields["nhsNumber"] = .string(number) }
            self.init(due: nil, fields: fields)
        case .sendPlanCopy:
            // The copy itself: the plan as signed off and the budget's split, for the person and whoever they share it
            // with. `PlanDocument` (CareJourneyKit) renders it as HTML; so does the dashboard's plan page.
            var fields = name
            if let copy = PlanCopy(of: state, at: task.createdAt) {
                fields["recipients"] = .array(copy.recipients.map(JSONValue.string))
                fields["planCopy"] = copy.json
            }
            self.init(due: nil, fields: fields)
        case .safeguardingDecision, .safeguardingEnquiry, .complaintResolution, .writtenNotification,
            .offerCarerAssessment, .transferHandover:
            self.init(due: nil, fields: name)
        case .screenContact, .scheduleAssessment, .reablementCheck, .escalateReablementOverrun, .assessNeeds,
            .decideEligibility, .calculateBudget, .planSupport, .conductReview, .escalateOverdueReview:
            // Practitioners' tasks: they open the case itself, so the task carries no personal data.
            self.init(due: nil, fields: [:])
        }
    }

    /// A brief with these contents; its due day and zone unset.
    public init(due: Date?, fields: [String: JSONValue]) {
        self.due = due
        self.fields = fields
    }

    /// A value as JSON, as event data is written (`Event.encoder`) and read back; `{}` if it cannot be encoded.
    static func json(_ value: some Encodable) -> JSONValue {
        (try? JSONValueEncoder.encode(value)) ?? .object([:])
    }
}
