import ArgumentParser
import CareJourneyCore
import CareJourneyKit
import CareJourneyRuntime
import Foundation
import Logging

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Every page and JSON endpoint the dashboard uses, over the search benchmark's million cases, on a running
/// `serve` (engine, timers, background summaries, HTTP) while commands come in: the first load of each after start,
/// then p50/p95/p99/max over repeated loads, and the process's resident memory as it goes.
struct PagesBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pages",
        abstract: "Dashboard pages and endpoints over a million cases: first load and warm latency, memory.")

    @Option(help: "How many cases.")
    var cases = 1_000_000

    @Option(help: "The seed of the population (the search benchmark's).")
    var seed: UInt64 = 2026

    @Option(help: "Keep the store here and fill it once: a later run (or the search benchmark) reuses it.")
    var dataDir: String?

    @Option(help: "The policy file.")
    var policy = benchmarkPolicyPath()

    @OptionGroup var progress: ProgressOption

    @Option(help: "Times each page is loaded after its first load.")
    var rounds = 40

    @Option(help: "New contacts a second sent while the pages are loaded (0: none).")
    var commandsPerSecond = 20

    /// The goals at the 95th percentile: warm, and the first load after start, in milliseconds.
    static let warmGoal = 100.0
    static let firstGoal = 1_000.0

    func run() async throws {
        let rules = try PolicyFile.load(policy)
        let directory = dataDir ?? scratchDirectory("pages")
        print("carejourney-bench pages: \(cases) cases in \(directory)")
        try await SearchBenchmark.populate(
            SearchPopulation(count: cases, seed: seed), in: directory, policy: rules, progress: progress)
        print(String(format: "  resident memory before start: %.0f MiB", residentMemoryMiB()))
        var logger = Logger(label: "bench")
        logger.logLevel = .critical
        let service = CareJourneyService(
            options: .init(dataDirectory: directory, policy: nil, defaultPolicy: rules, port: 0), logger: logger)
        let (running, listening) = AsyncStream<CareJourneyService.Listening>.makeStream()
        try await withThrowingTaskGroup(of: Void.self) { group in
            let started = ContinuousClock.now
            group.addTask { try await service.run { listening.yield($0) } }
            var iterator = running.makeAsyncIterator()
            guard let server = await iterator.next() else { throw CancellationError() }
            print(String(format: "  listening after %.2f s", elapsed(since: started)))
            try await measure(port: server.httpPort)
            await server.stop()
            try await group.waitForAll()
        }
    }

    /// The pages, first loads then rounds, with commands coming in meanwhile.
    private func measure(port: Int) async throws {
        let client = Client(port: port)
        let someCase = try await client.firstCase()
        let paths = [
            "/", "/api/overview", "/queues", "/cases", "/cases?overdue=true", "/cases?state=delivery",
            "/cases?queue=brokerage", "/cases/\(someCase)", "/api/cases?limit=50", "/api/cases/\(someCase)",
            "/api/stats", "/api/reports/reviews", "/api/reports/ascof",
        ]
        print("\n  first load after start (goal ≤ \(Int(Self.firstGoal)) ms):")
        for path in paths {
            let (status, time) = try await client.get(path)
            print(
                "    " + Self.padded(path) + String(format: " %4d  %8.1f ms", status, time)
                    + (time > Self.firstGoal ? "  over" : ""))
        }
        let writer = Task { try await client.sendContacts(perSecond: commandsPerSecond) }
        var timings: [String: [Double]] = [:]
        for round in 1...rounds {
            for path in paths { timings[path, default: []].append(try await client.get(path).milliseconds) }
            if round % 10 == 0 { print(String(format: "  after round %d: %.0f MiB resident", round, residentMemoryMiB())) }
        }
        writer.cancel()
        let sent = (try? await writer.value) ?? 0
        print("\n  warm, \(rounds) loads each, \(sent) contacts sent meanwhile (goal p95 ≤ \(Int(Self.warmGoal)) ms):")
        print("    page                          p50      p95      p99      max  (ms)")
        for path in paths {
            let sorted = (timings[path] ?? []).sorted()
            func at(_ p: Double) -> Double { sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))] }
            print(
                "    " + Self.padded(path)
                    + String(format: " %6.1f   %6.1f   %6.1f   %6.1f", at(0.5), at(0.95), at(0.99), sorted.last ?? 0)
                    + (at(0.95) > Self.warmGoal ? "  over" : ""))
        }
        print(String(format: "  resident memory at the end: %.0f MiB (peak %.0f MiB)", residentMemoryMiB(), peakMemoryMiB()))
    }

    private static func padded(_ path: String) -> String {
        path.count >= 28 ? path : path.padding(toLength: 28, withPad: " ", startingAt: 0)
    }

    /// The dashboard's HTTP client, as the local admin (no-token mode on loopback).
    struct Client: Sendable {
        let port: Int

        /// The status and time of `GET path`.
        func get(_ path: String) async throws -> (status: Int, milliseconds: Double) {
            let started = ContinuousClock.now
            let (_, response) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)\(path)")!)
            return ((response as? HTTPURLResponse)?.statusCode ?? 0, elapsed(since: started) * 1000)
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
