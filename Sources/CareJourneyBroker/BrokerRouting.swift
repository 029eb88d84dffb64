import CareJourneyCore
import CareJourneyStore
import CareJourneyWire
import Foundation
import Logging

/// The broker's rules as a state machine: inputs in (messages from peers, tasks from the engine and the store,
/// the engine's answers, ticks), each with the time it happens, and actions out (frames to send, task outcomes to
/// commit, notes to write, backlog to load, lines to log). It neither logs nor reads the clock nor touches a
/// socket: `Broker` feeds it on its socket thread and carries out what it asks, and tests feed it by hand on a
/// clock they move.
///
/// Time is wall time (`Date`), as the snapshot shows it: heartbeats, liveness, leases and request expiry are all
/// deadlines on it, and `nextDeadline()` says when the next falls due.
///
/// MDP/0.1 and MDP/0.2 peers are told apart by each message's header and answered in their own version. A
/// worker holds at most one request: a client's, or one of the engine's tasks (leased). A reply is accepted only
/// from the worker holding that request, so a reply from an unknown worker, a duplicate final reply, or a late
/// reply after the lease was taken back is dropped with a log line and never applied twice.
///
/// Peers get only what they are admitted to (`BrokerAdmission`): a READY or a request for a service the peer may
/// not serve or call, or that no policy or key names, is dropped and creates no queue. What peers make the broker
/// hold is capped (`BrokerOptions.Limits`): waiting requests by count and bytes, in all and per peer, and expire;
/// workers in all and per service, and a silent one expires; a queue with nothing in it is dropped. Peer-supplied
/// text reaches log lines only through `LogText`.
struct BrokerRouting {
    /// What happens to the broker.
    enum Input {
        /// A message from the peer `identity` (its frames after the identity frame), authenticated as `user` when
        /// CURVE is on.
        case message(from: [UInt8], frames: [[UInt8]], user: String?)
        /// A message of `bytes` bytes, over `BrokerOptions.maxMessageBytes`: it was dropped unread.
        case oversized(bytes: Int)
        /// A task committed in the outbox is ready for its queue.
        case taskReady(QueuedTask)
        /// A task was resolved by an event (done by a practitioner, withdrawn): it leaves its queue. A lease on it
        /// runs out on its own; the reply will be refused by the case as stale.
        case taskResolved(id: String)
        /// The store's open tasks for a service, as `Action.load` asked for.
        case loaded([QueuedTask], service: String, exhausted: Bool)
        /// The engine's answer to a task's outcome (`Action.complete`).
        case completed(QueuedTask, Result<CommandOutcome, StoreError>)
        /// Time passed: heartbeats to send, dead workers, lapsed leases and expired requests.
        case tick
        /// The store may hold open tasks the broker has not loaded, though it read each service's to the end: on a
        /// store shared by several nodes, tasks whose node died and whose database lease ran out. Each service
        /// with workers looks again.
        case storeMayHaveMore
    }

    /// What the broker is to do.
    enum Action {
        /// Frames for the peer with this identity.
        case send(identity: [UInt8], frames: [[UInt8]])
        /// A worker's outcome for a task, to become an event on its case (with its data as JSON text).
        case complete(QueuedTask, event: Event, data: String, worker: String)
        case note(TaskNote)
        /// The service's queue ran dry while the store may hold more of its open tasks.
        case load(service: String, excluding: Set<String>)
        /// A line for the broker's log; any text a peer sent is already escaped (`LogText`).
        case log(Logger.Level, String, Logger.Metadata)
    }

    private struct Worker {
        let identity: [UInt8]
        let version: MDP.Version
        let service: String
        /// Who the worker is: its CURVE peer name, or its identity in hex.
        let name: String
        var expiry: Date
        var holding: Holding?
    }

    private enum Holding {
        case client(address: [UInt8], version: MDP.Version)
        case task(QueuedTask, leaseExpires: Date)
        /// The lease ended while the worker still worked on it: its reply will be dropped.
        case lapsed(address: [UInt8])

        var address: [UInt8] {
            switch self {
            case .client(let address, _), .lapsed(let address): address
            case .task(let task, _): task.address
            }
        }
    }

    /// Below this many queued tasks, the next page of a service's backlog is loaded from the store.
    static let loadAhead = 500
    /// Tasks in one page of backlog.
    static let page = 1000

