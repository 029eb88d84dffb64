import CareJourneyWire
import Foundation
import Logging
import ServiceLifecycle
import ServiceThread
import Synchronization
import ZeroMQ

/// A request as a worker receives it.
public struct WorkerRequest: Sendable {
    /// The body frames.
    public let body: [[UInt8]]
    /// Sends a partial reply (MDP/0.2; ignored under 0.1): progress while the work goes on.
    public let progress: @Sendable ([[UInt8]]) -> Void
}

/// An MDP worker (RFC 7 and RFC 18): connects to the broker, says READY for one service, answers one request at
/// a time with `handler`, heartbeats, reconnects with backoff when the broker goes quiet, and on graceful
/// shutdown finishes the request in hand, says DISCONNECT and returns. With `options.slots` above 1 it is that
/// many MDP workers (a connection each) served from one thread, for several requests at once.
///
/// The socket lives on a thread of its own (a libzmq socket is not thread-safe, and its blocking poll must not
/// hold one of the cooperative pool's few threads); the handler runs as a task, and its reply is handed back to
/// the socket thread through a mailbox.
public final class MDPWorker: Service, Sendable {
    public let options: WorkerOptions
    private let context: ZMQContext
    private let logger: Logger
    private let handler: Handler
    private let mailbox = Mailbox<Mail>()
    private let counters = Mutex(Statistics())

    /// What the worker has done so far.
    public struct Statistics: Sendable, Equatable {
        public var requests = 0
        public var replies = 0
        public var connections = 0
    }

    public var statistics: Statistics { counters.withLock { $0 } }

    /// How requests are answered: by a task (for work that waits on anything), or right on the socket thread
    /// (for quick work that never blocks: no hop through the cooperative pool).
    public enum Handler: Sendable {
        case async(@Sendable (WorkerRequest) async -> [[UInt8]])
        case onSocketThread(@Sendable (WorkerRequest) -> [[UInt8]])
    }

    private enum Mail: Sendable {
        case reply(slot: Int, generation: Int, client: [UInt8], body: [[UInt8]], final: Bool)
        case stop
    }

    /// A worker for `options.service`; `handler` turns a request into the final reply's body frames.
    public convenience init(
        options: WorkerOptions, context: ZMQContext = ZMQContext(),
        logger: Logger = Logger(label: "carejourney.worker"),
        handler: @escaping @Sendable (WorkerRequest) async -> [[UInt8]]
    ) {
        self.init(options: options, context: context, logger: logger, answering: .async(handler))
    }

    /// A worker for `options.service` that answers as `handler` says.
    public init(
        options: WorkerOptions, context: ZMQContext = ZMQContext(),
        logger: Logger = Logger(label: "carejourney.worker"), answering handler: Handler
    ) {
        self.options = options
        self.context = context
        self.logger = logger
        self.handler = handler
    }

    /// Serves until a graceful shutdown or cancellation (or `stop()`).
    public func run() async throws {
        try await ServiceThread.run(named: "mdp-worker \(options.service)", stop: { self.stop() }) {
            try self.serve()
        }
    }

    /// Finishes the request in hand, says DISCONNECT and stops.
    public func stop() { mailbox.post(.stop) }

    private func connect() throws(ZMQError) -> ZMQSocket {
        let socket = try ZMQSocket(context, .dealer)
        if let curve = options.curve {
            try socket.set(
                .curveClient(serverKey: curve.serverPublicKey, publicKey: curve.publicKey, secretKey: curve.secretKey))
        }
        try socket.connect(options.broker)
        try socket.send(MDP.fromWorker(options.version, .ready, service: options.service))
        counters.withLock { $0.connections += 1 }
        logger.debug("worker connected", metadata: ["service": "\(options.service)", "broker": "\(options.broker)"])
        return socket
    }

    /// One MDP worker's connection: a process serves `options.slots` of them from this one thread.
    private struct Slot {
        var socket: ZMQSocket
        /// When the broker was last heard from on it.
        var heard = Date()
        /// Each connection is a generation: a reply finished after a reconnect belongs to a lease the broker has
        /// already taken back, so it is dropped rather than sent on the new connection.
        var generation = 0
        var busy = false
    }

