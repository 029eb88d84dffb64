import CareJourneyClock
import CareJourneyCore
import CareJourneyStore
import CareJourneyTestSupport
import Foundation
import Testing

@testable import CareJourneyPostgres

/// An engine on a PostgreSQL store counts its figures at start (`Engine.countFigures`) without holding a thread of
/// the cooperative pool while it waits for the server: the engines of one process (the live-server tests run dozens)
/// may count at once.
@Suite struct EngineFiguresTests {
    @Test func moreEnginesThanThePoolHasThreadsCountTheirFiguresAtOnce() async throws {
        let server = try await PostgresServer.shared()
        let address = try await server.newStore()
        var stores: [PostgresStore] = []
        for index in 0...ProcessInfo.processInfo.activeProcessorCount {
            stores.append(
                try await PostgresStore.open(
                    address, node: node("n\(index)"), clock: ManualClock(clusterNow), logger: quietLogger))
        }
        let opened = stores
        let policy = try shippedPolicy()
        let started = ContinuousClock.now
        // Each waited up to the writer's batch deadline (two minutes), then failed, when taking its snapshot held
        // a thread of the pool that the server's answer needed.
        let counted = try await PostgresStoreReadsTests.withRunningAll(opened[...]) {
            try await withThrowingTaskGroup(of: StoreFigures?.self) { group in
                for store in opened {
                    group.addTask {
                        let engine = try await Engine(store: store, policy: policy)
                        try await engine.countFigures()
                        return engine.figures
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
        }
        #expect(counted == Array(repeating: StoreFigures(), count: opened.count))
        #expect(ContinuousClock.now - started < .seconds(60))
    }
}