    let options: BrokerOptions
    private let admission: BrokerAdmission
    /// Lines below this level are not asked for (their text is never even built).
    private let logLevel: Logger.Level
    private var workers: [[UInt8]: Worker] = [:]
    /// Queues with something in them; an idle one is dropped.
    private var services: [String: ServiceQueue] = [:]
    /// Every service that has had a queue: the snapshot keeps showing them (with zeros), so a gauge never goes
    /// stale. Only admitted names ever get here.
    private var seen: Set<String> = []
    private var budget = RequestBudget()
    /// Every task the broker holds (queued, leased or being completed), by id, with its service.
    private var known: [String: String] = [:]
    private var nextHeartbeat: Date
    /// The caller's buffer, lent for the length of one `on(_:now:into:)`: the rules append to it.
    private var actions: [Action] = []
    /// Messages dropped, by reason, for tests and metrics.
    private(set) var dropped: [String: Int] = [:]

    /// The rules for `options` and `admission`, starting at `now`; log lines are asked for from `logLevel` up.
    init(options: BrokerOptions, admission: BrokerAdmission, logLevel: Logger.Level, now: Date) {
        self.options = options
        self.admission = admission
        self.logLevel = logLevel
        nextHeartbeat = now.addingTimeInterval(options.heartbeat.seconds)
    }

    /// Takes one input, at `now`, and appends the actions it calls for to `actions`, in the order they are to be
    /// carried out. The caller keeps one buffer and empties it (keeping its capacity) once it has carried them
    /// out, so that a message costs no array of its own.
    mutating func on(_ input: Input, now: Date, into actions: inout [Action]) {
        swap(&self.actions, &actions)
        defer { swap(&self.actions, &actions) }
        switch input {
        case .message(let identity, let frames, let user):
            received(from: identity, frames: frames, user: user, now: now)
        case .oversized(let bytes):
            let limit = options.maxMessageBytes
            drop("oversized", "a message of \(bytes) bytes (the limit is \(limit))")
        case .taskReady(let queued):
            taskReady(queued, now: now)
        case .taskResolved(let id):
            taskResolved(id)
        case .loaded(let tasks, let service, let exhausted):
            loaded(tasks, service: service, exhausted: exhausted, now: now)
        case .completed(let queued, let result):
            completed(queued, result: result, now: now)
        case .tick:
            tick(now: now)
        case .storeMayHaveMore:
            for service in services.keys {
                services[service]?.mayHaveMore = true
                dispatch(service, now: now)
            }
        }
    }

    // MARK: - Messages

    private mutating func received(from identity: [UInt8], frames: [[UInt8]], user: String?, now: Date) {
        switch MDP.parse(frames) {
        case .failure(let malformed):
            drop("malformed", "\(malformed) from \(LogText.bytes(identity))")
            // A known worker that sends garbage is no longer trusted with work.
            if let worker = workers[identity] {
                remove(worker, reason: "sent a malformed message", disconnect: true, now: now)
            }
        case .success(.request(let version, let service, let body)):
            request(from: identity, version: version, service: service, body: body, user: user, now: now)
        case .success(.ready(let version, let service)):
            ready(identity, version: version, service: service, user: user, now: now)
        case .success(.reply(let version, let client, let body, let final)):
            reply(from: identity, version: version, client: client, body: body, final: final, now: now)
        case .success(.heartbeat(let version)):
            guard workers[identity] != nil else {
                drop("unknown worker", "heartbeat from unknown worker \(LogText.bytes(identity))")
                actions.append(.send(identity: identity, frames: MDP.disconnect(version)))
                return
            }
            let expires = expiry(now)
            workers[identity]?.expiry = expires
        case .success(.disconnect):
            guard let worker = workers[identity] else { return }
            remove(worker, reason: "the worker disconnected", disconnect: false, saidSo: true, now: now)
        }
    }

