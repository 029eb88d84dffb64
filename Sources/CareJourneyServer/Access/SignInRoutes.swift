import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// Browsers sign in with a token and get a session: `GET /sign-in` shows the form, `POST /sign-in` checks the
/// token and sets an HttpOnly, SameSite=Strict cookie holding a random session id (never the token; `Secure` and
/// `__Host-` prefixed behind TLS), then sends the browser on to `next` (a path on this service) or `/`;
/// `POST /sign-out` ends the session and its live streams. `RequestGuard` has already refused a form posted from
/// another site (login CSRF).
struct SignInRoutes: Sendable {
    let access: AccessControl

    /// The largest sign-in form accepted.
    static let maxForm = 8192

    /// What the form posts.
    private struct Form: Decodable {
        var token: String?
        var next: String?
    }

    func add(to router: Router<AppRequestContext>) {
        router.get("/sign-in") { request, context in
            let next = Self.localPath(request.uri.queryParameters["next"].map(String.init)) ?? "/"
            guard access.requiresSignIn else { return SignInPage.noSignInNeeded(next: next).response(status: 200) }
            return SignInPage.form(next: next, signedIn: context.principal).response(status: 200)
        }
        router.post("/sign-in") { request, context in await signIn(request, context) }
        router.post("/sign-out") { request, _ in
            if let session = request.cookies[access.cookieName]?.value { access.sessions.close(session) }
            var response = Response.redirect(to: "/sign-in", type: .normal)
            response.setCookie(access.sessionCookie(""))
            return response
        }
    }

    private func signIn(_ request: Request, _ context: AppRequestContext) async -> Response {
        var request = request
        let form: Form
        do {
            let body = try await request.collectBody(upTo: Self.maxForm)
            form = try URLEncodedFormDecoder().decode(Form.self, from: String(buffer: body))
        } catch {
            return SignInPage.form(next: "/", error: "Enter your sign-in token").response(status: 400)
        }
        let next = Self.localPath(form.next) ?? "/"
        guard access.requiresSignIn else { return .redirect(to: next, type: .normal) }
        let token = (form.token ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !token.isEmpty else {
            return SignInPage.form(next: next, error: "Enter your sign-in token").response(status: 401)
        }
        guard let principal = access.principal(forToken: token) else {
            context.logger.notice("sign-in refused: the token is not in the token file")
            return SignInPage.form(
                next: next,
                error: "That token does not sign anyone in. Check you copied all of it, or ask an administrator for a "
                    + "new one"
            ).response(status: 401)
        }
        var response = Response.redirect(to: next, type: .normal)
        response.setCookie(access.sessionCookie(access.sessions.open(for: principal)))
        context.logger.info(
            "signed in", metadata: ["name": .string(principal.name), "role": .string(principal.role.rawValue)])
        return response
    }

    /// `/sign-in?next=…`, to come back to `target` (a path and query on this service) once signed in.
    static func signInPath(returningTo target: String) -> String {
        guard let next = localPath(target), next != "/" else { return "/sign-in" }
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~/")
        return "/sign-in?next=" + (next.addingPercentEncoding(withAllowedCharacters: allowed) ?? "/")
    }

    /// `text` if it is a path on this service (`/cases?state=review`), never another site (`//evil.example`,
    /// `/\evil.example`, `https://…`); `nil` otherwise.
    static func localPath(_ text: String?) -> String? {
        guard let text, text.hasPrefix("/"), text.count <= 2000,
            !text.dropFirst().hasPrefix("/"), !text.contains("\\"),
            !text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control || $0 == " " })
        else { return nil }
        return text
    }
}
