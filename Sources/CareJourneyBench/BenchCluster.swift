import ArgumentParser
import CareJourneyBroker
import CareJourneyCore
import CareJourneyPostgres
import CareJourneyRuntime
import CareJourneyStore
import Foundation
import Logging

/// `count` nodes on one PostgreSQL store, in this process, each run as `carejourney serve --store … --node …` runs
/// it (`CareJourneyService` with `PostgresServing`: the store opened as the node, its presence, its cluster duties,
/// engine, timer and disposal services, MDP broker with its event stream, HTTP on a free loopback port).
struct BenchCluster {
    /// Each node as it listens: its engine, broker endpoints and HTTP port.
    let nodes: [CareJourneyService.Listening]

    /// Starts the nodes on `address`, the first alone (it migrates the schema and records the policy), then the
    /// others; runs `body` with them, then stops them as SIGTERM does (commands in flight committed) and waits for
    /// each to end.
    static func with<T: Sendable>(
        _ count: Int, on address: PostgresAddress, policy: Policy, logger: Logger,
        _ body: (BenchCluster) async throws -> T
    ) async throws -> T {
        let (started, starts) = AsyncStream<Result<CareJourneyService.Listening, any Error>>.makeStream()
        return try await withThrowingTaskGroup(of: Void.self) { group in
            var nodes: [CareJourneyService.Listening] = []
            var iterator = started.makeAsyncIterator()
            do {
                for number in 1...count {
                    var options = CareJourneyService.Options(
                        dataDirectory: scratchDirectory("node-\(number)"), policy: nil, defaultPolicy: policy, port: 0,
                        broker: BrokerOptions(endpoint: "tcp://127.0.0.1:*", events: "tcp://127.0.0.1:*"))
                    let name = try NodeName("bench-\(number)")
                    options.postgres = PostgresServing(address: address, node: name)
                    let service = CareJourneyService(options: options, logger: logger)
                    group.addTask {
                        // A node that cannot start says why here, rather than leave the loop waiting.
                        do {
                            try await service.run { starts.yield(.success($0)) }
                            starts.yield(.failure(ValidationError("node \(name) stopped")))
                        } catch {
                            starts.yield(.failure(error))
                            throw error
                        }
                    }
                    guard let node = await iterator.next() else { throw CancellationError() }
                    nodes.append(try node.get())
                }
                let result = try await body(BenchCluster(nodes: nodes))
                for node in nodes { await node.stop() }
                try await group.waitForAll()
                return result
            } catch {
                for node in nodes { await node.stop() }
                group.cancelAll()
                throw error
            }
        }
    }

    /// Every node's engine.
    var engines: [Engine] { nodes.map(\.engine) }

    /// Every node's MDP endpoint.
    var endpoints: [String] { nodes.compactMap(\.mdp) }
}