    private func serve() throws {
        let version = options.version
        let interval = options.heartbeat.milliseconds
        let silenceLimit = Double(interval * options.liveness) / 1000
        var slots = try (0..<max(1, options.slots)).map { _ in Slot(socket: try connect()) }
        var nextHeartbeat = Date().addingTimeInterval(Double(interval) / 1000)
        var delay = options.reconnectDelay
        var stopping = false
        while true {
            var poller = ZMQPoller()
            for slot in slots { poller.add(slot.socket) }
            poller.add(fileDescriptor: mailbox.fileDescriptor)
            let wait = max(0, Int(nextHeartbeat.timeIntervalSinceNow * 1000))
            let ready = try poller.wait(milliseconds: wait)
            if ready[slots.count] {
                for mail in mailbox.drain() {
                    switch mail {
                    case .reply(let index, let replyGeneration, let client, let body, let final):
                        guard slots[index].generation == replyGeneration, final || version == .v02 else { continue }
                        try slots[index].socket.send(
                            MDP.fromWorker(version, final ? .final : .partial, client: client, body: body))
                        if final {
                            slots[index].busy = false
                            counters.withLock { $0.replies += 1 }
                        }
                    case .stop:
                        stopping = true
                    }
                }
            }
            if stopping && slots.allSatisfy({ !$0.busy }) {
                for slot in slots {
                    try? slot.socket.send(MDP.fromWorker(version, .disconnect), dontWait: true)
                    slot.socket.close()
                }
                return
            }
            for index in slots.indices where ready[index] {
                while let message = try slots[index].socket.receive(dontWait: true) {
                    slots[index].heard = Date()
                    delay = options.reconnectDelay
                    switch MDP.parseForWorker(message.frames, version: version) {
                    case .success(.request(let client, let body)):
                        if slots[index].busy || stopping {
                            logger.warning("request while busy or stopping: dropped (the broker will re-lease it)")
                            continue
                        }
                        counters.withLock { $0.requests += 1 }
                        try answer(client: client, body: body, slot: index, in: &slots, stopping: &stopping)
                    case .success(.heartbeat):
                        break
                    case .success(.disconnect):
                        logger.info(
                            "the broker asked this worker to reconnect", metadata: ["service": "\(options.service)"])
                        slots[index].heard = .distantPast
                    case .failure(let malformed):
                        logger.warning("dropped a malformed message from the broker: \(malformed)")
                    }
                }
            }
            let silent = slots.indices.filter { -slots[$0].heard.timeIntervalSinceNow > silenceLimit }
            if !silent.isEmpty {
                if silent.contains(where: { slots[$0].heard != .distantPast }) {
                    logger.warning(
                        "the broker went quiet; reconnecting",
                        metadata: ["service": "\(options.service)", "after": "\(delay)"])
                }
                for index in silent { slots[index].socket.close() }
                Thread.sleep(forTimeInterval: Double(delay.milliseconds) / 1000)
                delay = min(delay * 2, options.maxReconnectDelay)
                for index in silent {
                    slots[index].socket = try connect()
                    slots[index].generation += 1
                    slots[index].busy = false
                    slots[index].heard = Date()
                }
            }
            if nextHeartbeat.timeIntervalSinceNow <= 0 {
                for slot in slots { try slot.socket.send(MDP.fromWorker(version, .heartbeat)) }
                nextHeartbeat = Date().addingTimeInterval(Double(interval) / 1000)
            }
        }
    }

    /// Starts answering a request on a slot: as a task (the reply comes back through the mailbox), or right here.
    private func answer(
        client: [UInt8], body: [[UInt8]], slot index: Int, in slots: inout [Slot], stopping: inout Bool
    ) throws {
        let version = options.version
        let current = slots[index].generation
        let mailbox = self.mailbox
        let request = WorkerRequest(body: body) { progress in
            mailbox.post(.reply(slot: index, generation: current, client: client, body: progress, final: false))
        }
        switch handler {
        case .async(let handle):
            slots[index].busy = true
            Task {
                let reply = await handle(request)
                mailbox.post(.reply(slot: index, generation: current, client: client, body: reply, final: true))
            }
        case .onSocketThread(let handle):
            let reply = handle(request)
            // Progress reported while answering goes first (it is in the mailbox).
            for mail in mailbox.drain() {
                switch mail {
                case .reply(index, current, client, let progress, false) where version == .v02:
                    try slots[index].socket.send(MDP.fromWorker(version, .partial, client: client, body: progress))
                case .stop: stopping = true
                default: break
                }
            }
            try slots[index].socket.send(MDP.fromWorker(version, .final, client: client, body: reply))
            counters.withLock { $0.replies += 1 }
        }
    }
}