    private mutating func request(
        from identity: [UInt8], version: MDP.Version, service: String, body: [[UInt8]], user: String?, now: Date
    ) {
        let client = user.map { "CURVE peer '\($0)'" } ?? "client \(LogText.bytes(identity))"
        if service.hasPrefix(MMI.prefix) {
            let answer: String
            if service == MMI.service, let name = body.first.map({ String(decoding: $0, as: UTF8.self) }) {
                // Only about a service the client may call: others are not its business.
                let served = admission.mayCall(name, user: user) && services[name].map { $0.workers > 0 } == true
                answer = served ? "200" : "404"
            } else {
                answer = MMI.notImplemented
            }
            actions.append(
                .send(
                    identity: identity,
                    frames: MDP.reply(version, service: service, body: [Array(answer.utf8)], final: true)))
            return
        }
        guard admission.services.contains(service) else {
            drop("unknown service", "\(client) asked for \(LogText.quoted(service)), which no policy or key names")
            return
        }
        guard admission.mayCall(service, user: user) else {
            drop("client not admitted", "\(client) may not call '\(service)'")
            return
        }
        let peer = user ?? LogText.bytes(identity)
        let size = body.reduce(0) { $0 + $1.count }
        if let refused = budget.reserve(size, for: peer, within: options.limits) {
            let waiting = budget.count
            drop(refused, "\(client) asked for '\(service)' with \(waiting) requests waiting")
            return
        }
        let waiting = ClientRequest(
            address: identity, version: version, body: body, peer: peer, bytes: size,
            expires: now.addingTimeInterval(options.limits.requestTimeout.seconds))
        open(service)
        services[service]?.requests.append(waiting)
        dispatch(service, now: now)
    }

    private mutating func ready(_ identity: [UInt8], version: MDP.Version, service: String, user: String?, now: Date) {
        if let existing = workers[identity] {
            // READY from a worker already registered breaks the protocol: it is disconnected.
            remove(existing, reason: "sent READY twice", disconnect: true, now: now)
            return
        }
        let worker = user.map { "CURVE peer '\($0)'" } ?? "worker \(LogText.bytes(identity))"
        let refusal: (String, String)? =
            if service.hasPrefix(MMI.prefix) {
                ("reserved service", "\(worker) offered to serve \(LogText.quoted(service)), which the broker answers")
            } else if !admission.services.contains(service) {
                (
                    "unknown service",
                    "\(worker) offered to serve \(LogText.quoted(service)), which no policy or key names"
                )
            } else if !admission.mayServe(service, user: user) {
                ("service not allowed", "\(worker) may not serve '\(service)'")
            } else if workers.count >= options.limits.workers {
                ("too many workers", "\(worker) offered to serve '\(service)' with \(workers.count) workers registered")
            } else if (services[service]?.workers ?? 0) >= options.limits.workersPerService {
                ("too many workers for one service", "\(worker) offered to serve '\(service)', which has enough")
            } else {
                nil
            }
        if let (reason, line) = refusal {
            drop(reason, line)
            actions.append(.send(identity: identity, frames: MDP.disconnect(version)))
            return
        }
        let registered = Worker(
            identity: identity, version: version, service: service, name: user ?? LogText.bytes(identity),
            expiry: expiry(now), holding: nil)
        workers[identity] = registered
        open(service)
        services[service]?.workers += 1
        services[service]?.waitingWorkers.append(identity)
        log(
            .info, "worker ready",
            ["worker": "\(registered.name)", "service": "\(service)", "protocol": "\(version)"])
        dispatch(service, now: now)
    }

    private mutating func reply(
        from identity: [UInt8], version: MDP.Version, client: [UInt8], body: [[UInt8]], final: Bool, now: Date
    ) {
        guard var worker = workers[identity] else {
            drop("unknown worker", "reply from unknown worker \(LogText.bytes(identity))")
            // The worker is told to reconnect; its task (if any) was already taken back.
            actions.append(.send(identity: identity, frames: MDP.disconnect(version)))
            return
        }
        worker.expiry = expiry(now)
        guard let holding = worker.holding, holding.address == client else {
            workers[identity] = worker
            drop("no such request", "worker \(worker.name) replied for a request it does not hold (duplicate or late)")
            return
        }
        if final {
            worker.holding = nil
            workers[identity] = worker
            services[worker.service]?.waitingWorkers.append(identity)
        } else {
            workers[identity] = worker
        }
        switch holding {
        case .client(let address, let version):
            guard final || version == .v02 else { break }
            actions.append(
                .send(identity: address, frames: MDP.reply(version, service: worker.service, body: body, final: final)))
        case .task(let queued, _):
            taskReply(queued, worker: worker, body: body, final: final, now: now)
        case .lapsed:
            if final { drop("late reply", "worker \(worker.name) replied after its lease ended: ignored") }
        }
        if final { dispatch(worker.service, now: now) }
    }

