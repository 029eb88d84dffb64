import CareJourneyCore
import CareJourneyStore
import Foundation

/// A command a signed-in person sends on a case, checked and built in one place for the API and the dashboard:
/// the event must be one that people send (not a timer's or a policy change's), and the person's role at least the
/// event's minimum under the council's policy (`Policy.minimumRole(of:)`: the catalog's, raised by the policy).
/// The four-eyes rules are the journey's own (they depend on who did what before) and refuse in the core. A task is
/// allocated only to someone the service knows (`AccessControl.knows`), which the core cannot tell.
enum PersonCommand {
    /// The command for `event`, sent by `principal` as `actor`; `access` says who the service's people are.
    ///
    /// - Throws: `Problem` 422 for a system event or a task allocated to someone the service does not know, 403
    ///   when the role is below the event's minimum (naming both).
    static func make(
        _ event: Event, on caseID: CaseID?, by principal: Principal, actor: String, reason: String?, at: Date,
        policy: Policy, access: AccessControl
    ) throws(Problem) -> Command {
        if event.isSystemEvent {
            throw Problem(
                422, "system-event", "A system event",
                "'\(event.name.rawValue)' is sent by the service itself, not by people", field: "name")
        }
        let needed = policy.minimumRole(of: event)
        guard principal.role >= needed else {
            throw Problem(
                403, "role-too-low", "Your role does not allow this decision",
                "'\(event.name.rawValue)'\(condition(of: event)) needs the \(needed.rawValue) role (docs/events.md); you "
                    + "are signed in as \(principal.name) (\(principal.role.rawValue)): ask someone with the "
                    + "\(needed.rawValue) role to take it",
                field: "name")
        }
        if case .allocateTask(let allocation) = event, !access.knows(allocation.to) {
            throw Problem(
                422, "unknown-person", "No such person",
                access.requiresSignIn
                    ? "'\(allocation.to)' is not in the service's token file, so they could never see the task: "
                        + "allocate it to someone by their sign-in name (like sw.jones), or add them first "
                        + "(`carejourney tokens add FILE NAME --role ROLE`)"
                    : "without a token file the only person is the admin 'local', so a task cannot be allocated to "
                        + "'\(allocation.to)': start the service with --tokens FILE to name people",
                field: "data.to")
        }
        return Command(caseID: caseID, event: event, actor: actor, reason: reason, at: at)
    }

    /// ` for the reason deceased`: the data that raised the minimum, when a rule depends on it.
    private static func condition(of event: Event) -> String {
        guard case .closeCase(let closing) = event else { return "" }
        return " for the reason '\(closing.reason.rawValue)'"
    }
}
