import CareJourneyCore
import CareJourneyKit
import Foundation
import Synchronization

/// Browsers' sign-ins, in memory: a random session id (the cookie's value, never a token) stands for a principal
/// until it expires, the person signs out, or the service restarts. Each session has a random CSRF token of its
/// own, which every form the session posts must carry.
///
/// Sessions are kept by the SHA-256 of their id, as tokens are. Time is the wall clock (or the one given, in
/// tests), even under `--time-scale`.
final class SessionStore: Sendable {
    /// One signed-in browser.
    struct Session: Sendable, Equatable {
        /// The SHA-256 of the session id: how the session is known without keeping its id.
        let key: String
        let principal: Principal
        /// What the session's forms must carry in their `csrf` field.
        let csrf: String
        let expires: Date
    }

    /// How long a session lasts after signing in.
    let lifetime: Duration
    private let now: @Sendable () -> Date
    private let sessions = Mutex<[String: Session]>([:])
    private let closings = Mutex<[@Sendable (String) -> Void]>([])

    init(lifetime: Duration, now: @escaping @Sendable () -> Date) {
        self.lifetime = lifetime
        self.now = now
    }

    /// Opens a session for `principal` and returns its id (for the cookie); expired sessions are forgotten.
    func open(for principal: Principal) -> String {
        let id = AccessToken.generate()
        let now = now()
        let session = Session(
            key: AccessToken.digest(of: id), principal: principal, csrf: AccessToken.generate(),
            expires: now.addingTimeInterval(Double(lifetime.components.seconds)))
        sessions.withLock { sessions in
            sessions = sessions.filter { $0.value.expires > now }
            sessions[session.key] = session
        }
        return id
    }

    /// The session `id` stands for, unless it has expired or was closed.
    func session(for id: String) -> Session? {
        session(key: AccessToken.digest(of: id))
    }

    /// The session with this key, unless it has expired or was closed.
    func session(key: String) -> Session? {
        let now = now()
        return sessions.withLock { sessions in
            guard let session = sessions[key] else { return nil }
            guard session.expires > now else {
                sessions[key] = nil
                return nil
            }
            return session
        }
    }

    /// Ends the session `id`, and tells those watching (live streams end with it).
    func close(_ id: String) {
        let key = AccessToken.digest(of: id)
        guard sessions.withLock({ $0.removeValue(forKey: key) }) != nil else { return }
        for closing in closings.withLock({ $0 }) { closing(key) }
    }

    /// Calls `closing` with a session's key whenever a session is closed by signing out.
    func onClose(_ closing: @escaping @Sendable (String) -> Void) {
        closings.withLock { $0.append(closing) }
    }
}
