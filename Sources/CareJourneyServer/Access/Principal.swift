import CareJourneyCore
import CareJourneyKit

/// Who is making a request: a person from the token file (by a bearer token, or by the session they signed in
/// to), or, when the service runs without a token file, the local admin that anyone on this machine is.
public struct Principal: Codable, Sendable, Hashable {
    /// Their name, as the audit trail records them (`sw.jones`).
    public let name: String
    public let role: Role
    /// The team they work in, from the token file; `nil` for none (and for the local admin).
    public let team: String?
    /// The service runs without a token file: anyone who can reach its loopback address is this admin.
    public let isLocal: Bool

    /// A person from the token file.
    public init(name: String, role: Role, team: String? = nil) {
        self.init(name: name, role: role, team: team, isLocal: false)
    }

    private init(name: String, role: Role, team: String?, isLocal: Bool) {
        self.name = name
        self.role = role
        self.team = team
        self.isLocal = isLocal
    }

    /// The admin everyone on this machine is when the service runs without a token file.
    public static let local = Principal(name: "local", role: .admin, team: nil, isLocal: true)

    /// Who a command is recorded as: the signed-in name, or `local` in no-token mode. A body may repeat that name
    /// in `actor`, never name anyone else: the audit trail records who really acted.
    ///
    /// - Throws: `AccessError.actorMismatch` when the body names someone else.
    func actor(stated: String?) throws(AccessError) -> String {
        if let stated, stated != name {
            throw AccessError(
                .actorMismatch,
                isLocal
                    ? "without a token file everyone is the admin 'local', so a request cannot act as '\(stated)'"
                    : "you are signed in as \(name), so you cannot act as '\(stated)'",
                hint: isLocal
                    ? "leave 'actor' out of the body; to record people by name, give them tokens "
                        + "(`carejourney tokens add FILE NAME --role ROLE`) and start the service with --tokens FILE"
                    : "leave 'actor' out of the body: your name is recorded as the actor")
        }
        return name
    }
}
