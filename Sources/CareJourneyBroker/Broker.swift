import CareJourneyClock
import CareJourneyCore
import CareJourneyStore
import CareJourneyWire
import Foundation
import Logging
import ServiceLifecycle
import ServiceThread
import Synchronization
import ZeroMQ

/// The task broker: a Majordomo broker (MDP/0.1, MDP/0.2 and MMI) on a ROUTER socket through which the engine's
/// tasks reach workers, and PUB sockets on which every committed case event is published: a minimal stream
/// (`--events`: case, event, time, stage, task ids; no personal data) and, when asked for, a full one
/// (`--events-full`). libzmq's PUB sends the same data to every subscriber, so the two streams are two sockets, each
/// with its own ZAP domain: with CURVE, the full one admits only keys with `subscribe: full`.
///
/// A task committed in the outbox is dispatched as a REQUEST to a ready worker of its queue, leased, and
/// completed when the worker's final reply is committed as an event on the case (exactly once: a case accepts
/// a task's reply only while the task is open, and the broker takes a reply only from the worker holding it). Tasks wait in the store while no worker is connected.
///
/// The sockets live on one thread of their own (`ServiceThread`); the engine and everything else talk to it
/// through a mailbox. That thread is the shell around the broker's rules (`BrokerRouting`, a state machine): it
/// waits on the sockets and the mailbox, feeds the rules what arrived with the time, and carries out the actions
/// they return. Heartbeats and leases run on wall time (a worker's work takes real time); events are dated by the
/// engine's clock. A `Service`: graceful shutdown stops taking messages, closes the sockets and returns.
public final class Broker: Service, Sendable {
    public let options: BrokerOptions
    private let engine: Engine
    /// The policy's calendar, on which a task's due day is given to its worker.
    private let calendar: CouncilCalendar
    private let clock: any CareClock
    private let protocolClock: any CareClock
    private let logger: Logger
    private let context: ZMQContext
    private let mailbox = Mailbox<Mail>()
    private let state = Mutex(Published())

    private struct Published {
        var snapshot = BrokerSnapshot.empty
        var endpoint: String?
        var eventsEndpoint: String?
        var fullEventsEndpoint: String?
        var failure: String?
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private enum Mail: Sendable {
        case committed([CommittedEvent])
        case completed(QueuedTask, Result<CommandOutcome, StoreError>)
        case loaded(service: String, [QueuedTask], exhausted: Bool)
        case storeMayHaveMore
        case stop
    }

    /// A broker for `engine`'s tasks; it starts listening when run.
    ///
    /// - Parameters:
    ///   - clock: the engine's clock, which dates the events of workers' replies.
    ///   - protocolClock: the clock heartbeats and leases run on: the wall clock, as workers' own (a worker's work
    ///     takes real time, even when the engine's clock runs fast), or a test's.
    public init(
        engine: Engine, clock: any CareClock, protocolClock: any CareClock = WallClock(), options: BrokerOptions,
        context: ZMQContext = ZMQContext(), logger: Logger = Logger(label: "carejourney.broker")
    ) {
        self.engine = engine
        calendar = engine.policy.councilCalendar
        self.clock = clock
        self.protocolClock = protocolClock
        self.options = options
        self.context = context
        self.logger = logger
        let mailbox = self.mailbox
        engine.observe { committed in mailbox.post(.committed(committed)) }
    }

    /// Has every queue with workers read the store's open tasks again, though it had read them to the end: on a
    /// store shared by several nodes, another node's tasks come free when that node dies and their leases run out.
    public func lookForTasksAgain() {
        mailbox.post(.storeMayHaveMore)
    }

