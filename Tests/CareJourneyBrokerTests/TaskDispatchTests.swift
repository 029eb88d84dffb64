import CareJourneyBroker
import CareJourneyCore
import CareJourneyWire
import CareJourneyWorker
import Foundation
import Synchronization
import ServiceLifecycle
import Testing
import ZeroMQ
import CareJourneyTestSupport

/// The engine's tasks through the broker, with real sockets.
@Suite(.serialized) struct TaskDispatchTests {
    @Test func aTaskReachesAWorkerAndItsFinalReplyBecomesOneEvent() async throws {
        // Slow heartbeats: the raw worker here does not send its own.
        let store = try await withBroker(options: fastOptions(heartbeat: .seconds(10))) { harness in
            let (id, task) = try await harness.caseWithABrokerageTask()
            let worker = try RawPeer(harness.endpoint)
            try worker.send(MDP.fromWorker(.v02, .ready, service: "brokerage"))
            let request = try #require(try worker.receive())
            // MDP/0.2: header, REQUEST, client address, empty frame, body.
            #expect(String(request[0]) == "MDPW02")
            #expect(request[1] == [0x02])
            #expect(request[3].isEmpty)
            let body = try TaskRequest.decode(request[4])
            #expect(body.task == task)
            #expect(body.caseID == id.rawValue)
            #expect(body.kind == "find-provider")
            #expect(body.queue == "brokerage")
            #expect(body.attempt == 1)
            #expect(body.brief["weeklyBudget"] == .number(320))
            #expect(body.brief["name"] == nil, "brokerage is not told who the person is")

            let client = request[2]
            try worker.send(
                MDP.fromWorker(
                    .v02, .partial, client: client, body: [TaskReply(task: task, progress: "matching").encoded()]))
            let final = TaskReply(task: task, data: ["provider": "Sunrise Home Care", "weeklyCost": 215.5]).encoded()
            try worker.send(MDP.fromWorker(.v02, .final, client: client, body: [final]))
            #expect(try await harness.eventually { try await harness.status(of: task) == "completed" })
            // The same final reply again is dropped by the broker and changes nothing.
            try worker.send(MDP.fromWorker(.v02, .final, client: client, body: [final]))
            #expect(
                try await harness.eventually { harness.broker.snapshot.dropped["no such request"] == 1 },
                "dropped: \(harness.broker.snapshot.dropped)")
            #expect(try await harness.count("provider-found", in: id) == 1)
            let record = try #require(try await harness.store.record(of: id))
            #expect(record.state.provider?.provider == "Sunrise Home Care")
            #expect(record.history.last?.actor.hasPrefix("worker ") == true)
            #expect(record.tasks.first { $0.id == task }?.attempts == 1)
            #expect(record.tasks.first { $0.id == task }?.progress == "matching")
            worker.close()
            return harness.testStore
        }
        #expect(try await store.verify().isClean)
    }

    @Test func aWorkerKilledMidTaskHasItsTaskRedeliveredAndCompletedOnce() async throws {
        // Heartbeats of a second on every side, each taken for dead after three silent ones: the killed worker after
        // three seconds, the SDK's below (which hears the broker every second, and is heard as often) only in a stall
        // of two. With the tests' usual 100 ms broker, the SDK's worker was taken for dead too whenever the machine
        // ran slowly (a 300 ms window), and its task went out a third time.
        let store = try await withBroker(options: fastOptions(heartbeat: .seconds(1))) { harness in
            let (id, task) = try await harness.caseWithABrokerageTask()
            // A Python worker (MDP/0.1 from the RFC) takes the task and never answers; then it is killed.
            let python = Process()
            python.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            python.arguments = [
                "python3", Repository.root.appendingPathComponent("examples/workers/python/mdp_worker.py").path,
                "--broker", harness.endpoint, "--service", "brokerage", "--protocol", "0.1", "--die-after", "0",
                "--heartbeat", "1",
            ]
            let output = Pipe()
            python.standardOutput = output
            try python.run()
            // It says when it has taken the task; then it is killed, holding it.
            var said = ""
            let deadline = Date().addingTimeInterval(10)
            while !said.contains("taking task \(task)") && Date() < deadline {
                said += String(decoding: output.fileHandleForReading.availableData, as: UTF8.self)
            }
            #expect(said.contains("taking task \(task) and dying"), "the Python worker said: \(said)")
            kill(python.processIdentifier, SIGKILL)
            python.waitUntilExit()

            // Another worker (the Swift SDK, MDP/0.2) gets it as attempt 2 once the first is taken for dead.
            let attempts = Attempts()
            let sdk = TaskWorker(
                options: WorkerOptions(brokers: [harness.endpoint], service: "brokerage", heartbeat: .seconds(1))
            ) { request, _ in
                attempts.add(request.attempt)
                return .done(["provider": "Peak District Support", "weeklyCost": 260])
            }
            try await withRunning(sdk) {
                #expect(try await harness.eventually(15) { try await harness.status(of: task) == "completed" })
                #expect(attempts.all == [2])
                #expect(try await harness.count("provider-found", in: id) == 1)
                let record = try #require(try await harness.store.record(of: id)?.tasks.first { $0.id == task })
                #expect(record.attempts == 2)
                #expect(record.lastError?.contains("no heartbeat") == true, "\(record.lastError ?? "no reason")")
            }
            return harness.testStore
        }
        #expect(try await store.verify().isClean)
    }

    @Test func aLeaseThatRunsOutOffersTheTaskAgainAndTheLateReplyIsIgnored() async throws {
        // Heartbeats of seconds: the slow worker must outlive its lease, not be taken for dead on a busy machine. The
        // lease is the quick worker's too: three seconds, so that only a stall of that long between its request and
        // its reply makes that reply late as well (with 400 ms, a slow moment did).
        try await withBroker(options: fastOptions(lease: .seconds(3), heartbeat: .seconds(2))) { harness in
            let (id, task) = try await harness.caseWithABrokerageTask()
            let slow = try RawPeer(harness.endpoint)
            try slow.send(MDP.fromWorker(.v02, .ready, service: "brokerage"))
            let first = try #require(try slow.receive())
            // The slow worker keeps heartbeating, but holds the task past its lease.
            let quick = try RawPeer(harness.endpoint)
            try quick.send(MDP.fromWorker(.v02, .ready, service: "brokerage"))
            var second: [[UInt8]]?
            _ = try await eventually(20, every: .zero) {
                try slow.send(MDP.fromWorker(.v02, .heartbeat))
                try quick.send(MDP.fromWorker(.v02, .heartbeat))
                second = try quick.receive(within: 0.1)
                return second != nil
            }
            let request = try #require(second)
            #expect(try TaskRequest.decode(request[4]).attempt == 2)
            try quick.send(
                MDP.fromWorker(
                    .v02, .final, client: request[2],
                    body: [TaskReply(task: task, data: ["provider": "Quick Care", "weeklyCost": 200]).encoded()]))
            #expect(try await harness.eventually { try await harness.status(of: task) == "completed" })
            try slow.send(
                MDP.fromWorker(
                    .v02, .final, client: first[2],
                    body: [TaskReply(task: task, data: ["provider": "Slow Care", "weeklyCost": 100]).encoded()]))
            #expect(try await harness.eventually { harness.broker.snapshot.dropped["late reply"] == 1 })
            #expect(try await harness.store.record(of: id)?.state.provider?.provider == "Quick Care")
            #expect(try await harness.count("provider-found", in: id) == 1)
        }
    }

    @Test func aWorkerGivenTwoNodesServesTheSecondWhenTheFirstGoesDown() async throws {
        // Two free endpoints, from brokers run only to bind them; the nodes' brokers bind them again.
        let first = try await withBroker { probe in probe.endpoint }
        let second = try await withBroker { probe in probe.endpoint }
        // Heartbeats of a second on every side, each taken for dead after three silent ones: the worker moves on from
        // the first node three seconds after it goes, and only a stall of two seconds moves it (or drops it) sooner.
        // (With a broker's 100 ms, a worker silent for 300 ms on a busy machine was dropped; with the worker's one
        // second of silence, a broker held up that long sent it to the standby, from which it returns after a minute.)
        let sdk = TaskWorker(
            options: WorkerOptions(
                brokers: [first, second], service: "brokerage", heartbeat: .seconds(1),
                reconnectDelay: .milliseconds(50), maxReconnectDelay: .milliseconds(200))
        ) { _, _ in .done(["provider": "Sunrise Home Care", "weeklyCost": 215.5]) }
        try await withBroker(options: fastOptions(endpoint: second, heartbeat: .seconds(1))) { standby in
            // The worker starts once the first node is up (it would move on from a first node still starting), and
            // runs on after that node has gone; a failed expectation stops it too.
            let worker = StartedLater()
            defer { worker.cancel() }
            try await withBroker(options: fastOptions(endpoint: first, heartbeat: .seconds(1))) { node in
                worker.start(sdk)
                let (_, task) = try await node.caseWithABrokerageTask(name: "Before")
                #expect(try await node.eventually(15) { try await node.status(of: task) == "completed" })
            }
            // The first node is down; a task waits on the second, which the worker moves on to.
            let (_, task) = try await standby.caseWithABrokerageTask(name: "After")
            #expect(try await standby.eventually(20) { try await standby.status(of: task) == "completed" })
            #expect(sdk.statistics.connections >= 2, "a connection to each node")
            try await worker.stopped()
        }
    }

    @Test func theBrokerRestartsAndWorkersReconnectWithNothingLost() async throws {
        let store = try await TestStore.fresh()
        // A free endpoint, from a broker run only to bind it: the worker calls it, and the brokers bind it again.
        let endpoint = try await withBroker(store: store) { probe in probe.endpoint }
        let done = Attempts()
        let sdk = TaskWorker(
            options: WorkerOptions(
                brokers: [endpoint], service: "brokerage", heartbeat: .milliseconds(100),
                reconnectDelay: .milliseconds(50), maxReconnectDelay: .milliseconds(200))
        ) { request, _ in
            done.add(request.attempt)
            return .done(["provider": "Sunrise Home Care", "weeklyCost": 215.5])
        }
        try await withRunning(sdk) {
            try await withBroker(store: store, options: fastOptions(endpoint: endpoint)) { first in
                let (_, before) = try await first.caseWithABrokerageTask(name: "Before")
                #expect(try await first.eventually { try await first.status(of: before) == "completed" })
            }

            // While the broker is down, a task is committed: it waits in the store.
            let during = try await withBroker(store: store, options: fastOptions()) { meanwhile in
                let during = try await meanwhile.caseWithABrokerageTask(name: "During").1
                #expect(try await meanwhile.status(of: during) == "open")
                return during
            }
            try await withBroker(store: store, options: fastOptions(endpoint: endpoint)) { second async throws in
                #expect(try await second.eventually(10) { try await second.status(of: during) == "completed" })
                #expect(sdk.statistics.connections >= 2, "the worker reconnected")
            }
        }
        #expect(try await store.verify().isClean)
    }
}

