import ArgumentParser
import CareJourneyCore
import CareJourneyKit
import CareJourneyServer
import CareJourneyStore
import CareJourneyRuntime
import Foundation
import Logging

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Started by `million` in a fresh process: runs `serve` on the store, prints how long it took to listen and
/// load its first timer window, its memory, and when `/metrics` had the store's figures, then stops it.
struct StartupProbe: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "startup-probe", shouldDisplay: false)

    @Option var dataDir: String
    @Option var policy: String

    func run() async throws {
        let start = ContinuousClock.now
        let rules = try PolicyFile.load(policy)
        var quiet = Logger(label: "probe")
        quiet.logLevel = .error
        let logger = quiet
        let directory = dataDir
        let options = CareJourneyService.Options(dataDirectory: directory, policy: nil, defaultPolicy: rules, port: 0)
        // The port, once the service listens; requests are served once `onRunning` has returned.
        let (ports, finished) = AsyncStream<Int>.makeStream()
        await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                defer { finished.finish() }
                try await CareJourneyService(options: options, logger: logger).run { listening in
                    let port = listening.httpPort
                    let listening = elapsed(since: start)
                    // The first timer window: timers due in the next five minutes, as the timer service loads it.
                    // (Measured after listening; the service loads the same window beside it.)
                    let store = try? CaseStore(directory: directory)
                    let windowStart = ContinuousClock.now
                    let window =
                        (try? await store?.timers(dueBy: Date().addingTimeInterval(300), limit: 2000))?.count ?? -1
                    let windowSeconds = elapsed(since: windowStart)
                    print(
                        String(
                            format: "  serve start-up: listening on port %d after %.2f s (goal <= 5 s)", port, listening
                        ))
                    print(
                        String(
                            format: "  first timer window: %d timers due within 5 minutes, loaded in %.3f s", window,
                            windowSeconds))
                    print(String(format: "  peak memory (RSS) of serve: %.0f MiB (goal <= 512 MiB)", peakMemoryMiB()))
                    finished.yield(port)
                }
            }
            var listening = ports.makeAsyncIterator()
            if let port = await listening.next() { await Self.scrape(port: port, startedAt: start) }
            group.cancelAll()
        }
    }

    /// When `GET /metrics` first has the store's figures (counted beside the other services as `serve` starts), and
    /// what a scrape then takes.
    static func scrape(port: Int, startedAt start: ContinuousClock.Instant) async {
        let url = URL(string: "http://127.0.0.1:\(port)/metrics")!
        func get() async -> String {
            String(decoding: (try? await URLSession.shared.data(from: url).0) ?? Data(), as: UTF8.self)
        }
        while !(await get()).contains("carejourney_pending_timers ") { try? await Task.sleep(for: .milliseconds(5)) }
        let counted = elapsed(since: start)
        var times: [Double] = []
        for _ in 0..<21 {
            let scrape = ContinuousClock.now
            _ = await get()
            times.append(elapsed(since: scrape) * 1000)
        }
        print(
            String(
                format: "  /metrics: the store's figures in after %.2f s; a scrape then takes %.1f ms (median of 21)",
                counted, times.sorted()[10]))
    }
}
