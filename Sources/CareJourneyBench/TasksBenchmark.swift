import CareJourneyClock
import ArgumentParser
import CareJourneyBroker
import CareJourneyCore
import CareJourneyKit
import CareJourneyStore
import CareJourneyWire
import Foundation
import Logging
import Synchronization
import ZeroMQ

/// Tasks end to end through the broker (commit → dispatch → worker → reply → committed event), pipelined with
/// several workers and lock-step, beside the raw libzmq figure for one broker hop measured in the same run.
struct TasksBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tasks", abstract: "End-to-end tasks per second and lock-step latency through the MDP broker.")

    @Option(help: "Tasks in each pipelined run.")
    var tasks = 20_000

    @Option(help: "MDP workers serving the queue at once.")
    var workers = 16

    @Option(help: "MDP workers served by each worker thread (slots), as a worker process serving several would.")
    var slots = 8

    @Option(help: "Round trips in the lock-step runs.")
    var lockStep = 2_000

    @Option(help: "The policy file.")
    var policy = benchmarkPolicyPath()

    func run() async throws {
        var rules = try PolicyFile.load(policy)
        // The benchmark's tasks are safeguarding decisions (one event makes one, on any open case): people serve that
        // queue in a council's policy, and the broker leaves people's queues alone, so here workers serve it.
        rules.servedBy?["safeguarding"] = .workers
        print(
            "carejourney-bench tasks: \(tasks) tasks, \(workers) workers, synchronous=FULL, libzmq \(ZMQContext.version), \(Allocator.name)"
        )
        let raw = try RawHop.measure(roundTrips: lockStep, inFlight: 100)
        print(
            String(
                format:
                    "  raw libzmq, one broker hop (DEALER→ROUTER→DEALER and back): lock-step p50 %.0f µs, p99 %.0f µs; %.0f round trips/s with 100 in flight",
                raw.p50 * 1e6, raw.p99 * 1e6, raw.rate))

        let bench = try await Setup(policy: rules)
        defer { Task { try? await bench.stop() } }

        // Pipelined, from a backlog: tasks committed while no worker was connected, then drained.
        let backlog = try await bench.openCases(tasks, withConcerns: true)
        let before = bench.engine.statistics
        let cpuBefore = processorSeconds()
        let drained = try await bench.timeCompletions(backlog) { bench.workers.start(workers, slots: slots) }
        let after = bench.engine.statistics
        let cpu = processorSeconds() - cpuBefore
        print(
            String(
                format:
                    "  (while draining: %d commits of %.0f commands on average; writer thread busy %.0f%%; the process used %.1f of 2 cores, %.0f µs of processor time a task)",
                after.batches - before.batches,
                Double(after.commands - before.commands) / Double(max(after.batches - before.batches, 1)),
                (after.writerCPUSeconds - before.writerCPUSeconds) / drained * 100, cpu / drained,
                cpu / Double(tasks) * 1e6))
        print(
            String(
                format:
                    "  pipelined, a committed backlog drained by %d workers (%d threads of %d): %d tasks in %.2f s = %.0f tasks/s (goal >= 22,000)",
                workers, (workers + slots - 1) / slots, slots, tasks, drained, Double(tasks) / drained))

        // Pipelined, tasks created while workers serve: the creating commit is inside the measured path.
        let fresh = try await bench.openCases(tasks, withConcerns: false)
        let flowing = try await bench.timeCompletions(fresh) { try await bench.raiseConcerns(on: fresh) }
        print(
            String(
                format:
                    "  pipelined, each task created by a command while %d workers serve (2 commits a task): %.0f tasks/s",
                workers, Double(tasks) / flowing))

        // Lock-step: one task at a time, from the commit that creates it to the commit of its outcome.
        let single = try await bench.openCases(lockStep, withConcerns: false)
        var latencies: [Double] = []
        for id in single {
            latencies.append(try await bench.lockStep(id))
        }
        latencies.sort()
        print(
            String(
                format:
                    "  lock-step, commit of the task → committed outcome: p50 %.2f ms, p99 %.2f ms (goal p50 <= 1 ms)",
                latencies[latencies.count / 2] * 1e3, latencies[latencies.count * 99 / 100] * 1e3))
        print(String(format: "  peak memory: %.0f MiB", peakMemoryMiB()))
        try await bench.stop()
    }
}

/// A store, engine, broker and in-process workers for the tasks benchmark.
private final class Setup: Sendable {
    let engine: Engine
    let broker: Broker
    let workers: WorkerPool
    private let running: Task<Void, any Error>
    private let outcomes: TaskOutcomes
    private let concerns: SafeguardingConcerns