    /// The endpoints as bound (with the port chosen for `:*`), once listening; `nil` if it failed.
    public func boundEndpoints() async -> (mdp: String, events: String?, fullEvents: String?)? {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state in
                if state.endpoint != nil || state.failure != nil { return true }
                state.waiters.append(continuation)
                return false
            }
            if ready { continuation.resume() }
        }
        return state.withLock { state in state.endpoint.map { ($0, state.eventsEndpoint, state.fullEventsEndpoint) } }
    }

    /// Queues and workers as they stood at most 0.2 s ago.
    public var snapshot: BrokerSnapshot { state.withLock { $0.snapshot } }

    public func run() async throws {
        if let error = options.refusal() {
            published { $0.failure = error.description }
            throw error
        }
        try await ServiceThread.run(named: "carejourney.broker", stop: { self.mailbox.post(.stop) }) {
            do {
                try self.serve()
            } catch {
                self.published { $0.failure = "\(error)" }
                throw error
            }
        }
    }

    private func published(_ change: (inout Published) -> Void) {
        let waiters = state.withLock { state in
            change(&state)
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    // MARK: - The socket thread

    private func serve() throws {
        // The ZAP handler must be bound before any CURVE server socket.
        let zap = options.curve == nil ? nil : try ZAPHandler(context)
        let admission = BrokerAdmission(policy: engine.policy, curve: options.curve)
        let router = try ZMQSocket(context, .router)
        try router.set(.routerMandatory)
        try router.set(.maxMessageSize(options.maxMessageBytes * 4))
        try secure(router, .mdp)
        try bind(router, options.endpoint, option: "--zmq")
        let publishers = try Publishers(
            minimal: options.events.map { try publisher($0, .events, option: "--events") },
            full: options.fullEvents.map { try publisher($0, .fullEvents, option: "--events-full") })
        published {
            $0.endpoint = router.lastEndpoint
            $0.eventsEndpoint = publishers.minimal?.lastEndpoint
            $0.fullEventsEndpoint = publishers.full?.lastEndpoint
        }
        logger.info(
            "broker listening",
            metadata: [
                "mdp": "\(router.lastEndpoint)", "events": "\(publishers.minimal?.lastEndpoint ?? "off")",
                "events-full": "\(publishers.full?.lastEndpoint ?? "off")", "curve": "\(options.curve != nil)",
            ])
        defer {
            router.close()
            publishers.minimal?.close()
            publishers.full?.close()
            zap?.close()
        }

        var routing = BrokerRouting(options: options, admission: admission, logLevel: logger.logLevel, now: protocolClock.now())
        // One buffer for the actions of every input, emptied (keeping its capacity) once they are carried out.
        var actions: [BrokerRouting.Action] = []
        var pace = SnapshotPace()
        let poller = try ZMQPoller()
        try poller.add(router)
        try poller.add(fileDescriptor: mailbox.fileDescriptor)
        if let zap { try poller.add(zap) }
        while true {
            let wait = protocolClock.milliseconds(
                until: min(routing.nextDeadline(), pace.due ?? .distantFuture), atMost: 1000)
            let ready = try poller.wait(milliseconds: wait)
            if ready[1] {
                for mail in mailbox.drain() {
                    switch mail {
                    case .stop:
                        logger.info("broker stopping")
                        published { $0.snapshot = routing.snapshot() }
                        return
                    case .committed(let events):
                        take(events, into: &routing, &actions, publishers: publishers)
                    case .completed(let queued, let result):
                        routing.on(.completed(queued, result), now: protocolClock.now(), into: &actions)
                    case .loaded(let service, let tasks, let exhausted):
                        routing.on(.loaded(tasks, service: service, exhausted: exhausted), now: protocolClock.now(), into: &actions)
                    case .storeMayHaveMore:
                        routing.on(.storeMayHaveMore, now: protocolClock.now(), into: &actions)
                    }
                }
            }
            if let zap, ready[2] { authenticate(zap, admission) }
            if ready[0] {
                // Up to a batch of messages, then the mailbox and timers get their turn.
                for _ in 0..<256 {
                    guard let message = try router.receive(dontWait: true, limit: options.maxMessageBytes) else {
                        break
                    }
                    guard let identity = message.frames.first, !message.oversized else {
                        routing.on(.oversized(bytes: message.size), now: protocolClock.now(), into: &actions)
                        continue
                    }
                    let frames = Array(message.frames.dropFirst())
                    routing.on(
                        .message(from: identity, frames: frames, user: message.userID), now: protocolClock.now(), into: &actions)
                }
            }
            routing.on(.tick, now: protocolClock.now(), into: &actions)
            carryOut(actions, on: router)
            actions.removeAll(keepingCapacity: true)
            if pace.passed(at: protocolClock.now()) {
                let snapshot = routing.snapshot()
                published { $0.snapshot = snapshot }
            }
        }
    }

    private func bind(_ socket: ZMQSocket, _ endpoint: String, option: String) throws {
        do {
            try socket.bind(endpoint)
        } catch {
            throw BrokerError(
                "\(error)", hint: "is another carejourney serve running? choose another address with \(option)")
        }
    }

    /// With CURVE, the socket requires it, and its connections are authenticated under its own ZAP domain.
    private func secure(_ socket: ZMQSocket, _ kind: BrokerAdmission.Socket) throws {
        guard let curve = options.curve else { return }
        try socket.set(.curveServer(secretKey: curve.serverSecretKey, zapDomain: kind.zapDomain))
    }

    private func publisher(_ endpoint: String, _ kind: BrokerAdmission.Socket, option: String) throws -> ZMQSocket {
        let socket = try ZMQSocket(context, .pub)
        try secure(socket, kind)
        try bind(socket, endpoint, option: option)
        return socket
    }

    /// The event streams' sockets: the minimal one and the full one, each when configured.
    private struct Publishers {
        let minimal: ZMQSocket?
        let full: ZMQSocket?
    }

    /// New tasks join their queues (this node's: another node's are leased to it), resolved ones leave (wherever
    /// they were resolved), and every event is published.
    private func take(
        _ events: [CommittedEvent], into routing: inout BrokerRouting, _ actions: inout [BrokerRouting.Action],
        publishers: Publishers
    ) {
        let now = protocolClock.now()
        for committed in events {
            for effect in committed.effects {
                switch effect {
                case .enqueue(let task) where !committed.fromAnotherNode:
                    let brief = TaskBrief.forWorker(task, in: committed.state, calendar: calendar)
                    let queued = QueuedTask(task: task, brief: brief, attempts: 0)
                    routing.on(.taskReady(queued), now: now, into: &actions)
                case .resolveTask(let id, _):
                    routing.on(.taskResolved(id: id.description), now: now, into: &actions)
                default:
                    break
                }
            }
            guard publishers.minimal != nil || publishers.full != nil else { continue }
            let topic = Array("\(committed.event.name.rawValue) \(committed.state.id.rawValue)".utf8)
            let event = PublishedEvent(committed)
            try? publishers.minimal?.send([topic, event.minimal()], dontWait: true)
            try? publishers.full?.send([topic, event.encoded()], dontWait: true)
        }
    }

    private func carryOut(_ actions: [BrokerRouting.Action], on router: ZMQSocket) {
        for action in actions {
            switch action {
            case .send(let identity, let frames):
                do {
                    try router.send([identity] + frames, dontWait: true)
                } catch {
                    // The peer is gone (ROUTER_MANDATORY) or its queue is full: liveness will tell.
                    logger.debug("could not send to \(LogText.bytes(identity)): \(error)")
                }
            case .note(let note):
                engine.record(.task(note))
            case .complete(let queued, let event, let data, let worker):
                // No idempotency key is needed: a case accepts a task's reply only while the task is open.
                let command = Command(
                    caseID: queued.task.id.caseID, event: event, eventData: data, actor: "worker \(worker)",
                    at: clock.now(), answers: Command.Answer(task: queued.id, attempt: queued.attempts))
                let mailbox = self.mailbox
                engine.apply(command) { result in mailbox.post(.completed(queued, result)) }
            case .load(let service, let excluding):
                let (engine, calendar) = (self.engine, self.calendar)
                let mailbox = self.mailbox
                let logger = self.logger
                // Read beside the socket thread, so a large queue does not hold up heartbeats.
                Task {
                    do {
                        let found = try await engine.openTasks(on: service, excluding: excluding, limit: BrokerRouting.page)
                        let tasks = found.map {
                            QueuedTask(
                                task: $0.task, brief: TaskBrief.forWorker($0.task, in: $0.state, calendar: calendar),
                                attempts: $0.attempts)
                        }
                        mailbox.post(.loaded(service: service, tasks, exhausted: tasks.count < BrokerRouting.page))
                    } catch {
                        logger.error(
                            "could not load the open tasks of '\(service)': \(error)", metadata: ["queue": "\(service)"]
                        )
                        mailbox.post(.loaded(service: service, [], exhausted: false))
                    }
                }
            case .log(let level, let message, let metadata):
                logger.log(level: level, "\(message)", metadata: metadata)
            }
        }
    }

    /// Answers one ZAP request (RFC 27): a CURVE key is admitted, by its peer name, to the sockets the key file
    /// lets it use (its `subscribe` decides the event streams).
    private func authenticate(_ zap: ZAPHandler, _ admission: BrokerAdmission) {
        zap.answer { request in
            guard let key = request.curvePublicKey,
                let name = admission.admit(publicKey: key, zapDomain: request.domain)
            else {
                logger.warning(
                    "refused a connection: its CURVE key is not in the key file, or not for this socket",
                    metadata: ["domain": "\(LogText.quoted(request.domain))"])
                return nil
            }
            return name
        }
    }
}

/// A broker that cannot start: what and how to fix it.
public struct BrokerError: Error, CustomStringConvertible {
    public let message: String
    public let hint: String
    init(_ message: String, hint: String) {
        self.message = message
        self.hint = hint
    }
    public var description: String { "\(message)\n  hint: \(hint)" }
}
