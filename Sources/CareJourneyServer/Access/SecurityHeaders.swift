import HTTPTypes
import Hummingbird

/// The headers every answer carries: a strict `Content-Security-Policy` (scripts, styles and images from this
/// service only, nothing inline, no framing, forms only to this service), `X-Content-Type-Options: nosniff`,
/// `Referrer-Policy: no-referrer`, and `Cache-Control: no-store` on everything but the static assets, since pages
/// and JSON hold personal data that no browser or proxy cache may keep.
///
/// The outermost middleware, so that refusals and errors carry them too.
struct SecurityHeaders: RouterMiddleware {
    typealias Context = AppRequestContext

    static var policy: String {
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
            + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as any HTTPResponseError {
            response = try error.response(from: request, context: context)
        }
        response.headers[.contentSecurityPolicy] = Self.policy
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[Self.referrerPolicy] = "no-referrer"
        response.headers[Self.frameOptions] = "DENY"
        if response.headers[.cacheControl] == nil || !Self.isAsset(request.uri.path) {
            response.headers[.cacheControl] = "no-store"
        }
        return response
    }

    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
    static let frameOptions = HTTPField.Name("X-Frame-Options")!

    /// The static assets (stylesheets, script, icon), which hold no personal data and may be cached.
    static func isAsset(_ path: String) -> Bool { path.split(separator: "/").first == "assets" }
}