    private mutating func taskReply(_ queued: QueuedTask, worker: Worker, body: [[UInt8]], final: Bool, now: Date) {
        guard let bytes = body.first, let reply = try? TaskReply.decode(bytes) else {
            if final {
                release(queued, reason: "worker \(worker.name) sent a reply that is not a TaskReply", now: now)
            } else {
                drop("malformed", "worker \(worker.name) sent progress that is not a TaskReply")
            }
            return
        }
        if reply.task != queued.id {
            log(
                .warning, "a reply names another task: taken as the one it answers",
                queued.logMetadata.merging(["named": "\(LogText.quoted(reply.task))"]) { $1 })
        }
        guard final else {
            if let progress = reply.progress { actions.append(.note(.progress(task: queued.id, progress))) }
            return
        }
        if let error = reply.error {
            if reply.retry == true {
                release(queued, reason: "worker \(worker.name): \(LogText.quoted(error, limit: 200))", now: now)
            } else {
                fail(queued, reason: "worker \(worker.name): \(LogText.quoted(error, limit: 200))")
            }
            return
        }
        guard let name = reply.event ?? queued.task.kind.replyEvent?.rawValue else {
            fail(queued, reason: "a '\(queued.task.kind.rawValue)' task has no reply event; the reply must name one")
            return
        }
        var data = reply.data ?? [:]
        data["task"] = .string(queued.id)
        let event: Event
        do {
            event = try Event(name: name, data: .object(data))
        } catch {
            fail(
                queued,
                reason: "worker \(worker.name)'s reply is not a valid \(LogText.quoted(name)): "
                    + LogText.quoted(error.message, limit: 200))
            return
        }
        actions.append(
            .complete(
                queued, event: event, data: String(decoding: JSONValue.object(data).serialized(), as: UTF8.self),
                worker: worker.name))
    }

    // MARK: - Tasks from the engine and the store

    private mutating func taskReady(_ queued: QueuedTask, now: Date) {
        // A task of a people's queue (or of a queue no policy names) is none of the broker's business: people take
        // it from their worklists, and no worker may ask for it.
        guard known[queued.id] == nil, admission.services.contains(queued.task.queue) else { return }
        known[queued.id] = queued.task.queue
        open(queued.task.queue)
        services[queued.task.queue]?.tasks.append(queued)
        dispatch(queued.task.queue, now: now)
    }

    private mutating func loaded(_ tasks: [QueuedTask], service: String, exhausted: Bool, now: Date) {
        open(service)
        services[service]?.loading = false
        services[service]?.mayHaveMore = !exhausted
        for task in tasks where known[task.id] == nil {
            known[task.id] = service
            services[service]?.tasks.append(task)
        }
        dispatch(service, now: now)
    }

    private mutating func taskResolved(_ id: String) {
        guard let service = known[id], services[service]?.tasks.removeFirst(where: { $0.id == id }) != nil else {
            return
        }
        known[id] = nil
        tidy(service)
    }

    private mutating func completed(_ queued: QueuedTask, result: Result<CommandOutcome, StoreError>, now: Date) {
        switch result {
        case .success(.applied):
            known[queued.id] = nil
        case .success(.rejected(let error, _)) where error.code == .staleTask || error.code == .notAccepted:
            known[queued.id] = nil
            drop(
                "stale reply", "task \(queued.id): the case no longer waits for it (\(error.message)); reply ignored",
                about: queued)
        case .success(.rejected(let error, _)):
            fail(queued, reason: "the case refused the reply: \(error.message)")
        case .success(.notFound(let id)):
            fail(queued, reason: "case \(id) does not exist")
        case .failure(let error):
            release(queued, reason: "the outcome could not be committed: \(error.message)", now: now)
        }
    }

    // MARK: - Time

