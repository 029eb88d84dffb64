import Foundation
import HTTPTypes
import Hummingbird

/// Refuses a form posted by a browser unless it carries the CSRF token of the session that signed it (or, in
/// no-token mode, the service's own), so that another site's page cannot post a form with a signed-in person's
/// cookie. Requests signed by a bearer token need none: no other site can make a browser send one.
///
/// Runs after `AccessMiddleware` (which knows the session); covers every unsafe method outside the JSON API
/// (whose requests must be JSON, which a form on another site cannot send) and `POST /sign-in` (a browser with no
/// session yet, guarded by `RequestGuard`'s origin check). The form's body is read once here and handed on.
struct FormGuard: RouterMiddleware {
    typealias Context = AppRequestContext

    let access: AccessControl

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        guard RequestGuard.unsafeMethods.contains(request.method),
            !RequestGuard.isJSONRoute(request.uri.path), request.uri.path != "/sign-in",
            let expected = access.expectedCSRF(context)
        else { return try await next(request, context) }
        var request = request
        let body = (try? await request.collectBody(upTo: Self.maxForm)).map { String(buffer: $0) } ?? ""
        guard let given = FormData(body).fields["csrf"], Self.same(given, expected) else {
            return SignInPage.expiredForm().response(status: 403)
        }
        return try await next(request, context)
    }

    /// The largest form read (the dashboard's own are far smaller).
    static let maxForm = 64 * 1024

    /// Compares in constant time, so the token cannot be guessed a character at a time.
    static func same(_ given: String, _ expected: String) -> Bool {
        let a = Array(given.utf8)
        let b = Array(expected.utf8)
        guard a.count == b.count else { return false }
        return zip(a, b).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
