import CareJourneyKit
import Foundation

/// How the broker listens and how it keeps workers and tasks honest.
public struct BrokerOptions: Sendable {
    /// The MDP ROUTER endpoint (`--zmq`).
    public var endpoint: String
    /// The PUB endpoint for the minimal stream of committed case events (`--events`): case, event, time, stage
    /// and task ids, no personal data. Or none.
    public var events: String?
    /// The PUB endpoint for the full stream (`--events-full`): every event with its data. Or none (the default).
    /// With CURVE only keys admitted with `subscribe: full` may connect; without CURVE the broker refuses it
    /// unless `fullEventsOnLoopback`.
    public var fullEvents: String?
    /// Publish the full stream without CURVE (`--events-full-on-loopback`): every process on this machine can then
    /// read personal data. For one person on their own machine.
    public var fullEventsOnLoopback: Bool
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
    /// How much the broker holds for peers: client requests waiting for a worker, and workers.
    public var limits: Limits

    /// Caps on what peers can make the broker hold, so that no peer (or flood of peers) grows it without bound.
    /// A request or READY over a cap is dropped with a log line, counted by its reason.
    public struct Limits: Sendable {
        /// Client requests waiting for a worker, over all services and peers.
        public var waitingRequests: Int
        /// Their bodies' bytes, over all services and peers.
        public var waitingBytes: Int
        /// Requests waiting from one peer (a CURVE key's name; without CURVE, one connection).
        public var waitingRequestsPerPeer: Int
        /// Their bodies' bytes, from one peer.
        public var waitingBytesPerPeer: Int
        /// How long a request waits for a worker before it is dropped.
        public var requestTimeout: Duration
        /// Workers registered (READY), over all services.
        public var workers: Int
        /// Workers registered for one service.
        public var workersPerService: Int

        public init(
            waitingRequests: Int = 10_000, waitingBytes: Int = 64 << 20, waitingRequestsPerPeer: Int = 1_000,
            waitingBytesPerPeer: Int = 16 << 20, requestTimeout: Duration = .seconds(60), workers: Int = 10_000,
            workersPerService: Int = 1_000
        ) {
            self.waitingRequests = waitingRequests
            self.waitingBytes = waitingBytes
            self.waitingRequestsPerPeer = waitingRequestsPerPeer
            self.waitingBytesPerPeer = waitingBytesPerPeer
            self.requestTimeout = requestTimeout
            self.workers = workers
            self.workersPerService = workersPerService
        }
    }

    public init(
        endpoint: String = "tcp://127.0.0.1:5555", events: String? = "tcp://127.0.0.1:5556",
        fullEvents: String? = nil, fullEventsOnLoopback: Bool = false, curve: CurveKeyFile? = nil,
        heartbeat: Duration = .milliseconds(2500), liveness: Int = 3, lease: Duration = .seconds(300),
        maxAttempts: Int = 5, maxMessageBytes: Int = 1 << 20, limits: Limits = Limits()
    ) {
        self.endpoint = endpoint
        self.events = events
        self.fullEvents = fullEvents
        self.fullEventsOnLoopback = fullEventsOnLoopback
        self.curve = curve
        self.heartbeat = heartbeat
        self.liveness = liveness
        self.lease = lease
        self.maxAttempts = maxAttempts
        self.maxMessageBytes = maxMessageBytes
        self.limits = limits
    }

    /// Without CURVE, the broker binds to loopback only: this says which endpoints break that rule.
    public func endpointsNeedingCurve() -> [String] {
        guard curve == nil else { return [] }
        return [endpoint, events, fullEvents].compactMap { $0 }.filter { !Self.isLoopback($0) }
    }

    /// Why the broker must not start with these options, if it must not: an endpoint beyond loopback without
    /// CURVE, or the full event stream without CURVE and without `fullEventsOnLoopback`.
    public func refusal() -> BrokerError? {
        let needCurve = endpointsNeedingCurve()
        if !needCurve.isEmpty {
            return BrokerError(
                "refusing to bind \(needCurve.joined(separator: ", ")) without CURVE: peers would be unauthenticated",
                hint: "bind to 127.0.0.1, or pass --curve-keys FILE")
        }
        if curve == nil, let fullEvents, !fullEventsOnLoopback {
            return BrokerError(
                "refusing to publish every event's data on \(fullEvents) without CURVE: any process on this machine "
                    + "could read personal data",
                hint: "pass --curve-keys FILE and admit subscribers with `carejourney keys admit FILE NAME "
                    + "--subscribe full`, or, for one person on their own machine, --events-full-on-loopback")
        }
        return nil
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
