import ArgumentParser
import CareJourneyCore
import CareJourneyKit
import CareJourneyServer
import CareJourneyStore
import Foundation
import Logging

/// Started by `million` in a fresh process: runs `serve` on the store, prints how long it took to listen and
/// load its first timer window, and its memory, then stops it.
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
        let (done, finished) = AsyncStream<Void>.makeStream()
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
                    finished.finish()
                }
            }
            for await _ in done {}
            group.cancelAll()
        }
    }
}
