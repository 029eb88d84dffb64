/// The Majordomo Protocol as it appears on the wire: MDP/0.1 (ZeroMQ RFC 7) and MDP/0.2 (RFC 18), told apart by
/// the protocol header of each message, and the Majordomo Management Interface (RFC 8).
///
/// Pure: frames in, typed messages out (or the reason they are malformed), and typed messages to frames. The
/// broker's ROUTER socket adds the peer's identity as the first frame; the functions here take and give the
/// frames after it.
public enum MDP {
    /// A protocol version.
    public enum Version: Sendable, Hashable, CustomStringConvertible {
        case v01, v02

        /// The header a client sends (`MDPC01`, `MDPC02`).
        public var clientHeader: [UInt8] { self == .v01 ? Self.headers.c01 : Self.headers.c02 }
        /// The header a worker sends (`MDPW01`, `MDPW02`).
        public var workerHeader: [UInt8] { self == .v01 ? Self.headers.w01 : Self.headers.w02 }

        /// The headers, made once: every message is read and written against them.
        private static let headers = (
            c01: Array("MDPC01".utf8), c02: Array("MDPC02".utf8), w01: Array("MDPW01".utf8),
            w02: Array("MDPW02".utf8)
        )

        public var description: String { self == .v01 ? "MDP/0.1" : "MDP/0.2" }

        /// What comes before the header: MDP/0.1 starts every message with an empty frame; MDP/0.2 does not.
        var start: [[UInt8]] { self == .v01 ? Self.emptyFrame : [] }
        private static let emptyFrame: [[UInt8]] = [[]]
    }

    /// Worker commands, with each version's code.
    public enum WorkerCommand: Sendable, Hashable {
        case ready, request, partial, final, heartbeat, disconnect

        func code(_ version: Version) -> UInt8 {
            switch (self, version) {
            case (.ready, _): 0x01
            case (.request, _): 0x02
            case (.final, .v01): 0x03  // REPLY in 0.1
            case (.partial, _): 0x03  // 0.2 only
            case (.final, .v02): 0x04
            case (.heartbeat, .v01): 0x04
            case (.heartbeat, .v02): 0x05
            case (.disconnect, .v01): 0x05
            case (.disconnect, .v02): 0x06
            }
        }

        static func from(_ code: UInt8, _ version: Version) -> WorkerCommand? {
            switch (code, version) {
            case (0x01, _): .ready
            case (0x02, _): .request
            case (0x03, .v01): .final
            case (0x03, .v02): .partial
            case (0x04, .v01): .heartbeat
            case (0x04, .v02): .final
            case (0x05, .v01): .disconnect
            case (0x05, .v02): .heartbeat
            case (0x06, .v02): .disconnect
            default: nil
            }
        }
    }

    /// Client command codes of MDP/0.2 (0.1 has none: a client message is always a request or a reply).
    public enum ClientCommand: UInt8, Sendable {
        case request = 0x01, partial = 0x02, final = 0x03
    }

    /// A message a peer sent the broker.
    public enum Inbound: Sendable, Equatable {
        /// A client asks `service` to handle `body`.
        case request(version: Version, service: String, body: [[UInt8]])
        /// A worker offers to serve `service`.
        case ready(version: Version, service: String)
        /// A worker's reply to the client at `client`: partial (0.2) or final.
        case reply(version: Version, client: [UInt8], body: [[UInt8]], final: Bool)
        case heartbeat(version: Version)
        case disconnect(version: Version)
    }

    /// Why a message was dropped: for the log line.
    public struct Malformed: Error, Sendable, Equatable, CustomStringConvertible {
        public let reason: String
        public var description: String { reason }
    }

    /// Reads the frames a peer sent (after the identity frame the ROUTER adds). MDP/0.1 messages start with an
    /// empty frame and then the header; MDP/0.2 messages start with the header.
    public static func parse(_ frames: [[UInt8]]) -> Result<Inbound, Malformed> {
        guard let (version, client, rest) = header(of: frames) else {
            let shown = frames.first.map { $0.isEmpty && frames.count > 1 ? frames[1] : $0 } ?? []
            return .failure(Malformed(reason: "unknown protocol header \(LogText.bytes(shown))"))
        }
        return client ? parseClient(version, rest) : parseWorker(version, rest)
    }

    /// The version, whether it is a client's message, and the frames after the header.
    private static func header(of frames: [[UInt8]]) -> (Version, client: Bool, rest: [[UInt8]])? {
        for version in [Version.v01, .v02] {
            let start = version.start.count
            guard frames.count > start, frames.prefix(start).allSatisfy({ $0.isEmpty }) else { continue }
            let header = frames[start]
            if header == version.clientHeader { return (version, true, Array(frames.dropFirst(start + 1))) }
            if header == version.workerHeader { return (version, false, Array(frames.dropFirst(start + 1))) }
        }
        return nil
    }

    private static func parseClient(_ version: Version, _ rest: [[UInt8]]) -> Result<Inbound, Malformed> {
        var rest = rest[...]
        if version == .v02 {
            guard let command = rest.popFirst(), command.count == 1 else {
                return .failure(Malformed(reason: "MDP/0.2 client message without a command frame"))
            }
            guard command[0] == ClientCommand.request.rawValue else {
                return .failure(
                    Malformed(reason: "MDP/0.2 client command 0x\(String(command[0], radix: 16)) is not REQUEST"))
            }
        }
        guard let service = rest.popFirst(), !service.isEmpty else {
            return .failure(Malformed(reason: "\(version) request without a service name"))
        }
        guard let name = String(validating: service, as: UTF8.self) else {
            return .failure(Malformed(reason: "\(version) request: the service name is not UTF-8"))
        }
        return .success(.request(version: version, service: name, body: Array(rest)))
    }

