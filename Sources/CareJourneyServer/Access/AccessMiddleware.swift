import CareJourneyKit
import Foundation
import HTTPTypes
import Hummingbird

/// Identifies every request and refuses it unless its principal's role allows its route (`RouteAccess`), before
/// any route runs; answers the `AccessError`s routes throw from `AppRequestContext.require(_:)` the same way.
///
/// The API gets 401 (with `WWW-Authenticate: Bearer`) or 403 `application/problem+json`, thrown as a `Problem` as a
/// route throws one; a browser asking for a page is sent to `/sign-in?next=…` or shown a page saying which role it needs. Tokens and cookies are never
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
            return try refusal(error, to: request, csrf: access.expectedCSRF(context))
        }
    }

    /// The answer to a request refused for `error`. The API's is a thrown `Problem` (401 with `WWW-Authenticate`, or
    /// 403), answered as a route's are; a page's is a redirect to sign in, or a page saying which role it needs (its
    /// sign-out form carries `csrf`).
    func refusal(_ error: AccessError, to request: Request, csrf: String?) throws(Problem) -> Response {
        var headers: HTTPFields = [:]
        // A session that has ended: the browser may forget its cookie.
        if error.code == .invalidCredentials && request.headers[.authorization] == nil
            && request.cookies[access.cookieName] != nil
        {
            headers[.setCookie] = access.sessionCookie("").description
        }
        guard RouteAccess.answersWithPage(request) else {
            var problem = Problem(error)
            problem.headers.append(contentsOf: headers)
            throw problem
        }
        var response =
            error.needsSignIn
            ? Response.redirect(to: SignInRoutes.signInPath(returningTo: request.uri.description), type: .normal)
            : SignInPage.refused(error, csrf: csrf).response(status: 403)
        response.headers.append(contentsOf: headers)
        return response
    }
}
