import CareJourneyFiles
import CareJourneyKit
import Foundation
import ZeroMQ

/// The broker's CURVE keys and the peers it admits: each listed public key, by name, may serve the services listed
/// under `serve`, call as an MDP client the services listed under `call`, and read the event stream its `subscribe`
/// allows (`none`, `minimal`: case, event, time, stage and task ids, the default; or `full`: every event's data).
///
/// ```yaml
/// server:
///   public: "<40 Z85 characters>"
///   secret: "<40 Z85 characters>"
/// peers:
///   brokerage-1:
///     public: "<40 Z85 characters>"
///     serve: [brokerage]
///     call: []
///     subscribe: minimal
/// ```
///
/// The file holds the broker's secret key: it is refused when others may read or change it. Written by
/// `carejourney keys init` and `keys admit`, readable and writable by its owner only.
public struct CurveKeyFile: Sendable, Equatable {
    /// The file, as the user named it (for messages).
    public let path: String
    public var serverPublicKey: String
    public var serverSecretKey: String
    /// Admitted peers by their public key (Z85).
    public var peers: [String: Peer]

    /// One admitted key: what it may do.
    public struct Peer: Sendable, Equatable {
        /// Who it is, as logs, the dashboard and the audit trail (`worker NAME`) show it.
        public var name: String
        /// Services it may serve (READY) as a worker.
        public var serve: Set<String>
        /// Services it may call (REQUEST) as a client.
        public var call: Set<String>
        /// The event stream it may subscribe to.
        public var subscribe: EventAccess

        public init(name: String, serve: Set<String> = [], call: Set<String> = [], subscribe: EventAccess = .minimal) {
            self.name = name
            self.serve = serve
            self.call = call
            self.subscribe = subscribe
        }
    }

    /// Which published events a key may read.
    public enum EventAccess: String, Sendable, Equatable, CaseIterable, Comparable {
        /// Neither stream.
        case none
        /// The minimal stream (`--events`): case id, event name, time, stage, task ids; no personal data.
        case minimal
        /// Both streams; the full one (`--events-full`) carries every event's data, personal data included.
        case full

        public static func < (lhs: EventAccess, rhs: EventAccess) -> Bool {
            allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
        }
    }

    public init(path: String, serverPublicKey: String, serverSecretKey: String, peers: [String: Peer]) {
        self.path = path
        self.serverPublicKey = serverPublicKey
        self.serverSecretKey = serverSecretKey
        self.peers = peers
    }

    /// Reads and checks a key file.
    ///
    /// - Throws: `FileError` naming the file, line and key: unreadable, readable or writable by others
    ///   (`insecure`), not YAML, an unknown key, a bad key or name, or the old format (`services:`, from before
    ///   clients were admitted service by service), with how to fix it.
    public static func load(_ path: String) throws(FileError) -> CurveKeyFile {
        let text = try OwnerOnlyFile.readSecret(
            path, what: "CURVE key file", secret: "the broker's secret key",
            hint: "check the path; make the file with `carejourney keys init \(path)`")
        let root = try YAMLValue.document(text, file: path).mapping(allowed: ["server", "peers"])
        let server = try root.required("server").mapping(allowed: ["public", "secret"])
        let secretValue = try server.required("secret")
        let secret = try secretValue.string()
        guard ZMQCurve.decode(secret) != nil, let derived = try? ZMQCurve.publicKey(forSecret: secret) else {
            throw secretValue.error(.badValue, "this is not a 40-character Z85 CURVE secret key")
        }
        if let stated = server.optional("public"), try stated.string() != derived {
            throw stated.error(
                .inconsistent, "this public key does not belong to server.secret",
                hint: "remove server.public (it is derived from the secret), or restore the file from its backup")
        }
        var file = CurveKeyFile(path: path, serverPublicKey: derived, serverSecretKey: secret, peers: [:])
        for (name, key, value) in try root.optional("peers")?.namedEntries() ?? [] {
            if let problem = problem(naming: name) { throw key.error(.badValue, problem) }
            if file.peers.values.contains(where: { $0.name == name }) {
                throw key.error(.inconsistent, "a peer named '\(name)' is listed twice", hint: "keep one of them")
            }
            // The old format is named as such, rather than as an unknown key.
            let withOld = try value.mapping(allowed: ["public", "services", "serve", "call", "subscribe"])
            if let old = withOld.optional("services") {
                throw old.error(
                    .badValue,
                    "'services:' is the old format, in which every admitted key could call any service as a client",
                    hint: "rename 'services:' to 'serve:' (what it may serve), and list under 'call:' the services "
                        + "it may call as a client ('call: []' if it only serves); see docs/tasks.md#security")
            }
            let fields = try value.mapping(allowed: ["public", "serve", "call", "subscribe"])
            let publicValue = try fields.required("public")
            let publicKey = try publicValue.string()
            guard ZMQCurve.decode(publicKey) != nil else {
                throw publicValue.error(.badValue, "this is not a 40-character Z85 CURVE public key")
            }
            if let other = file.peers[publicKey] {
                throw publicValue.error(
                    .inconsistent, "\(name) has the same key as \(other.name)", hint: "remove one of them")
            }
            var peer = Peer(name: name)
            peer.serve = try services(fields.optional("serve"))
            peer.call = try services(fields.optional("call"))
            if let subscribe = fields.optional("subscribe") {
                let word = try subscribe.string()
                guard let access = EventAccess(rawValue: word) else {
                    throw subscribe.error(
                        .badValue, "'\(word)' is not an event stream",
                        hint: "use none, minimal or full (full includes personal data)")
                }
                peer.subscribe = access
            }
            file.peers[publicKey] = peer
        }
        return file
    }

