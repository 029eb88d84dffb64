import CareJourneyKit
import Foundation
import HTTPTypes
import Hummingbird

/// Who may use the service: the people in a token file, each by the SHA-256 of their token, and the browser
/// sessions they have signed in to; or, without a token file, everyone on this machine as the local admin.
public final class AccessControl: Sendable {
    /// People by the SHA-256 of their token; `nil` without a token file.
    private let people: [String: Principal]?
    /// Browsers' sign-ins.
    let sessions: SessionStore

    /// The session cookie's name.
    static let cookie = "carejourney_session"

    /// Access for the people in `tokens`, or for the local admin when there is no token file.
    ///
    /// - Parameters:
    ///   - sessionLifetime: how long a browser stays signed in.
    ///   - now: the wall clock, for sessions' expiry.
    public init(
        tokens: TokenFile?, sessionLifetime: Duration = .seconds(8 * 3600),
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        people = tokens.map { file in
            Dictionary(
                file.entries.map { ($0.sha256, Principal(name: $0.name, role: $0.role)) },
                uniquingKeysWith: { first, _ in first })
        }
        sessions = SessionStore(lifetime: sessionLifetime, now: now)
    }

    /// Whether requests must carry a token or a session (there is a token file).
    public var requiresSignIn: Bool { people != nil }

    /// The person in the token file whose token this is, if any.
    func principal(forToken token: String) -> Principal? {
        people?[AccessToken.digest(of: token)]
    }

    /// Who made `request`: from its bearer token, else its session cookie; without a token file, the local admin.
    /// `nil` when it carries neither.
    ///
    /// - Throws: `AccessError.invalidCredentials` for a token that is not in the file (or not a bearer token) and
    ///   for a session that has ended.
    func identify(_ request: Request) throws(AccessError) -> Principal? {
        guard people != nil else { return .local }
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
            return principal
        }
        guard let session = request.cookies[Self.cookie]?.value, !session.isEmpty else { return nil }
        guard let principal = sessions.principal(for: session) else {
            throw AccessError(.invalidCredentials, "your session has ended", hint: "sign in again at /sign-in")
        }
        return principal
    }
}
