import CareJourneyKit
import Foundation
import HTTPTypes
import Hummingbird

/// Identifies every request and refuses it unless its principal's role allows its route (`RouteAccess`), before
/// any route runs; answers the `AccessError`s routes throw from `AppRequestContext.require(_:)` the same way.
///
/// The API gets 401 (with `WWW-Authenticate: Bearer`) or 403 `application/problem+json`; a browser asking for a
/// page is sent to `/sign-in?next=…` or shown a page saying which role it needs. Tokens and cookies are never
/// logged.
struct AccessMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    let access: AccessControl

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        var context = context
        do {
            let identity: AccessControl.Identity?
            if let needed = RouteAccess.role(for: request.method, path: request.uri.path) {
                identity = try access.identify(request)
                context.principal = identity?.principal
                context.session = identity?.session
                try context.require(needed)
            } else {
                // Open routes: a stale cookie or a wrong token is no reason to refuse /healthz or /sign-in.
                identity = try? access.identify(request)
                context.principal = identity?.principal
                context.session = identity?.session
            }
            return try await next(request, context)
        } catch let error as AccessError {
            return refusal(error, to: request, csrf: access.expectedCSRF(context))
        }
    }

    /// The answer to a request refused for `error`; `csrf` goes in the sign-out form of a refusal page.
    func refusal(_ error: AccessError, to request: Request, csrf: String?) -> Response {
        let page = RouteAccess.answersWithPage(request)
        var response: Response
        switch (error.needsSignIn, page) {
        case (true, true):
            response = .redirect(to: SignInRoutes.signInPath(returningTo: request.uri.description), type: .normal)
        case (true, false):
            response = Problem(error).response
            response.headers[.wwwAuthenticate] =
                "Bearer realm=\"CareJourney\"" + (error.code == .invalidCredentials ? ", error=\"invalid_token\"" : "")
        case (false, true):
            response = SignInPage.refused(error, csrf: csrf).response(status: 403)
        case (false, false):
            response = Problem(error).response
        }
        // A session that has ended: the browser may forget its cookie.
        if error.code == .invalidCredentials && request.headers[.authorization] == nil
            && request.cookies[access.cookieName] != nil
        {
            response.setCookie(access.sessionCookie(""))
        }
        return response
    }
}
