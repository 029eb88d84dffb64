import CareJourneyCore
import ZeroMQ

/// Who may do what on the broker, from the policy and the key file. Pure: the routing rules and the ZAP handler
/// ask it.
///
/// - With CURVE (`--curve-keys`), a key listed in the file connects (to the MDP socket, and to the event streams
///   its `subscribe` allows), may serve only the services under its `serve`, and call only those under its `call`.
/// - Without CURVE the broker is on loopback only, and every process on this machine is trusted as the policy's
///   own: it may serve and call the policy's queues, and nothing else.
///
/// Either way a peer can name only a known service (a policy queue, or one the key file lists), so the broker's
/// queues, its metrics and the dashboard never carry a name made up by a peer. People's queues (the policy's
/// `served-by: people`) are no services at all: people work them from the dashboard's worklists, so no worker serves
/// or calls them and the broker neither holds nor loads their tasks.
struct BrokerAdmission: Sendable {
    /// The services there may be queues for: the policy's workers' queues, and those the key file lists (never a
    /// people's queue).
    let services: Set<String>
    private let policyQueues: Set<String>
    private let curve: CurveKeyFile?
    private let byName: [String: CurveKeyFile.Peer]

    /// The sockets a CURVE peer may connect to, each with its own ZAP domain.
    enum Socket: CaseIterable {
        /// The MDP ROUTER socket: workers and clients.
        case mdp
        /// The minimal event stream (`--events`).
        case events
        /// The full event stream (`--events-full`), personal data included.
        case fullEvents

        /// The ZAP domain the socket's connections are authenticated under.
        var zapDomain: String {
            switch self {
            case .mdp: "carejourney"
            case .events: "carejourney.events"
            case .fullEvents: "carejourney.events-full"
            }
        }

        init?(zapDomain: String) {
            guard let socket = Self.allCases.first(where: { $0.zapDomain == zapDomain }) else { return nil }
            self = socket
        }
    }

    /// Admission for the policy's queues (`peopleQueues` among them are left out) and the key file's peers.
    init(policyQueues: Set<String>, peopleQueues: Set<String> = [], curve: CurveKeyFile?) {
        self.policyQueues = policyQueues.subtracting(peopleQueues)
        self.curve = curve
        let peers = curve.map { Array($0.peers.values) } ?? []
        byName = Dictionary(peers.map { ($0.name, $0) }) { first, _ in first }
        services = self.policyQueues.union(peers.flatMap { $0.serve.union($0.call) }).subtracting(peopleQueues)
    }

    /// Admission for `policy`'s queues, its people's queues left out, and the key file's peers.
    init(policy: Policy, curve: CurveKeyFile?) {
        self.init(policyQueues: Set(policy.queues.values), peopleQueues: Set(policy.peopleQueues), curve: curve)
    }

    /// Whether the peer authenticated as `user` (nil without CURVE) may serve `service`.
    func mayServe(_ service: String, user: String?) -> Bool {
        guard services.contains(service) else { return false }
        guard curve != nil else { return policyQueues.contains(service) }
        return user.flatMap { byName[$0] }?.serve.contains(service) == true
    }

    /// Whether the peer authenticated as `user` (nil without CURVE) may call `service` as a client.
    func mayCall(_ service: String, user: String?) -> Bool {
        guard services.contains(service) else { return false }
        guard curve != nil else { return policyQueues.contains(service) }
        return user.flatMap { byName[$0] }?.call.contains(service) == true
    }

    /// The name a CURVE public key (32 bytes) is admitted as on the socket of `zapDomain`, or nil when it is not.
    func admit(publicKey: [UInt8], zapDomain: String) -> String? {
        guard publicKey.count == 32, let socket = Socket(zapDomain: zapDomain),
            let peer = curve?.peers[ZMQCurve.encode(publicKey)]
        else { return nil }
        switch socket {
        case .mdp: return peer.name
        case .events: return peer.subscribe >= .minimal ? peer.name : nil
        case .fullEvents: return peer.subscribe == .full ? peer.name : nil
        }
    }
}