    /// A list of service names, each checked.
    private static func services(_ value: YAMLValue?) throws(FileError) -> Set<String> {
        var names: Set<String> = []
        for item in try value?.sequence() ?? [] {
            let name = try item.string()
            if let problem = problem(serving: name) { throw item.error(.badValue, problem) }
            names.insert(name)
        }
        return names
    }

    /// Why `name` cannot name a peer, if it cannot.
    private static func problem(naming name: String) -> String? {
        isName(name) ? nil : "a peer's name takes letters, digits, '-', '_' and '.': '\(name)' does not"
    }

    /// Why `service` cannot be listed, if it cannot.
    private static func problem(serving service: String) -> String? {
        if !isName(service) { return "a service's name takes letters, digits, '-', '_' and '.': '\(service)' does not" }
        if service.hasPrefix("mmi.") { return "'\(service)' is a management service, which the broker answers" }
        return nil
    }

    private static func isName(_ text: String) -> Bool {
        !text.isEmpty && text.count <= 64
            && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }
    }

    /// A new key file for `path`: a fresh server key pair and no peers yet.
    ///
    /// - Throws: `ZMQError` when libzmq cannot make a key pair (it was built without CURVE).
    public static func generate(path: String) throws -> CurveKeyFile {
        let pair = try ZMQCurve.keyPair()
        return CurveKeyFile(path: path, serverPublicKey: pair.publicKey, serverSecretKey: pair.secretKey, peers: [:])
    }

    /// Admits a new peer named `name`: returns its key pair (Z85), whose secret goes to the peer only, never into
    /// this file.
    ///
    /// - Parameters:
    ///   - serve: services it may serve as a worker.
    ///   - call: services it may call as a client.
    ///   - subscribe: the event stream it may read.
    /// - Throws: `FileError` for a bad or taken name or a bad service name; `ZMQError` when libzmq cannot make a
    ///   key pair.
    public mutating func admit(
        _ name: String, serve: [String] = [], call: [String] = [], subscribe: EventAccess = .minimal
    ) throws -> (publicKey: String, secretKey: String) {
        if let problem = Self.problem(naming: name) { throw FileError(.badValue, problem, file: path) }
        guard !peers.values.contains(where: { $0.name == name }) else {
            throw FileError(
                .inconsistent, "a peer named '\(name)' is already admitted", file: path, key: "peers.\(name)",
                hint: "choose another name")
        }
        for service in serve + call {
            if let problem = Self.problem(serving: service) { throw FileError(.badValue, problem, file: path) }
        }
        let pair = try ZMQCurve.keyPair()
        peers[pair.publicKey] = Peer(name: name, serve: Set(serve), call: Set(call), subscribe: subscribe)
        return pair
    }

    /// The file's text (YAML), peers in name order.
    public var text: String {
        var lines = [
            "# CareJourney broker CURVE keys: keep this file readable by the service account only (the broker refuses",
            "# it otherwise). Each peer may serve the services under serve, call those under call as an MDP client,",
            "# and read the event stream named by subscribe: none, minimal (no personal data) or full.",
            "server:",
            "  public: \"\(serverPublicKey)\"",
            "  secret: \"\(serverSecretKey)\"",
            peers.isEmpty ? "peers: {}" : "peers:",
        ]
        for (key, peer) in peers.sorted(by: { $0.value.name < $1.value.name }) {
            lines.append("  \(peer.name):")
            lines.append("    public: \"\(key)\"")
            lines.append("    serve: [\(peer.serve.sorted().joined(separator: ", "))]")
            lines.append("    call: [\(peer.call.sorted().joined(separator: ", "))]")
            lines.append("    subscribe: \(peer.subscribe.rawValue)")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
