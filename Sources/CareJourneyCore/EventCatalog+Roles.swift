/// Who may send each event: the lowest role, declared once here beside the catalog and read by the API, the
/// dashboard, `docs/events.md` and `openapi.yaml` (a test keeps the last two in step with this table).
///
/// The journey's everyday steps need a practitioner. Decisions that commit public money beyond the plan's own
/// sign-off, end a safeguarding concern or enquiry, close a case for a reason that stops services for good, or
/// govern the record itself (a legal hold, a correction that removes a recorded value) need a manager. A council may raise a minimum in its policy file (`roles:`), never lower one.
extension EventCatalog {
    /// A rule that raises an event's minimum role above the practitioner's, always or when its data says so.
    public struct RoleRule: Sendable {
        public let event: EventName
        public let role: Role
        /// When the rule applies, in words (`nil`: always).
        public let condition: String?
        /// Whether the rule applies to an event of its name.
        let applies: @Sendable (Event) -> Bool

        init(
            _ event: EventName, _ role: Role, when condition: String? = nil,
            applies: @escaping @Sendable (Event) -> Bool = { _ in true }
        ) {
            self.event = event
            self.role = role
            self.condition = condition
            self.applies = applies
        }
    }

    /// Every rule above the practitioner's default, in the order the docs list them.
    public static let roleRules: [RoleRule] = [
        RoleRule(.highCostDecided, .manager),
        // Joint funding and s117 aftercare decide who pays for the person's care, and s117 frees them of charges.
        RoleRule(.jointFundingAgreed, .manager),
        RoleRule(.s117AftercareRecorded, .manager),
        RoleRule(.s117AftercareEnded, .manager),
        RoleRule(.s42Decision, .manager),
        RoleRule(.safeguardingConcluded, .manager),
        RoleRule(.hold, .manager),
        // Giving someone else work is a team manager's call; taking or handing back one's own is anyone's.
        RoleRule(.allocateTask, .manager),
        RoleRule(.releaseHold, .manager),
        RoleRule(.correctRecord, .manager),
        RoleRule(.closeCase, .manager, when: "the reason is deceased or nhs-funded") { event in
            guard case .closeCase(let closing) = event else { return false }
            return closing.reason == .deceased || closing.reason == .nhsFunded
        },
        // A waiver at the council's discretion commits public money; an assessment's outcome is the finance team's.
        RoleRule(.financialAssessmentCompleted, .manager, when: "the exemption is other") { event in
            guard case .financialAssessmentCompleted(let result) = event else { return false }
            return result.exemption == .other
        },
        // The NHS's agreement closes the case as nhs-funded, as close-case for that reason does.
        RoleRule(.chcDecided, .manager, when: "NHS funding is agreed") { event in
            guard case .chcDecided(let decision) = event else { return false }
            return decision.fundingAgreed
        },
    ]

    /// The lowest role that may send `event`, by the catalog alone (before any policy raises it).
    ///
    /// System events (`timer-fired`, `policy-applied`) are sent by the service itself, never through the API;
    /// their minimum is `admin` so that nothing a person sends can stand for them.
    public static func minimumRole(of event: Event) -> Role {
        if event.isSystemEvent { return .admin }
        return roleRules.filter { $0.event == event.name && $0.applies(event) }.map(\.role).max() ?? .practitioner
    }

    /// Who may send an event of this name, in words, as docs/events.md and openapi.yaml list it: `practitioner`,
    /// `manager`, `practitioner; manager when the reason is deceased or nhs-funded`, or `the service only (admin)`.
    public static func roleSummary(of name: EventName) -> String {
        if Event.systemEvents.contains(name) { return "the service only (admin)" }
        let conditional = roleRules.filter { $0.event == name && $0.condition != nil }
            .map { "; \($0.role.rawValue) when \($0.condition ?? "")" }
        return minimumRole(of: name).rawValue + conditional.joined()
    }

    /// The events people send, through the API or a form: every event but the service's own (whose minimum is admin).
    public static var eventsPeopleSend: [EventName] { EventName.allCases.filter { minimumRole(of: $0) < .admin } }

    /// The lowest role that may send an event of this name whatever its data: what a person needs to see its form.
    public static func minimumRole(of name: EventName) -> Role {
        if Event.systemEvents.contains(name) { return .admin }
        return roleRules.filter { $0.event == name && $0.condition == nil }.map(\.role).max() ?? .practitioner
    }
}

extension Policy {
    /// The lowest role that may send `event` under this policy: the catalog's minimum, or the policy's if higher.
    public func minimumRole(of event: Event) -> Role {
        max(EventCatalog.minimumRole(of: event), minimumRoles?[event.name] ?? .metrics)
    }

    /// The lowest role that may send an event of this name (its form shown), under this policy.
    public func minimumRole(of name: EventName) -> Role {
        max(EventCatalog.minimumRole(of: name), minimumRoles?[name] ?? .metrics)
    }
}