    init(policy: Policy) async throws {
        concerns = try SafeguardingConcerns()
        let store = try CaseStore(directory: scratchDirectory("tasks"))
        engine = try await Engine(store: store, policy: policy)
        var quiet = Logger(label: "bench")
        quiet.logLevel = .error
        broker = Broker(
            engine: engine, clock: WallClock(), options: BrokerOptions(endpoint: "tcp://127.0.0.1:*", events: nil),
            logger: quiet)
        let (engine, broker) = (engine, broker)
        running = Task {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await engine.run() }
                group.addTask { try await broker.run() }
                try await group.waitForAll()
            }
        }
        guard let bound = await broker.boundEndpoints() else { throw ValidationError("the broker did not start") }
        workers = WorkerPool(endpoints: [bound.mdp])
        outcomes = TaskOutcomes(watching: [engine])
    }

    func stop() async throws {
        await workers.stop()
        running.cancel()
        try await running.value
    }

    /// Opens `count` cases (and, with `withConcerns`, raises a safeguarding concern on each: a task for the
    /// `safeguarding` queue), from many clients at once.
    func openCases(_ count: Int, withConcerns: Bool) async throws -> [CaseID] {
        let ids = try await concerns.openCases(count, over: [engine])
        if withConcerns { try await raiseConcerns(on: ids) }
        return ids
    }

    func raiseConcerns(on ids: [CaseID]) async throws {
        try await concerns.raise(on: ids, over: [engine])
    }

    /// Seconds from `start` until the outcome of every case in `ids` is committed.
    func timeCompletions(_ ids: [CaseID], start: () async throws -> Void) async throws -> Double {
        try await outcomes.time(ids, start: start)
    }

    /// Seconds from the commit that creates one task to the commit of its outcome.
    func lockStep(_ id: CaseID) async throws -> Double {
        outcomes.expect([id])
        let waited = Task { await outcomes.allDone() }
        _ = try await engine.apply(Command(caseID: id, event: concerns.concern, actor: "bench", at: Date()))
        let committed = ContinuousClock.now
        await waited.value
        return ((outcomes.committed(id) ?? ContinuousClock.now) - committed).inSeconds
    }
}

/// The raw libzmq figure: a client DEALER, a ROUTER that forwards (the broker's one hop), a worker DEALER.
private enum RawHop {
    struct Figures {
        let p50: Double
        let p99: Double
        let rate: Double
    }

    static func measure(roundTrips: Int, inFlight: Int) throws -> Figures {
        let context = ZMQContext()
        let router = try ZMQSocket(context, .router)
        try router.bind("tcp://127.0.0.1:*")
        let endpoint = router.lastEndpoint
        let stop = Mutex(false)
        let forwarder = Thread {
            // Client messages are [client, body] → [worker, client, body]; worker replies come back the same way.
            var worker: [UInt8]?
            defer { router.close() }
            guard let poller = try? ZMQPoller(), (try? poller.add(router)) != nil else { return }
            while !stop.withLock({ $0 }) {
                guard (try? poller.wait(milliseconds: 50))?.first == true else { continue }
                while let message = try? router.receive(dontWait: true) {
                    let frames = message.frames
                    if frames.count == 2, frames[1] == Array("ready".utf8) {
                        worker = frames[0]
                    } else if frames.count == 3, let worker, frames[0] == worker {
                        try? router.send([frames[1], frames[2]])
                    } else if let worker {
                        try? router.send([worker, frames[0]] + frames.dropFirst())
                    }
                }
            }
        }
        forwarder.start()
        let echo = Thread {
            guard let socket = try? ZMQSocket(context, .dealer) else { return }
            defer { socket.close() }
            try? socket.connect(endpoint)
            try? socket.send([Array("ready".utf8)])
            guard let poller = try? ZMQPoller(), (try? poller.add(socket)) != nil else { return }
            while !stop.withLock({ $0 }) {
                guard (try? poller.wait(milliseconds: 50))?.first == true else { continue }
                while let message = try? socket.receive(dontWait: true) { try? socket.send(message.frames) }
            }
        }
        echo.start()
        let client = try ZMQSocket(context, .dealer)
        try client.connect(endpoint)
        Thread.sleep(forTimeInterval: 0.2)
        let body = [UInt8](repeating: 1, count: 300)
        var latencies: [Double] = []
        for _ in 0..<roundTrips {
            let start = ContinuousClock.now
            try client.send([body])
            _ = try client.receive()
            latencies.append(elapsed(since: start))
        }
        latencies.sort()
        let began = ContinuousClock.now
        var sent = 0
        var received = 0
        let total = roundTrips * 10
        while received < total {
            while sent < total && sent - received < inFlight {
                try client.send([body])
                sent += 1
            }
            _ = try client.receive()
            received += 1
        }
        let rate = Double(total) / elapsed(since: began)
        stop.withLock { $0 = true }
        client.close()
        while forwarder.isExecuting || echo.isExecuting { Thread.sleep(forTimeInterval: 0.01) }
        return Figures(p50: latencies[latencies.count / 2], p99: latencies[latencies.count * 99 / 100], rate: rate)
    }
}
