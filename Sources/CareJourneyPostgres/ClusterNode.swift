import CareJourneyClock
import CareJourneyCore
import CareJourneyStore
import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle

/// What a `serve` node of a store shared by several does besides its own work, as one `Service`:
///
/// - keeps its presence (`NodePresence`): seen every `touchEvery`; when PostgreSQL restarts or fails over, it takes
///   the presence again as soon as the store answers, and stops the node only if an offline tool took the store;
/// - follows the other nodes' feeds (`FeedReader.follow`, on a connection of its own, again after any failure) and
///   gives their events, replayed (`ForeignEvents`), their removals and their figures to `Engine.absorb`: this
///   node's event stream, live pages, metrics and timer service see every node's commits;
/// - renews its task leases every `leasesEvery`, then tells the broker (`tasksMayHaveCome`) to look in the store
///   again, where a dead node's tasks come free once their leases lapse.
///
/// ```swift
/// let cluster = ClusterNode(store: store, presence: presence, engine: engine, clock: clock) { broker.lookForTasksAgain() }
/// let group = ServiceGroup(services: [store, engine, cluster, timers, broker, …], …)
/// ```
public final class ClusterNode: Service {
    /// How often each of its duties runs.
    public struct Options: Sendable {
        /// How often the node records that it is alive (and finds out whether it still holds the store).
        public var touchEvery: Duration = .seconds(5)
        /// How often the feeds are read when no doorbell rings.
        public var pollEvery: Duration = .seconds(1)
        /// How often its task leases are renewed and the store looked at for tasks come free: a third of the lease.
        public var leasesEvery: Duration = .seconds(10)
        /// The first wait before connecting again after a failure; it doubles up to `longestWait`.
        public var firstWait: Duration = .milliseconds(250)
        /// The longest wait between two attempts to reach the store.
        public var longestWait: Duration = .seconds(10)

        /// The defaults: touch every 5 s, poll every second, leases every 10 s (of 30 s).
        public init() {}
    }

    private let store: PostgresStore
    private let presence: NodePresence
    private let engine: Engine
    private let clock: any CareClock
    private let options: Options
    private let leases: TaskLeases
    private let tasksMayHaveCome: @Sendable () -> Void
    private let logger: Logger

    /// A node's cluster duties for `engine`, which runs on `store`, while `presence` is held.
    public init(
        store: PostgresStore, presence: NodePresence, engine: Engine, clock: any CareClock, options: Options = Options(),
        logger: Logger = Logger(label: "carejourney.cluster"), tasksMayHaveCome: @escaping @Sendable () -> Void
    ) {
        self.store = store
        self.presence = presence
        self.engine = engine
        self.clock = clock
        self.options = options
        leases = TaskLeases(node: store.node, timeouts: store.timeouts)
        self.tasksMayHaveCome = tasksMayHaveCome
        self.logger = logger
    }

    /// Runs the duties until a graceful shutdown; throws only when the node must stop serving: an offline tool took
    /// the store.
    ///
    /// At a shutdown the duties are cancelled and given `stopWithin` to end: a statement postgres-nio never answers
    /// (on a connection that closed as it was written) must not keep the node from stopping, and nothing they hold
    /// needs them to end (the presence and the leases end with the process's connections).
    public func run() async throws {
        let (ended, end) = AsyncStream.makeStream(of: Result<Void, any Error>.self, bufferingPolicy: .bufferingOldest(1))
        let duties = Task {
            do {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { try await self.keepPresence() }
                    group.addTask { await self.followFeeds() }
                    group.addTask { await self.keepLeases() }
                    defer { group.cancelAll() }
                    // The first to end: a shutdown (all end quietly), or the presence lost for good (it throws).
                    try await group.next()
                }
                end.yield(.success(()))
            } catch {
                end.yield(.failure(error))
            }
        }
        let stop: @Sendable () -> Void = { [stopWithin = Self.stopWithin] in
            duties.cancel()
            Task {
                try? await Task.sleep(for: stopWithin)
                end.yield(.success(()))
            }
        }
        let result = await withGracefulShutdownHandler {
            await withTaskCancellationHandler {
                var iterator = ended.makeAsyncIterator()
                return await iterator.next() ?? .success(())
            } onCancel: {
                stop()
            }
        } onGracefulShutdown: {
            stop()
        }
        try result.get()
    }

    /// How long the duties have to end at a shutdown.
    static let stopWithin = Duration.seconds(3)

    /// Touches the presence; after a failure takes it again, waiting longer each time the store does not answer.
    private func keepPresence() async throws {
        var lost = false
        var wait = options.firstWait
        while !Task.isCancelled {
            try? await Task.sleep(for: lost ? wait : options.touchEvery)
            guard !Task.isCancelled else { return }
            do throws(StoreError) {
                if lost {
                    try await presence.retake(at: clock.now())
                    logger.notice("the node holds the store again", metadata: ["node": "\(store.node)"])
                } else {
                    try await presence.touch(at: clock.now())
                }
                (lost, wait) = (false, options.firstWait)
            } catch where error.code == .inUse {
                logger.critical("the node stops serving: \(error.message)")
                throw error
            } catch {
                if !lost { logger.error("the node lost its hold on the store; taking it again: \(error)") }
                wait = lost ? min(wait * 2, options.longestWait) : wait
                lost = true
            }
        }
    }

    /// Follows the other nodes' feeds from their ends now, on a connection of its own, again after each failure
    /// (from where it was).
    private func followFeeds() async {
        var reader = FeedReader(node: store.node, timeouts: store.timeouts)
        var started = false
        var wait = options.firstWait
        while !Task.isCancelled {
            do throws(StoreError) {
                let connection = try await store.address.connect(logger: logger)
                do throws(StoreError) {
                    if !started {
                        try await reader.startAtEnd(on: connection, logger: logger)
                        started = true
                    }
                    wait = options.firstWait
                    try await reader.follow(on: connection, pollEvery: options.pollEvery, logger: logger) { batches in
                        await self.absorb(batches, on: connection)
                    }
                    try? await connection.close()
                } catch {
                    try? await connection.close()
                    throw error
                }
            } catch {
                guard !Task.isCancelled else { return }
                logger.warning("following the other nodes' feeds: \(error); again in \(wait)")
            }
            try? await Task.sleep(for: wait)
            wait = min(wait * 2, options.longestWait)
        }
    }

    /// Gives the engine another node's batches: their events (replayed; those that cannot be read are logged and
    /// left out), removals and figures.
    private func absorb(_ batches: [FeedBatch], on connection: PostgresConnection) async {
        var events: [CommittedEvent] = []
        do {
            events = try await ForeignEvents.read(batches, on: connection, policies: store.policies, logger: logger)
        } catch {
            // A node that stops cancels the read: nothing is missed that matters then.
            guard !Task.isCancelled else { return }
            let what = PostgresFailure.storeError(error, "reading another node's events")
            logger.error("another node's events are not shown on this node: \(what)")
        }
        var figures = StoreFigures()
        for batch in batches { figures += batch.figures }
        engine.absorb(events, removed: batches.flatMap(\.removed), figures: figures)
    }

    /// Renews the node's task leases, then has the broker look for tasks come free.
    private func keepLeases() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: options.leasesEvery)
            guard !Task.isCancelled else { return }
            do throws(StoreError) {
                let now = store.clock.now()
                let leases = self.leases
                let logger = self.logger
                _ = try await store.withConnection("renewing the node's task leases") { connection in
                    try await leases.renew(at: now, on: connection, logger: logger)
                }
            } catch {
                logger.warning("renewing the node's task leases: \(error)")
            }
            tasksMayHaveCome()
        }
    }
}
