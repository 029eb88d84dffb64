import CareJourneyCore
import CareJourneyKit
import Hummingbird

/// The context every route of the server runs in: Hummingbird's own, and who is asking.
///
/// `AccessMiddleware` sets `principal` before any route runs and has already refused a request whose role is below
/// what its route needs (`RouteAccess`); a route that needs more calls `require(_:)`:
///
/// ```swift
/// router.get("/api/cases/:id/views") { request, context in
///     let manager = try context.require(.manager)
///     …
/// }
/// ```
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Who is asking; `nil` only on the routes that need no sign-in (`/healthz`, `/sign-in`, `/assets/…`) when the
    /// request carries no valid token or session.
    public var principal: Principal?
    /// The browser session the request came in, when it was signed by a session cookie (not a bearer token).
    var session: SessionStore.Session?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        principal = nil
        session = nil
    }

    /// The signed-in principal, if their role is `role` or above.
    ///
    /// - Throws: `AccessError` (`unauthenticated`, or `forbidden` naming the role needed and theirs), which
    ///   `AccessMiddleware` answers: 401 or 403 `application/problem+json` for the API, a sign-in redirect or a
    ///   403 page for a browser.
    @discardableResult
    public func require(_ role: Role) throws(AccessError) -> Principal {
        guard let principal else {
            throw AccessError(
                .unauthenticated, "this needs you to sign in",
                hint: "send `Authorization: Bearer TOKEN`, or sign in at /sign-in; an admin gives out tokens with "
                    + "`carejourney tokens add FILE NAME --role ROLE`")
        }
        guard principal.role >= role else {
            throw AccessError(
                .forbidden,
                "this needs the \(role.rawValue) role; you are signed in as \(principal.name) (\(principal.role.rawValue))",
                hint: "ask an admin for a token with the \(role.rawValue) role")
        }
        return principal
    }
}