    private static func parseWorker(_ version: Version, _ rest: [[UInt8]]) -> Result<Inbound, Malformed> {
        var rest = rest[...]
        guard let code = rest.popFirst(), code.count == 1 else {
            return .failure(Malformed(reason: "\(version) worker message without a one-byte command"))
        }
        guard let command = WorkerCommand.from(code[0], version) else {
            return .failure(Malformed(reason: "\(version) unknown worker command 0x\(String(code[0], radix: 16))"))
        }
        switch command {
        case .ready:
            guard let service = rest.popFirst(), !service.isEmpty, rest.isEmpty,
                let name = String(validating: service, as: UTF8.self)
            else { return .failure(Malformed(reason: "\(version) READY must name one service")) }
            return .success(.ready(version: version, service: name))
        case .partial, .final:
            guard let client = rest.popFirst(), !client.isEmpty else {
                return .failure(Malformed(reason: "\(version) reply without a client address"))
            }
            guard let empty = rest.popFirst(), empty.isEmpty else {
                return .failure(Malformed(reason: "\(version) reply without the empty frame after the address"))
            }
            return .success(.reply(version: version, client: client, body: Array(rest), final: command == .final))
        case .heartbeat:
            return .success(.heartbeat(version: version))
        case .disconnect:
            return .success(.disconnect(version: version))
        case .request:
            return .failure(Malformed(reason: "\(version) REQUEST is sent by the broker, not to it"))
        }
    }

    /// A message the broker sent a worker.
    public enum ToWorker: Sendable, Equatable {
        case request(client: [UInt8], body: [[UInt8]])
        case heartbeat
        case disconnect
    }

    /// Reads the frames a worker's DEALER received from the broker.
    public static func parseForWorker(_ frames: [[UInt8]], version: Version) -> Result<ToWorker, Malformed> {
        guard let (found, client, rest) = header(of: frames), found == version, !client, rest.first?.count == 1
        else { return .failure(Malformed(reason: "not an \(version) worker message")) }
        switch WorkerCommand.from(rest[0][0], version) {
        case .request:
            guard rest.count >= 3, !rest[1].isEmpty, rest[2].isEmpty else {
                return .failure(Malformed(reason: "\(version) REQUEST without a client address and empty frame"))
            }
            return .success(.request(client: rest[1], body: Array(rest.dropFirst(3))))
        case .heartbeat: return .success(.heartbeat)
        case .disconnect: return .success(.disconnect)
        default:
            return .failure(
                Malformed(reason: "\(version) command 0x\(String(rest[0][0], radix: 16)) is not for a worker"))
        }
    }

    // MARK: - What the broker sends

    /// A request for a worker (after its identity frame).
    public static func request(_ version: Version, client: [UInt8], body: [[UInt8]]) -> [[UInt8]] {
        version.start + [version.workerHeader, [WorkerCommand.request.code(version)], client, []] + body
    }

    /// A heartbeat for a worker.
    public static func heartbeat(_ version: Version) -> [[UInt8]] {
        version.start + [version.workerHeader, [WorkerCommand.heartbeat.code(version)]]
    }

    /// A disconnect for a worker.
    public static func disconnect(_ version: Version) -> [[UInt8]] {
        version.start + [version.workerHeader, [WorkerCommand.disconnect.code(version)]]
    }

    /// A reply for a client (after its identity frame): MDP/0.1 has only final replies, and starts with the empty
    /// frame a REQ client expects.
    public static func reply(_ version: Version, service: String, body: [[UInt8]], final: Bool) -> [[UInt8]] {
        switch version {
        case .v01:
            [[], version.clientHeader, Array(service.utf8)] + body
        case .v02:
            [
                version.clientHeader, [final ? ClientCommand.final.rawValue : ClientCommand.partial.rawValue],
                Array(service.utf8),
            ] + body
        }
    }

    // MARK: - What workers and clients send

    /// A worker's READY, REPLY/FINAL, PARTIAL, HEARTBEAT or DISCONNECT, as its DEALER sends it.
    public static func fromWorker(
        _ version: Version, _ command: WorkerCommand, service: String? = nil, client: [UInt8]? = nil,
        body: [[UInt8]] = []
    ) -> [[UInt8]] {
        var frames: [[UInt8]] = version.start + [version.workerHeader, [command.code(version)]]
        if let service { frames.append(Array(service.utf8)) }
        if let client { frames += [client, []] + body }
        return frames
    }

    /// A client's request, as its DEALER sends it.
    public static func fromClient(_ version: Version, service: String, body: [[UInt8]]) -> [[UInt8]] {
        switch version {
        case .v01: [[], version.clientHeader, Array(service.utf8)] + body
        case .v02: [version.clientHeader, [ClientCommand.request.rawValue], Array(service.utf8)] + body
        }
    }
}

/// The Majordomo Management Interface (RFC 8): services named `mmi.*` answered by the broker itself.
public enum MMI {
    /// The prefix of management services.
    public static let prefix = "mmi."
    /// Asks whether a service has workers: the body is the service name; the answer `200` or `404`.
    public static let service = "mmi.service"
    /// The answer for a management service the broker does not implement.
    public static let notImplemented = "501"
}
