import CareJourneyKit
import Foundation
import Synchronization

/// Browsers' sign-ins, in memory: a random session id (the cookie's value, never a token) stands for a principal
/// until it expires, the person signs out, or the service restarts.
///
/// Sessions are kept by the SHA-256 of their id, as tokens are. Time is the wall clock (or the one given, in
/// tests), even under `--time-scale`.
final class SessionStore: Sendable {
    private struct Session {
        let principal: Principal
        let expires: Date
    }

    /// How long a session lasts after signing in.
    let lifetime: Duration
    private let now: @Sendable () -> Date
    private let sessions = Mutex<[String: Session]>([:])

    init(lifetime: Duration, now: @escaping @Sendable () -> Date) {
        self.lifetime = lifetime
        self.now = now
    }

    /// Opens a session for `principal` and returns its id; sessions that have expired are forgotten.
    func open(for principal: Principal) -> String {
        let id = AccessToken.generate()
        let now = now()
        let expires = now.addingTimeInterval(Double(lifetime.components.seconds))
        sessions.withLock { sessions in
            sessions = sessions.filter { $0.value.expires > now }
            sessions[AccessToken.digest(of: id)] = Session(principal: principal, expires: expires)
        }
        return id
    }

    /// The principal the session `id` stands for, unless it has expired or was closed.
    func principal(for id: String) -> Principal? {
        let now = now()
        return sessions.withLock { sessions in
            let key = AccessToken.digest(of: id)
            guard let session = sessions[key] else { return nil }
            guard session.expires > now else {
                sessions[key] = nil
                return nil
            }
            return session.principal
        }
    }

    /// Ends the session `id`.
    func close(_ id: String) {
        _ = sessions.withLock { $0.removeValue(forKey: AccessToken.digest(of: id)) }
    }
}
