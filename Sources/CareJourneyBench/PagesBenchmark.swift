import ArgumentParser
import CareJourneyClock
import CareJourneyCore
import CareJourneyKit
import CareJourneyRuntime
import CareJourneyStore
import Foundation
import Logging

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Every page and JSON endpoint the dashboard uses, over the search benchmark's million cases, on a running
/// `serve` (engine, timers, disposal, background summaries, HTTP) while commands come in: the first load of each after
/// start (`--starts` times, each on a freshly started service), then repeated loads; p50/p95/p99/max of both beside
/// the goals of issue 21, and the process's resident memory before start, after each start and as the loads go on.
struct PagesBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pages",
        abstract: "Dashboard pages and endpoints over a million cases: first load and warm latency, memory.")

    @OptionGroup var population: SearchPopulationOptions

    @Option(help: "Times the service is started, each time every page loaded once first (the cold figures).")
    var starts = 3

    @Option(help: "Times each page is loaded after its first load, on the last start (the warm figures).")
    var rounds = 40

    @Option(help: "Go on loading every page in turn for at least this many minutes, printing memory each minute.")
    var minutes = 0.0

    @Option(help: "New contacts a second sent while the pages are loaded (0: none).")
    var commandsPerSecond = 20

    @OptionGroup var progress: ProgressOption

    /// The goals of issue 21 at the 95th percentile (warm, and the first load after start, in milliseconds) and
    /// for the service's resident memory (MB) after an hour of use: what the figures are printed beside.
    static let warmGoal = 100.0
    static let firstGoal = 1_000.0
    static let memoryGoalMB = 300.0

    func validate() throws {
        if starts < 1 { throw ValidationError("--starts: 1 or more") }
        if rounds < 1 { throw ValidationError("--rounds: 1 or more") }
    }

    func run() async throws {
        let populated = try await population.populated(for: "pages", progress: progress)
        let (directory, rules) = (populated.directory, populated.policy)
        print(
            "  goals (issue 21): first load after start p95 ≤ \(Int(Self.firstGoal)) ms, warm p95 ≤ "
                + "\(Int(Self.warmGoal)) ms, resident memory ≤ \(Int(Self.memoryGoalMB)) MB after an hour of use")
        try await Self.settle(directory, policy: rules, progress: progress)
        let began = ContinuousClock.now
        Self.memory("before start", since: began)
        var logger = Logger(label: "bench")
        logger.logLevel = .critical
        var cold = SearchMix.Timings()
        var warm = SearchMix.Timings()
        var paths: [String] = []
        var sent = 0
        if !["figures.json", "overview.json"].allSatisfy({ FileManager.default.fileExists(atPath: directory + "/" + $0) }) {
            // Kept from one start to the next (figures.json, overview.json): only a store's very first start has
            // none to show.
            print("  first start of this store: the overview's figures are read once")
            try await Self.serving(directory, rules: rules, logger: logger) { client, _ in
                let reading = ContinuousClock.now
                for path in ["/", "/api/reports/reviews", "/api/reports/ascof"] {
                    while try await client.answer(path).status != 200 { try await Task.sleep(for: .seconds(1)) }
                }
                print(String(format: "  figures read in %.0f s, kept for the next starts", elapsed(since: reading)))
            }
        }
        for start in 1...starts {
            try await Self.serving(directory, rules: rules, logger: logger) { client, listening in
                print(String(format: "  start %d: listening after %.2f s", start, listening))
                if paths.isEmpty { paths = Self.paths(someCase: try await client.firstCase(), policy: rules) }
                for path in paths { cold.add(try await client.get(path).milliseconds, to: path) }
                Self.memory("after the first loads of start \(start)", since: began)
                if start == starts { sent = try await loadWarm(paths, with: client, into: &warm, since: began) }
            }
        }
        Self.table(
            "first load after start, \(starts) start(s)", cold, paths: paths, goal: Self.firstGoal)
        Self.table(
            "warm, \(warm.byShape.values.first?.count ?? 0) loads each, \(sent) contacts sent meanwhile", warm,
            paths: paths, goal: Self.warmGoal)
        let end = residentMemoryMiB() * 1.048_576
        print(
            String(
                format: "  resident memory at the end: %.0f MB (peak %.0f MB) — goal ≤ %.0f MB after an hour: %@",
                end, peakMemoryMiB() * 1.048_576, Self.memoryGoalMB,
                end <= Self.memoryGoalMB ? "met so far" : "over"))
    }

    /// Runs the service over the store as `serve` runs it (the Plan page's forecast made with the shipped profile
    /// included), hands `body` a client once it listens and the seconds that took, then stops it.
    private static func serving(
        _ directory: String, rules: Policy, logger: Logger, _ body: (Client, Double) async throws -> Void
    ) async throws {
        var options = CareJourneyService.Options(dataDirectory: directory, policy: nil, defaultPolicy: rules, port: 0)
        options.planProfile = Result {
            guard let path = ProfileFile.findShipped() else {
                throw ValidationError("no shipped simulation profile (\(ProfileFile.shippedPath)) here or above")
            }
            return try ProfileFile.load(path)
        }
        let service = CareJourneyService(options: options, logger: logger)
        let (running, listening) = AsyncStream<CareJourneyService.Listening>.makeStream()
        try await withThrowingTaskGroup(of: Void.self) { group in
            let started = ContinuousClock.now
            group.addTask { try await service.run { listening.yield($0) } }
            var iterator = running.makeAsyncIterator()
            guard let server = await iterator.next() else { throw CancellationError() }
            try await body(Client(port: server.httpPort), elapsed(since: started))
            await server.stop()
            try await group.waitForAll()
        }
    }

    /// Fires, with the engine alone, every timer that came due since the store was filled (the population's
    /// templates leave timers years overdue, which a live service would have fired as they came due), so that
    /// the pages are measured beside a service taking commands, not one firing a backlog of timers.
    static func settle(_ directory: String, policy: Policy, progress: ProgressOption) async throws {
        let store = try CaseStore(directory: directory)
        let clock = WallClock()
        let due = try await store.timerCount(dueBy: clock.now())
        guard due > 0 else { return }
        print("  settling: \(due) timers came due since the store was filled; firing them first")
        let started = ContinuousClock.now
        let engine = try await Engine(store: store, policy: try store.currentPolicy() ?? policy, clock: clock)
        let timers = TimerService(engine: engine, clock: clock, batch: 4_096)
        let line = progress.line("settling", counting: "timers")
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await engine.run() }
            while try await timers.fireDue() <= clock.now() {
                line?.update(done: due - (try await store.timerCount(dueBy: clock.now())), total: due)
            }
            line?.finish()
            engine.stopAccepting()
            try await group.waitForAll()
        }
        print(String(format: "  settled in %.0f s", elapsed(since: started)))
    }

    /// Every page and endpoint the dashboard uses: the overview, cases with filters, a case, queues and workers,
    /// the worklists (mine, a team's, people's queues), the figures and reports behind them.
    static func paths(someCase: String, policy: Policy) -> [String] {
        let peoples = ["practice", "team-manager", "safeguarding"].filter(policy.peopleQueues.contains).map {
            "/work/queues/\($0)"
        }
        return [
            "/", "/api/overview", "/queues", "/cases", "/cases?overdue=true", "/cases?state=delivery",
            "/cases?queue=brokerage", "/cases/\(someCase)", "/api/cases?limit=50", "/api/cases/\(someCase)",
            "/work", "/work/team?team=\(SearchPopulation.teams[0])",
        ] + peoples + ["/api/stats", "/api/reports/reviews", "/api/reports/ascof"]
    }

    /// The warm loads: every page in turn, `rounds` times and for at least `minutes`, with contacts coming in;
    /// returns how many contacts were sent.
    private func loadWarm(
        _ paths: [String], with client: Client, into timings: inout SearchMix.Timings,
        since began: ContinuousClock.Instant
    ) async throws -> Int {
        let writer = Task { try await client.sendContacts(perSecond: commandsPerSecond) }
        let warming = ContinuousClock.now
        var round = 0
        var lastMemory = warming
        let line = progress.line("warm loads", counting: "rounds")
        while round < rounds || elapsed(since: warming) < minutes * 60 {
            round += 1
            for path in paths { timings.add(try await client.get(path).milliseconds, to: path) }
            line?.update(done: round, total: max(rounds, round))
            if minutes > 0 ? ContinuousClock.now - lastMemory >= .seconds(60) : round % 10 == 0 {
                lastMemory = ContinuousClock.now
                line?.finish()
                Self.memory("after round \(round)", since: began)
            }
        }
        line?.finish()
        writer.cancel()
        return (try? await writer.value) ?? 0
    }

    /// `  resident memory after round 10 (at 42 s): 180 MB`.
    private static func memory(_ when: String, since began: ContinuousClock.Instant) {
        print(
            String(
                format: "  resident memory %@ (at %.0f s): %.0f MB", when, elapsed(since: began),
                residentMemoryMiB() * 1.048_576))
    }

    /// p50, p95, p99 and max of each page, beside the goal at p95.
    private static func table(_ title: String, _ timings: SearchMix.Timings, paths: [String], goal: Double) {
        print("\n  \(title) (goal p95 ≤ \(Int(goal)) ms):")
        print("    page                              p50      p95      p99      max  (ms)")
        for path in paths {
            let p95 = timings.percentile(0.95, of: path)
            print(
                "    " + padded(path)
                    + String(
                        format: " %7.1f  %7.1f  %7.1f  %7.1f", timings.percentile(0.5, of: path), p95,
                        timings.percentile(0.99, of: path), timings.percentile(1, of: path))
                    + (p95 > goal ? "  over" : ""))
        }
        let over = paths.filter { timings.percentile(0.95, of: $0) > goal }.count
        print("    goal: \(over == 0 ? "met by every page" : "not met by \(over) of \(paths.count) pages")")
    }

    private static func padded(_ path: String) -> String {
        path.count >= 32 ? path : path.padding(toLength: 32, withPad: " ", startingAt: 0)
    }

    /// The dashboard's HTTP client, as the local admin (no-token mode on loopback).
    struct Client: Sendable {
        let port: Int

        /// The time of `GET path`, which must answer 200: a page that answers otherwise stops the benchmark with its
        /// path (a 503 answered quickly is no figure for the page).
        func get(_ path: String) async throws -> (status: Int, milliseconds: Double) {
            let answered = try await answer(path)
            guard answered.status == 200 else {
                throw ValidationError(
                    String(format: "GET %@ answered %d after %.0f ms", path, answered.status, answered.milliseconds))
            }
            return answered
        }

        /// The status and time of `GET path`; no answer within two minutes stops the benchmark with its path.
        func answer(_ path: String) async throws -> (status: Int, milliseconds: Double) {
            let started = ContinuousClock.now
            var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
            request.timeoutInterval = 120
            do {
                let (_, response) = try await URLSession.shared.data(for: request)
                return ((response as? HTTPURLResponse)?.statusCode ?? 0, elapsed(since: started) * 1000)
            } catch {
                throw ValidationError(
                    String(format: "GET %@: no answer after %.0f s (%@)", path, elapsed(since: started), "\(error)"))
            }
        }

        /// The id of the first case in delivery the API lists (an open case: no disposal can remove it meanwhile).
        func firstCase() async throws -> String {
            let (body, _) = try await URLSession.shared.data(
                from: URL(string: "http://127.0.0.1:\(port)/api/cases?state=delivery&limit=1")!)
            struct Page: Decodable {
                struct Summary: Decodable { let id: String }
                let cases: [Summary]
            }
            guard let id = try JSONDecoder().decode(Page.self, from: body).cases.first?.id else {
                throw ValidationError("the store lists no cases")
            }
            return id
        }

        /// New contacts through `POST /api/cases`, `perSecond` a second until cancelled; how many were sent.
        func sendContacts(perSecond: Int) async throws -> Int {
            guard perSecond > 0 else { return 0 }
            var sent = 0
            var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)/api/cases")!)
            request.httpMethod = "POST"
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.httpBody = Data(#"{"data": {"name": "Bench Contact", "clientType": "adult", "route": "gp"}}"#.utf8)
            while !Task.isCancelled {
                _ = try? await URLSession.shared.data(for: request)
                sent += 1
                try? await Task.sleep(for: .milliseconds(1000 / perSecond))
            }
            return sent
        }
    }
}
