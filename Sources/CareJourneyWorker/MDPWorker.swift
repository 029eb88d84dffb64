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

/// An MDP worker (RFC 7 and RFC 18): connects to the broker (or, with several nodes, to one of their brokers, and
/// to the next when it goes quiet), says READY for one service, answers one request at
/// a time with `handler`, heartbeats, reconnects with backoff when the broker goes quiet, and on graceful
/// shutdown finishes the request in hand, says DISCONNECT and returns. With `options.slots` above 1 it is that
/// many MDP workers (a connection each) served from one thread, for several requests at once.
///
/// The sockets live on a thread of their own (`ServiceThread`: a libzmq socket is not thread-safe, and its blocking
/// poll must not hold one of the cooperative pool's few threads). That thread is the shell around the session's
/// rules (`WorkerSession`, a state machine): it waits on the connections and the mailbox, feeds the rules what
/// arrived with the time, and carries out the actions they return. The handler runs as a task (or on the socket
/// thread, for quick work), and its replies are handed back to the socket thread through the mailbox.
public final class MDPWorker: Service, Sendable {
    public let options: WorkerOptions
    private let context: ZMQContext
    private let logger: Logger
    private let handler: Handler
    private let mailbox = Mailbox<WorkerSession.Input>()
    private let counters = Mutex(Statistics())

    /// What the worker has done so far.
    public struct Statistics: Sendable, Equatable {
        public var requests = 0
        public var replies = 0
        public var connections = 0
    }

    public var statistics: Statistics { counters.withLock { $0 } }

    /// The longest the socket thread waits before it looks at the clock again, in milliseconds: a manual clock (a
    /// test's) moves without waking the poll.
    static let longestWait = 1000

    /// How long a DISCONNECT said on closing a connection may take to leave, in milliseconds.
    static let farewellLinger: Int32 = 250

    /// How requests are answered: by a task (for work that waits on anything), or right on the socket thread
    /// (for quick work that never blocks: no hop through the cooperative pool).
    public enum Handler: Sendable {
        case async(@Sendable (WorkerRequest) async -> [[UInt8]])
        case onSocketThread(@Sendable (WorkerRequest) -> [[UInt8]])
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

    // MARK: - The socket thread

    /// The session's shell: waits on the connections and the mailbox, feeds the session what arrived with the time,
    /// and carries out its actions, until it finishes.
    private func serve() throws {
        guard !options.brokers.isEmpty else { throw WorkerError.noBroker(service: options.service) }
        var session = WorkerSession(options: options, now: options.clock.now())
        var sockets = [ZMQSocket?](repeating: nil, count: session.slotCount)
        defer { for socket in sockets { socket?.close() } }
        // One buffer for the actions of every input, emptied (keeping its capacity) once they are carried out.
        var actions: [WorkerSession.Action] = []
        // Waits on the mailbox and the connections; made again when a connection opens or closes.
        var poller: ZMQPoller?
        // The slot of each connection polled, after the mailbox.
        var polled: [Int] = []
        var statistics = session.statistics

        func feed(_ input: WorkerSession.Input) { session.on(input, now: options.clock.now(), into: &actions) }

        /// A poller of the mailbox (index 0) and of each open connection, in slot order (`polled`).
        func makePoller() throws -> ZMQPoller {
            let made = try ZMQPoller()
            try made.add(fileDescriptor: mailbox.fileDescriptor)
            polled.removeAll(keepingCapacity: true)
            for (slot, socket) in sockets.enumerated() {
                guard let socket else { continue }
                try made.add(socket)
                polled.append(slot)
            }
            return made
        }

        /// Carries out the actions gathered (answering on this thread adds more as it goes); true once finished.
        func carryOut() throws -> Bool {
            var finished = false
            var index = 0
            while index < actions.count {
                let action = actions[index]
                index += 1
                switch action {
                case .connect(let slot, let endpoint):
                    sockets[slot] = try connect(to: endpoint)
                    poller = nil
                case .send(let slot, let frames):
                    try sockets[slot]?.send(frames)
                case .close(let slot, let farewell):
                    if let farewell {
                        // Given a moment to leave: a broker that never hears it holds the worker for its liveness.
                        try? sockets[slot]?.send(farewell, dontWait: true)
                        sockets[slot]?.close(lingering: Self.farewellLinger)
                    } else {
                        sockets[slot]?.close()
                    }
                    sockets[slot] = nil
                    poller = nil
                case .answer(let slot, let request, let body):
                    answer(body, slot: slot, request: request, feed: feed)
                case .log(let level, let message, let metadata):
                    logger.log(level: level, "\(message)", metadata: metadata)
                case .finish:
                    finished = true
                }
            }
            actions.removeAll(keepingCapacity: true)
            if session.statistics != statistics {
                statistics = session.statistics
                counters.withLock { $0 = statistics }
            }
            return finished
        }

        while true {
            feed(.tick)
            if try carryOut() { return }
            let waiting = try poller ?? makePoller()
            poller = waiting
            let wait = options.clock.milliseconds(until: session.nextDeadline(), atMost: Self.longestWait)
            let ready = try waiting.wait(milliseconds: wait)
            if ready[0] {
                for input in mailbox.drain() { feed(input) }
                if try carryOut() { return }
            }
            // One message from each connection that has one, not all it has: a receive that finds nothing costs
            // what the poller's asking does (two system calls), and the poller asks a connection just used anyway
            // before it waits, so a message left is still seen then (`ZMQSocket.mayHoldInput`). An MDP worker
            // has one request at a time: most wake-ups bring one message a connection.
            for (index, slot) in polled.enumerated() where ready[index + 1] {
                if let socket = sockets[slot], let message = try socket.receive(dontWait: true) {
                    feed(.received(slot: slot, frames: message.frames))
                    if try carryOut() { return }
                }
            }
        }
    }

    private func connect(to endpoint: String) throws(ZMQError) -> ZMQSocket {
        let socket = try ZMQSocket(context, .dealer)
        if let curve = options.curve {
            try socket.set(
                .curveClient(serverKey: curve.serverPublicKey, publicKey: curve.publicKey, secretKey: curve.secretKey))
        }
        try socket.connect(endpoint)
        return socket
    }

    /// Hands a request to the handler: as a task, whose replies come back through the mailbox, or right here, with
    /// the progress it reported (in the mailbox) fed before its final reply.
    private func answer(
        _ body: [[UInt8]], slot: Int, request: Int, feed: (WorkerSession.Input) -> Void
    ) {
        let mailbox = self.mailbox
        let worker = WorkerRequest(body: body) { progress in
            mailbox.post(.replied(slot: slot, request: request, body: progress, final: false))
        }
        switch handler {
        case .async(let handle):
            Task {
                let reply = await handle(worker)
                mailbox.post(.replied(slot: slot, request: request, body: reply, final: true))
            }
        case .onSocketThread(let handle):
            let reply = handle(worker)
            // The progress it reported, if any (a look first: emptying the wake-up pipe is a system call).
            if !mailbox.isEmpty {
                for input in mailbox.drain() { feed(input) }
            }
            feed(.replied(slot: slot, request: request, body: reply, final: true))
        }
    }
}
