import CareJourneyCore
import CareJourneyKit

/// Who is looking at a page, and what they may do there: the dashboard shows actions only to those allowed them
/// (the server refuses them to anyone else regardless).
struct Viewer: Sendable, Equatable {
    /// Who it is, when anyone is signed in.
    var principal: Principal? = nil
    /// The sign-in name, recorded as the actor of every action.
    let name: String
    /// The role's name, shown beside it.
    let role: String
    /// May reassign, start a review, retry or cancel a task (practitioner and above).
    let canAct: Bool
    /// May retry or cancel many tasks at once (manager and above).
    let canBulk: Bool
    /// Signed in with a token (so there is a sign-out button).
    let signedIn: Bool

    /// May see who has read a case (manager and above).
    var canSeeAccess: Bool { canBulk }
    /// What every form the page posts must carry (`FormGuard`); `nil` when signed in by a bearer token.
    var csrf: String? = nil
    /// The browser session the page was opened in (its key), whose end ends the page's live stream.
    var session: String? = nil

    /// The hidden field that signs a form posted from this page.
    var csrfField: HTML {
        "<input type=\"hidden\" name=\"csrf\" value=\"\(csrf ?? "")\">"
    }
}

extension Viewer {
    /// Whether the viewer's role may send an event of this name under `policy` (its form or button is shown).
    func may(_ name: EventName, under policy: Policy) -> Bool {
        guard let principal else { return false }
        return principal.role >= policy.minimumRole(of: name)
    }

    /// The viewer a signed-in principal is; nobody, with no rights, when there is none.
    init(_ principal: Principal?) {
        guard let principal else {
            self.init(name: "nobody", role: "signed out", canAct: false, canBulk: false, signedIn: false)
            return
        }
        self.init(
            principal: principal, name: principal.name, role: principal.role.rawValue,
            canAct: principal.role >= .practitioner, canBulk: principal.role >= .manager, signedIn: !principal.isLocal)
    }

    /// The viewer of a request: who signed it, with the CSRF token their forms carry and their session.
    init(_ context: AppRequestContext, access: AccessControl) {
        self.init(context.principal)
        csrf = access.expectedCSRF(context)
        session = context.session?.key
    }
}
