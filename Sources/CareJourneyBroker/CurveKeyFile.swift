import Foundation
import Yams
import ZeroMQ

/// The broker's CURVE keys and the peers it admits: each listed public key, by name, may serve only the
/// services listed for it (and call any service as a client).
///
/// ```yaml
/// server:
///   public: "<40 Z85 characters>"
///   secret: "<40 Z85 characters>"
/// peers:
///   brokerage-1:
///     public: "<40 Z85 characters>"
///     services: [brokerage]
/// ```
public struct CurveKeyFile: Sendable, Equatable {
    public var serverPublicKey: String
    public var serverSecretKey: String
    /// Admitted peers by their public key (Z85).
    public var peers: [String: Peer]

    public struct Peer: Sendable, Equatable {
        public var name: String
        public var services: Set<String>
    }

    public init(serverPublicKey: String, serverSecretKey: String, peers: [String: Peer]) {
        self.serverPublicKey = serverPublicKey
        self.serverSecretKey = serverSecretKey
        self.peers = peers
    }

    /// A problem with the file: where and how to fix it.
    public struct Problem: Error, CustomStringConvertible {
        public let description: String
    }

    /// Reads and checks a key file.
    public static func load(_ path: String) throws(Problem) -> CurveKeyFile {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw Problem(description: "\(path): cannot read the CURVE key file\n  hint: check the path")
        }
        let yaml: Any?
        do { yaml = try Yams.load(yaml: text) } catch {
            throw Problem(description: "\(path): not YAML: \(error)")
        }
        guard let root = yaml as? [String: Any], let server = root["server"] as? [String: Any],
            let secret = server["secret"] as? String
        else {
            throw Problem(
                description: "\(path): needs 'server:' with 'secret:' (and 'public:')\n  hint: see docs/tasks.md")
        }
        guard ZMQCurve.decode(secret) != nil, let derived = try? ZMQCurve.publicKey(forSecret: secret) else {
            throw Problem(description: "\(path): server.secret is not a 40-character Z85 CURVE key")
        }
        if let stated = server["public"] as? String, stated != derived {
            throw Problem(description: "\(path): server.public does not belong to server.secret")
        }
        var peers: [String: Peer] = [:]
        for (name, value) in (root["peers"] as? [String: Any]) ?? [:] {
            guard let entry = value as? [String: Any], let key = entry["public"] as? String,
                ZMQCurve.decode(key) != nil
            else {
                throw Problem(description: "\(path): peers.\(name).public must be a 40-character Z85 CURVE key")
            }
            let services = (entry["services"] as? [String]) ?? []
            peers[key] = Peer(name: name, services: Set(services))
        }
        return CurveKeyFile(serverPublicKey: derived, serverSecretKey: secret, peers: peers)
    }

    /// A new key file: a fresh server key pair and no peers yet.
    public static func generate() throws(Problem) -> CurveKeyFile {
        guard let pair = try? ZMQCurve.keyPair() else {
            throw Problem(description: "libzmq could not make a CURVE key pair")
        }
        return CurveKeyFile(serverPublicKey: pair.publicKey, serverSecretKey: pair.secretKey, peers: [:])
    }

    /// Admits a new peer named `name` for `services`: returns its key pair (Z85), whose secret goes to the peer
    /// only, never into this file.
    public mutating func admit(_ name: String, services: [String]) throws(Problem) -> (
        publicKey: String, secretKey: String
    ) {
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." })
        else { throw Problem(description: "a peer's name takes letters, digits, '-', '_' and '.': '\(name)' does not") }
        guard !peers.values.contains(where: { $0.name == name }) else {
            throw Problem(description: "a peer named '\(name)' is already admitted\n  hint: choose another name")
        }
        guard let pair = try? ZMQCurve.keyPair() else {
            throw Problem(description: "libzmq could not make a CURVE key pair")
        }
        peers[pair.publicKey] = Peer(name: name, services: Set(services))
        return pair
    }

    /// The file's text (YAML), peers in name order.
    public var text: String {
        var lines = [
            "# CareJourney broker CURVE keys: keep this file readable by the service account only.", "server:",
        ]
        lines.append("  public: \"\(serverPublicKey)\"")
        lines.append("  secret: \"\(serverSecretKey)\"")
        lines.append(peers.isEmpty ? "peers: {}" : "peers:")
        for (key, peer) in peers.sorted(by: { $0.value.name < $1.value.name }) {
            lines.append("  \(peer.name):")
            lines.append("    public: \"\(key)\"")
            lines.append("    services: [\(peer.services.sorted().joined(separator: ", "))]")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
