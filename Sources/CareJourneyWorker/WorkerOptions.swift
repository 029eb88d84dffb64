import CareJourneyClock
import CareJourneyFiles
import CareJourneyWire
import Foundation
import ZeroMQ

/// How a worker reaches the broker and keeps its place there.
public struct WorkerOptions: Sendable {
    /// The brokers' MDP endpoints, one for each node a worker may be served by (at least one). Each slot starts on
    /// one of them (slot `i` on endpoint `i` modulo their number, so that several slots serve every node) and moves to
    /// the next in the list when its broker goes quiet: a worker keeps serving while one node is down.
    public var brokers: [String]
    /// The service (queue) served.
    public var service: String
    /// The protocol spoken: MDP/0.2 (partial replies) by default.
    public var version: MDP.Version
    /// How often heartbeats go to the broker; the broker is taken for dead after `liveness` of them in silence.
    ///
    /// MDP does not negotiate heartbeats: the broker drops a worker silent for three of *its* heartbeats (7.5 s with
    /// `serve`), so keep this well under that, and `heartbeat × liveness` well over the broker's 2.5 s. The
    /// defaults match the broker's.
    public var heartbeat: Duration
    /// How many of this worker's heartbeats the broker may be silent for before it is taken for dead.
    public var liveness: Int
    /// The first wait before reconnecting; it doubles after each failed attempt, up to `maxReconnectDelay`.
    public var reconnectDelay: Duration
    public var maxReconnectDelay: Duration
    /// How long a slot serves another broker than its own (the one it started on) before it goes back to its own:
    /// after a node comes back, the slots that left it return, rather than crowd the nodes that stayed up. A slot
    /// goes back only with no request in hand. While its own broker does not take it back, the wait doubles each
    /// time, up to 16 times this.
    public var returnHomeAfter: Duration
    /// CURVE keys, when the broker requires them.
    public var curve: CurveClientKeys?
    /// Requests served at once: each slot is an MDP worker with a connection of its own, all on one thread.
    public var slots: Int
    /// The clock heartbeats, liveness and reconnect waits run on (the wall clock, or a test's).
    public var clock: any CareClock

    public init(
        brokers: [String] = ["tcp://127.0.0.1:5555"], service: String, version: MDP.Version = .v02,
        heartbeat: Duration = .milliseconds(2500), liveness: Int = 3, reconnectDelay: Duration = .milliseconds(100),
        maxReconnectDelay: Duration = .seconds(5), returnHomeAfter: Duration = .seconds(60),
        curve: CurveClientKeys? = nil, slots: Int = 1, clock: any CareClock = WallClock()
    ) {
        self.brokers = brokers
        self.service = service
        self.version = version
        self.heartbeat = heartbeat
        self.liveness = liveness
        self.reconnectDelay = reconnectDelay
        self.maxReconnectDelay = maxReconnectDelay
        self.returnHomeAfter = returnHomeAfter
        self.curve = curve
        self.slots = slots
        self.clock = clock
    }
}

extension WorkerOptions {
    /// Options for a worker of one broker, as workers were written before they took every node's.
    @available(*, deprecated, message: "give every node's broker: WorkerOptions(brokers: [endpoint], service: …)")
    public init(
        broker: String, service: String, version: MDP.Version = .v02, heartbeat: Duration = .milliseconds(2500),
        liveness: Int = 3, reconnectDelay: Duration = .milliseconds(100), maxReconnectDelay: Duration = .seconds(5),
        curve: CurveClientKeys? = nil, slots: Int = 1, clock: any CareClock = WallClock()
    ) {
        self.init(
            brokers: [broker], service: service, version: version, heartbeat: heartbeat, liveness: liveness,
            reconnectDelay: reconnectDelay, maxReconnectDelay: maxReconnectDelay, curve: curve, slots: slots,
            clock: clock)
    }
}

/// A CURVE client's keys (Z85 text): its own pair and the broker's public key.
public struct CurveClientKeys: Sendable {
    public var serverPublicKey: String
    public var publicKey: String
    public var secretKey: String

    public init(serverPublicKey: String, publicKey: String, secretKey: String) {
        self.serverPublicKey = serverPublicKey
        self.publicKey = publicKey
        self.secretKey = secretKey
    }

    /// The keys of a worker whose secret key is in `secretFile`, as `carejourney keys admit` writes it: the
    /// 40-character Z85 key on a line of its own (lines starting with `#` are comments). Its public key is derived
    /// from it. A secret never goes on a command line, where every user of the machine can read it.
    ///
    /// - Throws: `FileError` when the file cannot be read, others may read or change it (`insecure`), or it holds
    ///   no Z85 secret key.
    public static func load(serverPublicKey: String, secretFile: String) throws(FileError) -> CurveClientKeys {
        let text = try OwnerOnlyFile.readSecret(
            secretFile, what: "CURVE secret key file", secret: "this worker's secret key",
            hint: "`carejourney keys admit KEYFILE NAME --secret-file \(secretFile)` writes it")
        let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
        guard let secret = lines.first(where: { !$0.isEmpty && !$0.hasPrefix("#") }),
            let publicKey = try? ZMQCurve.publicKey(forSecret: secret), ZMQCurve.decode(secret) != nil
        else {
            throw FileError(
                .badValue, "this file holds no CURVE secret key (40 Z85 characters on a line)", file: secretFile,
                hint: "use the file `carejourney keys admit` wrote for this worker")
        }
        return CurveClientKeys(serverPublicKey: serverPublicKey, publicKey: publicKey, secretKey: secret)
    }
}