    private mutating func tick(now: Date) {
        if now >= nextHeartbeat {
            for worker in workers.values {
                actions.append(.send(identity: worker.identity, frames: MDP.heartbeat(worker.version)))
            }
            nextHeartbeat = now.addingTimeInterval(options.heartbeat.seconds)
        }
        for worker in workers.values {
            if worker.expiry < now {
                remove(worker, reason: "no heartbeat for \(options.liveness) intervals", disconnect: true, now: now)
            } else if case .task(let queued, let leaseExpires) = worker.holding, leaseExpires < now {
                workers[worker.identity]?.holding = .lapsed(address: Holding.task(queued, leaseExpires: now).address)
                release(queued, reason: "the lease of worker \(worker.name) ran out", now: now)
            }
        }
        let timeout = options.limits.requestTimeout
        for (service, queue) in services where queue.requests.first.map({ $0.expires < now }) == true {
            while let request = services[service]?.requests.first, request.expires < now {
                _ = services[service]?.requests.popFirst()
                budget.release(request.bytes, for: request.peer)
                drop("request expired", "a request for '\(service)' waited \(timeout) for a worker")
            }
            tidy(service)
        }
    }

    /// When a `.tick` next has something to do.
    func nextDeadline() -> Date {
        var deadline = nextHeartbeat
        for worker in workers.values {
            deadline = min(deadline, worker.expiry)
            if case .task(_, let leaseExpires) = worker.holding { deadline = min(deadline, leaseExpires) }
        }
        for queue in services.values {
            if let request = queue.requests.first { deadline = min(deadline, request.expires) }
        }
        return deadline
    }

    // MARK: - Dispatch

    private mutating func dispatch(_ service: String, now: Date) {
        // Taken out of the books while it is worked on, so that its lists are changed in place, not copied first
        // (a copy the books still shared would be: its waiting workers, once for every task sent).
        guard var queue = services.removeValue(forKey: service) else { return }
        while queue.hasWork, !queue.waitingWorkers.isEmpty {
            let identity = queue.waitingWorkers.removeFirst()
            guard var worker = workers[identity], worker.holding == nil, let work = queue.popWork() else { continue }
            switch work {
            case .client(let request):
                budget.release(request.bytes, for: request.peer)
                worker.holding = .client(address: request.address, version: request.version)
                actions.append(
                    .send(
                        identity: identity,
                        frames: MDP.request(worker.version, client: request.address, body: request.body)))
            case .task(var queued):
                queued.attempts += 1
                let leaseExpires = now.addingTimeInterval(options.lease.seconds)
                let holding = Holding.task(queued, leaseExpires: leaseExpires)
                worker.holding = holding
                actions.append(
                    .send(
                        identity: identity,
                        frames: MDP.request(
                            worker.version, client: holding.address,
                            body: [queued.request(attempt: queued.attempts).encoded()])))
            }
            workers[identity] = worker
        }
        // The next page of the store's backlog is asked for before the queue runs dry, so workers never wait for it.
        if queue.tasks.count < Self.loadAhead && queue.mayHaveMore && !queue.loading && queue.workers > 0 {
            queue.loading = true
            let mine = Set(known.filter { $0.value == service }.keys)
            actions.append(.load(service: service, excluding: mine))
        }
        services[service] = queue
        tidy(service)
    }

    /// Opens a queue for `service` if it has none (the caller has checked that the name is admitted).
    private mutating func open(_ service: String) {
        guard services[service] == nil else { return }
        services[service] = ServiceQueue()
        seen.insert(service)
    }

    /// Drops the queue of `service` if nothing in it needs keeping.
    private mutating func tidy(_ service: String) {
        if services[service]?.isIdle == true { services[service] = nil }
    }

    /// Takes a worker out: it is told to disconnect (unless it said so itself, `saidSo`), and its task is offered
    /// again.
    ///
    /// A worker says DISCONNECT only with nothing in hand (it finishes a request before it stops or moves to another
    /// node), so a task sent to it less than a heartbeat before its DISCONNECT came crossed it on the wire and was
    /// never worked on: it goes back without that attempt counted. Later, the attempt counts (a worker that takes
    /// a task and leaves with it must not be able to offer it again for ever).
    private mutating func remove(_ worker: Worker, reason: String, disconnect: Bool, saidSo: Bool = false, now: Date) {
        workers[worker.identity] = nil
        services[worker.service]?.workers -= 1
        services[worker.service]?.waitingWorkers.removeAll { $0 == worker.identity }
        if disconnect { actions.append(.send(identity: worker.identity, frames: MDP.disconnect(worker.version))) }
        log(.info, "worker removed: \(reason)", ["worker": "\(worker.name)", "service": "\(worker.service)"])
        if case .task(var queued, let leaseExpires) = worker.holding {
            let sent = leaseExpires.addingTimeInterval(-options.lease.seconds)
            if saidSo && now.timeIntervalSince(sent) < options.heartbeat.seconds {
                queued.attempts -= 1
            }
            release(queued, reason: "worker \(worker.name): \(reason)", now: now)
        }
        tidy(worker.service)
    }