@Suite(.serialized) struct WorkerSlotsTests {
    @Test func oneWorkerThreadServesSeveralMDPWorkersAtOnce() async throws {
        // Heartbeats of two seconds on both sides: each side hears the other well within the other's liveness (six
        // seconds), so only a stall of seconds reconnects a slot. With the broker's 100 ms (taken for dead after
        // 300 ms) and the worker's 500 ms, every slot was dropped and reconnected whenever the test ran slowly (CI).
        try await withBroker(options: fastOptions(heartbeat: .seconds(2))) { harness in
            var tasks: [String] = []
            for n in 0..<6 { tasks.append(try await harness.caseWithABrokerageTask(name: "Person \(n)").1) }
            let answered = Attempts()
            let sdk = TaskWorker(
                options: WorkerOptions(
                    brokers: [harness.endpoint], service: "brokerage", heartbeat: .seconds(2), slots: 3),
                answer: { request, progress in
                    progress("matching")
                    answered.add(request.attempt)
                    return .done(["provider": "Sunrise Home Care", "weeklyCost": 215.5])
                })
            let all = tasks
            try await withRunning(sdk) { () async throws in
                #expect(try await harness.eventually { harness.broker.snapshot.queues["brokerage"]?.workers == 3 })
                #expect(
                    try await harness.eventually {
                        for task in all where try await harness.status(of: task) != "completed" { return false }
                        return true
                    })
                #expect(answered.all == Array(repeating: 1, count: 6))
                #expect(sdk.statistics.connections == 3)
            }
            #expect(
                try await harness.eventually { harness.broker.snapshot.workers.isEmpty }, "each slot said DISCONNECT")
        }
    }
}

/// Attempt numbers seen by a worker, from any task.
final class Attempts: @unchecked Sendable {
    private let lock = NSLock()
    private var seen: [Int] = []
    func add(_ attempt: Int) { lock.withLock { seen.append(attempt) } }
    var all: [Int] { lock.withLock { seen } }
}

/// A service started in the middle of a test and stopped at its end (cancelled, as a graceful shutdown would), or
/// cancelled by the test's `defer` when an expectation throws first.
private final class StartedLater: Sendable {
    private let task = Mutex<Task<Void, any Error>?>(nil)

    func start(_ service: some Service & Sendable) {
        task.withLock { $0 = Task { try await service.run() } }
    }

    func cancel() { task.withLock { $0?.cancel() } }

    /// Cancels the service and waits until it has returned.
    func stopped() async throws {
        let running = task.withLock { $0 }
        running?.cancel()
        try await running?.value
    }
}
