import CareJourneyClock
import ArgumentParser
import CareJourneyCore
import CareJourneyKit
import CareJourneyServer
import CareJourneyStore
import Foundation
import Hummingbird
import Logging

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The dashboard's case search and filters over a million cases: latency of `CaseStore.cases(matching:)` (and of
/// `GET /api/cases` on a live server) for a fixed, seeded mix of searches, by query shape.
struct SearchBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search", abstract: "Case search and filter latency over a million cases, by query shape.")

    @OptionGroup var population: SearchPopulationOptions

    @Option(help: "First pages of the mix (later pages follow some of them).")
    var searches = 3_000

    @Option(help: "Searches of the mix sent again through GET /api/cases (0: none).")
    var httpSearches = 1_000

    @OptionGroup var progress: ProgressOption

    /// The goal at the 95th percentile, in milliseconds.
    static let goal = 50.0

    func run() async throws {
        let populated = try await population.populated(for: "search", progress: progress)
        let rules = populated.policy
        let store = try CaseStore(directory: populated.directory)
        let stats = try await store.stats()
        let overdue = stats.overdueReviews
        print(
            "  \(stats.openCases) open, \(stats.byStage[Stage.closed.rawValue] ?? 0) closed, \(overdue) overdue, \(stats.openTasksByQueue.values.reduce(0, +)) open tasks on \(stats.openTasksByQueue.count) queues"
        )

        let mix = SearchMix(
            population: populated.population, queues: Array(Set(rules.queues.values)).sorted(), count: searches)
        // The first pass reads the store into memory as a dashboard's first searches would; the second is measured.
        let cold = try await mix.run { filter in try await store.cases(matching: filter).nextCursor }
        print(String(format: "  first pass (store not yet in memory): overall p95 %.1f ms", cold.percentile(0.95)))
        let warm = try await mix.run { filter in try await store.cases(matching: filter).nextCursor }
        warm.print(title: "CaseStore.cases(matching:), after the first pass", goal: Self.goal)

        if httpSearches > 0 {
            let http = try await Self.overHTTP(SearchMix(mix, first: httpSearches), store: store, policy: rules)
            http.print(title: "GET /api/cases on a live server (loopback, one client)", goal: Self.goal)
        }
    }

    /// The mix through `GET /api/cases` on a server over the store, in this process: the API and the engine
    /// alone, without the timer service, so that nothing but the searches' access records is written while it runs.
    /// The engine runs because every search is recorded in the access log before it is answered: without it the
    /// first search waited for ever.
    static func overHTTP(_ mix: SearchMix, store: CaseStore, policy: Policy) async throws -> SearchMix.Timings {
        let engine = try await Engine(store: store, policy: policy)
        let api = CaseAPI(engine: engine, clock: WallClock())
        var logger = Logger(label: "bench")
        logger.logLevel = .critical  // stopping the server at the end logs noise
        let (ports, port) = AsyncStream<Int>.makeStream()
        let app = Application(
            router: api.router(access: AccessControl(tokens: nil)),
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in port.yield(channel.localAddress?.port ?? 0) }, logger: logger)
        return try await withThrowingTaskGroup(of: SearchMix.Timings?.self) { group in
            group.addTask {
                await engine.run()
                return nil
            }
            group.addTask {
                try await app.runService()
                return nil
            }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else { throw CancellationError() }
            let timings = try await mix.run { filter in try await Self.get(filter, port: port) }
            group.cancelAll()
            return timings
        }
    }

    /// `GET /api/cases` with the filter's parameters; the page's `nextCursor`.
    static func get(_ filter: CaseFilter, port: Int) async throws -> String? {
        var url = URLComponents(string: "http://127.0.0.1:\(port)/api/cases")!
        let parameters: [(String, String?)] = [
            ("state", filter.stage?.rawValue), ("overdue", filter.overdue.map(String.init)), ("queue", filter.queue),
            ("q", filter.query), ("team", filter.team), ("worker", filter.worker), ("limit", String(filter.limit)),
            ("cursor", filter.cursor),
        ]
        url.queryItems = parameters.compactMap { name, value in value.map { URLQueryItem(name: name, value: $0) } }
        let (body, response) = try await URLSession.shared.data(from: url.url!)
        guard (response as? HTTPURLResponse)?.statusCode == 200 else {
            throw ValidationError("GET \(url) answered \(String(decoding: body, as: UTF8.self))")
        }
        struct Page: Decodable { let nextCursor: String? }
        return try JSONDecoder().decode(Page.self, from: body).nextCursor
    }
}
