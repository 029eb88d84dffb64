import CareJourneyBroker
import CareJourneyClock
import CareJourneyCore
import CareJourneyStore
import Foundation
import Logging
import ServiceLifecycle
import Testing

/// Options with fast heartbeats (100 ms, liveness 3), so a dead worker is noticed within a test.
public func fastOptions(
    endpoint: String = "tcp://127.0.0.1:*", lease: Duration = .seconds(30), heartbeat: Duration = .milliseconds(100)
) -> BrokerOptions {
    BrokerOptions(endpoint: endpoint, events: nil, heartbeat: heartbeat, liveness: 3, lease: lease)
}

/// Runs `body` with a store (a new one of the kind the tests run on, unless given: `TestStore`), an engine and a
/// broker running on it, then stops the broker and the engine (which commits what it holds). Structured, as
/// `LiveServer.with` is: however `body` ends, returning or throwing, nothing it started on the broker's side is left
/// running. On PostgreSQL the engine and broker are the node `node`'s (two at once on one store are two nodes).
///
/// ```swift
/// let store = try await TestStore.fresh()
/// try await withBroker(store: store) { harness in
///     let (id, task) = try await harness.caseWithABrokerageTask()
///     …
/// }
/// #expect(try await store.verify().isClean)
/// ```
public func withBroker<T: Sendable>(
    store: TestStore? = nil, node: String = "test", options: BrokerOptions = fastOptions(),
    _ body: @Sendable (BrokerHarness) async throws -> T
) async throws -> T {
    let testStore = if let store { store } else { try await TestStore.fresh() }
    return try await testStore.withStore(node: node) { store in
        let engine = try await Engine(store: store, policy: try shippedPolicy())
        var logger = Logger(label: "test.broker")
        logger.logLevel = .critical
        let broker = Broker(engine: engine, clock: WallClock(), options: options, logger: logger)
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                await engine.run()
                return nil
            }
            group.addTask {
                try await broker.run()
                return nil
            }
            let endpoint = try #require(await broker.boundEndpoints()?.mdp, "the broker is listening")
            let harness = BrokerHarness(
                store: store, testStore: testStore, engine: engine, broker: broker, endpoint: endpoint)
            let result = try await body(harness)
            group.cancelAll()
            try await group.waitForAll()
            return result
        }
    }
}

/// Runs `service` (a worker, say) beside `body`, then stops it as a graceful shutdown would (cancelling it, which a
/// `ServiceThread` service takes as its stop) and waits for it to return; the same when `body` throws.
public func withRunning<T: Sendable>(_ service: some Service, _ body: @Sendable () async throws -> T) async throws -> T
{
    try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask {
            try await service.run()
            return nil
        }
        let result = try await body()
        group.cancelAll()
        try await group.waitForAll()
        return result
    }
}

/// A store, an engine and a broker running on it (`withBroker`), with what tests ask of them.
public struct BrokerHarness: Sendable {
    /// The store, open while `withBroker`'s body runs.
    public let store: any CareStore
    /// The same store, to open again once `withBroker` has returned (`TestStore.verify`).
    public let testStore: TestStore
    public let engine: Engine
    public let broker: Broker
    /// The broker's MDP endpoint, as bound.
    public let endpoint: String

    /// Opens a case and takes it to delivery: it then has an open `find-provider` task on `brokerage`.
    public func caseWithABrokerageTask(name: String = "Ada") async throws -> (CaseID, String) {
        let signedOff = try await engine.signedOff(at: Date(), name: name)
        let task = try #require(signedOff.state.openTask(.findProvider))
        return (signedOff.state.id, task.id.description)
    }

    /// The task's status in the store.
    public func status(of task: String) async throws -> String? {
        try await store.taskStatus(task)
    }

    /// Waits until `condition` holds (asked every 20 ms), up to `seconds`.
    public func eventually(_ seconds: Double = 5, _ condition: () async throws -> Bool) async throws -> Bool {
        try await CareJourneyTestSupport.eventually(seconds, every: .milliseconds(20), condition)
    }

    /// Every case replayed from its history and compared with what is stored, while the engine runs.
    public func verify() async throws -> VerificationReport {
        try await store.verify(.all, limit: 100, progress: nil)
    }

    /// How many events of `name` the case has.
    public func count(_ name: String, in id: CaseID) async throws -> Int {
        try await store.record(of: id)?.history.filter { $0.name == name }.count ?? 0
    }
}
