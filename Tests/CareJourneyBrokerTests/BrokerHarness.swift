import CareJourneyClock
import CareJourneyBroker
import CareJourneyCore
import CareJourneyKit
import CareJourneyStore
import CareJourneyWire
import Foundation
import Logging
import CareJourneyTestSupport
import Testing
import ZeroMQ


/// Options with fast heartbeats (100 ms, liveness 3), so a dead worker is noticed within a test.
func fastOptions(
    endpoint: String = "tcp://127.0.0.1:*", lease: Duration = .seconds(30), heartbeat: Duration = .milliseconds(100)
) -> BrokerOptions {
    BrokerOptions(endpoint: endpoint, events: nil, heartbeat: heartbeat, liveness: 3, lease: lease)
}

/// A store, an engine and a broker running on it; `stop()` shuts them down gracefully.
final class BrokerHarness: Sendable {
    let store: CaseStore
    let engine: Engine
    let broker: Broker
    let endpoint: String
    private let running: Task<Void, any Error>

    init(directory: String = temporaryDirectory(), options: BrokerOptions = fastOptions()) async throws {
        store = try CaseStore(directory: directory)
        engine = try Engine(store: store, policy: try shippedPolicy())
        var logger = Logger(label: "test.broker")
        logger.logLevel = .critical
        broker = Broker(engine: engine, clock: WallClock(), options: options, logger: logger)
        let (engine, broker) = (engine, broker)
        running = Task {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await engine.run() }
                group.addTask { try await broker.run() }
                try await group.waitForAll()
            }
        }
        endpoint = try #require(await broker.boundEndpoints()?.mdp)
    }

    /// Stops the broker, then the engine (which commits what it holds).
    func stop() async throws {
        running.cancel()
        try await running.value
    }

    /// Opens a case and takes it to delivery: it then has an open `find-provider` task on `brokerage`.
    func caseWithABrokerageTask(name: String = "Ada") async throws -> (CaseID, String) {
        let contact = try Event(name: "contact", data: ["name": .string(name), "clientType": "adult", "route": "gp"])
        guard
            case .applied(let opened) = try await engine.apply(
                Command(caseID: nil, event: contact, actor: "test", at: Date()))
        else { throw TestFailure("contact was not applied") }
        let id = opened.state.id
        var last = opened
        for step in EventCatalog.pathToDelivery {
            let event = try Event(name: step.name.rawValue, data: step.data)
            guard
                case .applied(let committed) = try await engine.apply(
                    Command(caseID: id, event: event, actor: "test", at: Date()))
            else { throw TestFailure("\(step.name) was not applied") }
            last = committed
        }
        let task = try #require(last.state.openTask(.findProvider))
        return (id, task.id.description)
    }

    /// The task's status in the store.
    func status(of task: String) throws -> String? {
        try store.taskStatus(task)
    }

    /// Waits until `condition` holds (polling every 20 ms), up to `seconds`.
    func eventually(_ seconds: Double = 5, _ condition: () throws -> Bool) async throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try condition() { return true }
            try await Task.sleep(for: .milliseconds(20))
        }
        return try condition()
    }

    /// How many events of `name` the case has.
    func count(_ name: String, in id: CaseID) async throws -> Int {
        try await store.record(of: id)?.history.filter { $0.name == name }.count ?? 0
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A raw peer on a DEALER socket, for speaking MDP frame by frame (and breaking it on purpose).
final class RawPeer {
    let socket: ZMQSocket

    init(
        _ endpoint: String, context: ZMQContext = ZMQContext(),
        curve: (server: String, public: String, secret: String)? = nil
    )
        throws
    {
        socket = try ZMQSocket(context, .dealer)
        if let curve {
            try socket.set(.curveClient(serverKey: curve.server, publicKey: curve.public, secretKey: curve.secret))
        }
        try socket.connect(endpoint)
    }

    func send(_ frames: [[UInt8]]) throws { try socket.send(frames) }

    func send(_ frames: [String]) throws { try socket.send(frames.map { Array($0.utf8) }) }

    /// The next message, or `nil` after `seconds`; heartbeats are skipped unless `heartbeats`.
    func receive(within seconds: Double = 3, heartbeats: Bool = false) throws -> [[UInt8]]? {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            var poller = ZMQPoller()
            poller.add(socket)
            let ready = try poller.wait(milliseconds: max(1, Int(deadline.timeIntervalSinceNow * 1000)))
            guard ready[0], let message = try socket.receive(dontWait: true) else { continue }
            if !heartbeats, Self.isHeartbeat(message.frames) { continue }
            return message.frames
        }
        return nil
    }

    static func isHeartbeat(_ frames: [[UInt8]]) -> Bool {
        for version in [MDP.Version.v01, .v02] {
            if frames == MDP.heartbeat(version) { return true }
        }
        return false
    }

    func close() { socket.close() }
}

extension String {
    init(_ bytes: [UInt8]) { self = String(decoding: bytes, as: UTF8.self) }
}
