import Foundation

/// How the broker listens and how it keeps workers and tasks honest.
public struct BrokerOptions: Sendable {
    /// The MDP ROUTER endpoint (`--zmq`).
    public var endpoint: String
    /// The PUB endpoint for committed case events (`--events`), or none.
    public var events: String?
    /// CURVE keys (`--curve-keys`): with them the broker requires CURVE and admits only listed keys.
    public var curve: CurveKeyFile?
    /// How often heartbeats go to workers; a worker silent for `liveness` of them is taken for dead.
    public var heartbeat: Duration
    public var liveness: Int
    /// How long a worker may hold a task before it is offered to another.
    public var lease: Duration
    /// Dispatches of one task before it is marked failed for the operations team.
    public var maxAttempts: Int
    /// The largest message accepted, in bytes; larger ones are dropped with a log line.
    public var maxMessageBytes: Int
    /// Requests from clients that may wait for a service before the oldest is dropped.
    public var maxWaitingRequests: Int

    public init(
        endpoint: String = "tcp://127.0.0.1:5555", events: String? = "tcp://127.0.0.1:5556",
        curve: CurveKeyFile? = nil, heartbeat: Duration = .milliseconds(2500), liveness: Int = 3,
        lease: Duration = .seconds(300), maxAttempts: Int = 5, maxMessageBytes: Int = 1 << 20,
        maxWaitingRequests: Int = 10_000
    ) {
        self.endpoint = endpoint
        self.events = events
        self.curve = curve
        self.heartbeat = heartbeat
        self.liveness = liveness
        self.lease = lease
        self.maxAttempts = maxAttempts
        self.maxMessageBytes = maxMessageBytes
        self.maxWaitingRequests = maxWaitingRequests
    }

    /// Without CURVE, the broker binds to loopback only: this says which endpoints break that rule.
    public func endpointsNeedingCurve() -> [String] {
        guard curve == nil else { return [] }
        return ([endpoint] + (events.map { [$0] } ?? [])).filter { !Self.isLoopback($0) }
    }

    static func isLoopback(_ endpoint: String) -> Bool {
        if endpoint.hasPrefix("inproc://") || endpoint.hasPrefix("ipc://") { return true }
        guard endpoint.hasPrefix("tcp://") else { return false }
        return Loopback.contains(
            host: endpoint.dropFirst("tcp://".count).split(separator: ":").dropLast().joined(separator: ":"))
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
