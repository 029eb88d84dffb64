/// Who is looking at a page, and what they may do there: the dashboard shows actions only to those allowed them
/// (the server refuses them to anyone else regardless).
struct Viewer: Sendable, Equatable {
    /// The sign-in name, recorded as the actor of every action.
    let name: String
    /// The role's name, shown beside it.
    let role: String
    /// May reassign, start a review, retry or cancel a task (practitioner and above).
    let canAct: Bool
    /// May retry or cancel many tasks at once (manager and above).
    let canBulk: Bool
    /// Signed in with a token (so there is a sign-out button).
    let signedIn: Bool
}

extension Viewer {
    /// Anyone on this machine when the server runs without tokens (it then listens on loopback only).
    static let local = Viewer(name: "local", role: "admin", canAct: true, canBulk: true, signedIn: false)
}
