import CareJourneyClock
import CareJourneyCore
import CareJourneyKit
import Foundation
import HTTPTypes
import Hummingbird

/// Who may use the service: the people in a token file, each by the SHA-256 of their token, and the browser
/// sessions they have signed in to; or, without a token file, this machine's own browser and tools as the local
/// admin (no-token mode, for one person on their own machine).
public final class AccessControl: Sendable {
    /// People by the SHA-256 of their token; `nil` without a token file.
    private let people: [String: Principal]?
    /// The sign-in names of the token file's people: those a task may be allocated to.
    private let names: Set<String>
    /// Browsers' sign-ins.
    let sessions: SessionStore
    /// Where people reach the service (`--public-url`), when a proxy stands in front: its origin is the only one
    /// whose pages may send unsafe requests, and an `https` URL makes the session cookie `Secure` and
    /// `__Host-`-prefixed.
    let publicURL: URL?
    /// The CSRF token of no-token mode's forms (there is no session to hold one): random for each run.
    let localCSRF = AccessToken.generate()

    /// Access for the people in `tokens`, or for the local admin when there is no token file.
    ///
    /// - Parameters:
    ///   - publicURL: the address people use, when a TLS proxy stands in front (`https://carejourney.council…`).
    ///   - sessionLifetime: how long a browser stays signed in.
    ///   - now: the wall clock, for sessions' expiry.
    public init(
        tokens: TokenFile?, publicURL: URL? = nil, sessionLifetime: Duration = .seconds(8 * 3600),
        now: @escaping @Sendable () -> Date = { WallClock().now() }
    ) {
        people = tokens.map { file in
            Dictionary(
                file.entries.map { ($0.sha256, Principal(name: $0.name, role: $0.role, team: $0.team)) },
                uniquingKeysWith: { first, _ in first })
        }
        names = Set(tokens?.entries.map(\.name) ?? [Principal.local.name])
        self.publicURL = publicURL
        sessions = SessionStore(lifetime: sessionLifetime, now: now)
    }

    /// Whether `name` is someone this service knows: a person in the token file, or, without one, the local admin
    /// (the only person there is then). Work is allocated only to people who can sign in to see it.
    public func knows(_ name: String) -> Bool { names.contains(name) }

    /// Whether requests must carry a token or a session (there is a token file).
    public var requiresSignIn: Bool { people != nil }

    /// Whether the session cookie is sent over TLS only (the public URL is `https`).
    var secureCookies: Bool { publicURL?.scheme?.lowercased() == "https" }

    /// The session cookie's name: `__Host-` prefixed when it is `Secure`, so that no other site or path can set it.
    var cookieName: String { secureCookies ? "__Host-carejourney_session" : "carejourney_session" }

    /// The session cookie holding `value`; an empty value that expires at once makes the browser forget it.
    func sessionCookie(_ value: String) -> Cookie {
        Cookie(
            name: cookieName, value: value, maxAge: value.isEmpty ? 0 : Int(sessions.lifetime.components.seconds),
            path: "/", secure: secureCookies, httpOnly: true, sameSite: .strict)
    }

    /// The origins whose pages may send this service unsafe requests: the public URL's, or, without one, this
    /// service's own address as the request names it (`http://` or `https://` and its `Host`).
    func ownOrigins(of request: Request) -> [String] {
        if let publicURL, let scheme = publicURL.scheme, let host = publicURL.host {
            return [scheme.lowercased() + "://" + host.lowercased() + (publicURL.port.map { ":\($0)" } ?? "")]
        }
        guard let authority = request.head.authority?.lowercased() else { return [] }
        return ["http://\(authority)", "https://\(authority)"]
    }

    /// The person in the token file whose token this is, if any.
    func principal(forToken token: String) -> Principal? {
        people?[AccessToken.digest(of: token)]
    }

    /// Who made a request, and the browser session they made it in (when they signed in with a cookie).
    struct Identity: Sendable {
        let principal: Principal
        let session: SessionStore.Session?
    }

    /// Who made `request`: from its bearer token, else its session cookie; without a token file, the local admin.
    /// `nil` when it carries neither.
    ///
    /// - Throws: `AccessError.invalidCredentials` for a token that is not in the file (or not a bearer token) and
    ///   for a session that has ended.
    func identify(_ request: Request) throws(AccessError) -> Identity? {
        guard people != nil else { return Identity(principal: .local, session: nil) }
        if let authorization = request.headers[.authorization] {
            let parts = authorization.split(separator: " ", maxSplits: 1)
            guard parts.count == 2, parts[0].lowercased() == "bearer",
                let principal = principal(forToken: parts[1].trimmingCharacters(in: .whitespaces))
            else {
                throw AccessError(
                    .invalidCredentials, "this token does not sign anyone in",
                    hint: "send `Authorization: Bearer TOKEN` with the whole token you were given; if it was "
                        + "removed or lost, ask an admin for a new one")
            }
            return Identity(principal: principal, session: nil)
        }
        guard let id = request.cookies[cookieName]?.value, !id.isEmpty else { return nil }
        guard let session = sessions.session(for: id) else {
            throw AccessError(.invalidCredentials, "your session has ended", hint: "sign in again at /sign-in")
        }
        return Identity(principal: session.principal, session: session)
    }

    /// What a form posted by this request must carry in its `csrf` field: its session's token, or no-token mode's;
    /// `nil` when the request is signed by a bearer token (not a browser's cookie, so no other site can forge it).
    func expectedCSRF(_ context: AppRequestContext) -> String? {
        if let session = context.session { return session.csrf }
        return requiresSignIn ? nil : localCSRF
    }
}
