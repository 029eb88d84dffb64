import CareJourneyKit

/// Who is making a request: a person from the token file (by a bearer token, or by the session they signed in
/// to), or, when the service runs without a token file, the local admin that anyone on this machine is.
public struct Principal: Codable, Sendable, Hashable {
    /// Their name, as the audit trail records them (`sw.jones`).
    public let name: String
    public let role: Role
    /// The service runs without a token file: anyone who can reach its loopback address is this admin, and a
    /// command's body may name its own actor.
    public let isLocal: Bool

    /// A person from the token file.
    public init(name: String, role: Role) {
        self.init(name: name, role: role, isLocal: false)
    }

    private init(name: String, role: Role, isLocal: Bool) {
        self.name = name
        self.role = role
        self.isLocal = isLocal
    }

    /// The admin everyone on this machine is when the service runs without a token file.
    public static let local = Principal(name: "local", role: .admin, isLocal: true)

    /// Who a command is recorded as: the signed-in name; without a token file, the body's `actor` if it names one.
    ///
    /// - Throws: `AccessError.actorMismatch` when a signed-in person's body names someone else.
    func actor(stated: String?) throws(AccessError) -> String {
        if isLocal { return stated ?? name }
        if let stated, stated != name {
            throw AccessError(
                .actorMismatch, "you are signed in as \(name), so you cannot act as '\(stated)'",
                hint: "leave 'actor' out of the body: your name is recorded as the actor")
        }
        return name
    }
}
