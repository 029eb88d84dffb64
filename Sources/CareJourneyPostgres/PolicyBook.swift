import CareJourneyCore
import CareJourneyStore
import Foundation
import Logging
import PostgresNIO
import Synchronization

/// The policies a store's events were applied under, by fingerprint, each read from `policies` once: what
/// replaying another node's events needs.
final class PolicyBook: Sendable {
    private let known = Mutex<[String: Policy]>([:])
    private let logger: Logger

    init(logger: Logger) {
        self.logger = logger
    }

    /// The policy `fingerprint` names.
    ///
    /// - Throws: `StoreError.corrupt` when the store lacks it; what PostgreSQL says.
    func policy(_ fingerprint: String, on connection: PostgresConnection) async throws -> Policy {
        if let policy = known.withLock({ $0[fingerprint] }) { return policy }
        var body: String?
        for try await text in try await connection.query(
            "SELECT body FROM policies WHERE fingerprint = \(fingerprint)", logger: logger
        ).decode(String.self) {
            body = text
        }
        guard let body else {
            throw StoreError(.corrupt, "the store holds events applied under policy \(fingerprint), but not the policy")
        }
        let policy = try StateCodec.decode(Policy.self, Data(body.utf8), what: "policy \(fingerprint)")
        known.withLock { $0[fingerprint] = policy }
        return policy
    }
}