    /// The attempt ended without an outcome: the task goes back to the front of its queue, or is marked failed
    /// once it has had its attempts.
    private mutating func release(_ queued: QueuedTask, reason: String, now: Date) {
        guard queued.attempts < options.maxAttempts else {
            fail(queued, reason: "gave up after \(queued.attempts) attempts; the last: \(reason)")
            return
        }
        log(.info, "task offered again: \(reason)", queued.logMetadata)
        actions.append(.note(.released(task: queued.id, attempts: queued.attempts, reason: reason)))
        known[queued.id] = queued.task.queue
        open(queued.task.queue)
        services[queued.task.queue]?.tasks.pushFront(queued)
        dispatch(queued.task.queue, now: now)
    }

    private mutating func fail(_ queued: QueuedTask, reason: String) {
        log(.warning, "task failed: \(reason)", queued.logMetadata)
        known[queued.id] = nil
        actions.append(.note(.failed(task: queued.id, attempts: queued.attempts, reason: reason)))
    }

    /// Counts and logs a dropped message, with the task it was `about` when there is one.
    private mutating func drop(
        _ kind: String, _ line: @autoclosure () -> String, about queued: QueuedTask? = nil
    ) {
        dropped[kind, default: 0] += 1
        log(.warning, "dropped: \(line())", (queued?.logMetadata ?? [:]).merging(["reason": "\(kind)"]) { $1 })
    }

    /// Asks for a log line, if its level is logged at all: its text is built only then.
    private mutating func log(
        _ level: Logger.Level, _ message: @autoclosure () -> String, _ metadata: @autoclosure () -> Logger.Metadata
    ) {
        guard level >= logLevel else { return }
        actions.append(.log(level, message(), metadata()))
    }

    private func expiry(_ now: Date) -> Date {
        now.addingTimeInterval(options.heartbeat.seconds * Double(options.liveness))
    }

    // MARK: - Figures

    /// Queues and workers as they stand: every service that has had a queue (all of them admitted names), with
    /// zeros once it is empty.
    func snapshot() -> BrokerSnapshot {
        var queues: [String: BrokerSnapshot.Queue] = [:]
        for name in seen {
            let queue = services[name]
            queues[name] = BrokerSnapshot.Queue(
                waitingTasks: queue?.tasks.count ?? 0, waitingRequests: queue?.requests.count ?? 0, leased: 0,
                workers: queue?.workers ?? 0, idleWorkers: queue?.waitingWorkers.count ?? 0)
        }
        var list: [BrokerSnapshot.Worker] = []
        for worker in workers.values {
            var task: String?
            var leaseExpires: Date?
            if case .task(let queued, let expires) = worker.holding {
                queues[worker.service]?.leased += 1
                task = queued.id
                leaseExpires = expires
            }
            list.append(
                BrokerSnapshot.Worker(
                    name: worker.name, service: worker.service, protocolVersion: worker.version.description,
                    task: task, leaseExpires: leaseExpires,
                    lastHeard: worker.expiry.addingTimeInterval(-options.heartbeat.seconds * Double(options.liveness)),
                    expires: worker.expiry))
        }
        return BrokerSnapshot(queues: queues, workers: list.sorted { $0.name < $1.name }, dropped: dropped)
    }

    /// What the broker holds for peers, for tests of its limits: queues, workers, waiting requests and the peers
    /// they came from, tasks it knows.
    var holdings: (queues: Int, workers: Int, requests: Int, requestBytes: Int, peers: Int, tasks: Int) {
        (services.count, workers.count, budget.count, budget.bytes, budget.peers, known.count)
    }
}
