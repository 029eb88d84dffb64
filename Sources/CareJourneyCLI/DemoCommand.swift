import ArgumentParser
import CareJourneyServer
import CareJourneyCore
import CareJourneyDemo
import CareJourneySamples
import Foundation
import Logging

/// `carejourney demo`.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract:
            "Run the service over a seeded caseload with a year of history, its clock running fast and the example "
            + "workers serving their queues: the dashboard shows a council at work.")

    @Option(help: "How many cases to seed into a new demo.")
    var cases = 3000

    @Option(help: "The seed: the same seed gives the same cases.")
    var seed: UInt64 = 2026

    @Option(name: .customLong("time-scale"), help: "Run the clock N times faster than the wall clock.")
    var timeScale = 1800.0

    @Option(help: "Where the dashboard and the HTTP API listen, HOST:PORT.")
    var http = "127.0.0.1:8080"

    @Option(help: "Where the task broker listens for MDP workers and clients (a ZeroMQ endpoint).")
    var zmq = "tcp://127.0.0.1:5555"

    @Option(help: "Where committed case events are published (a ZeroMQ endpoint), or 'off'.")
    var events = "tcp://127.0.0.1:5556"

    @Option(
        name: .customLong("data-dir"),
        help: "The demo's own folder: seeded when new, carried on when an earlier demo's; another store is refused.")
    var dataDirectory = "./carejourney-demo"

    @Flag(help: "Start the demo over, even when its folder holds an earlier demo.")
    var fresh = false

    @Option(help: "The council policy a new demo runs under (default: \(PolicyOption.defaultPath)).")
    var policy: String?

    @Flag(help: "Log what the service does (the broker, workers, failed tasks), not only errors.")
    var verbose = false

    @Flag(
        name: .customLong("seed-only"),
        help: "Seed the demo's folder (when new) and stop without serving: for 'report' commands on its caseload.")
    var seedOnly = false

    func validate() throws {
        guard parseAddress(http) != nil else {
            throw ValidationError("--http takes HOST:PORT, like 127.0.0.1:8080 (port 0 picks a free one)")
        }
        if cases < 1 { throw ValidationError("--cases must be at least 1") }
        if !(timeScale > 0) { throw ValidationError("--time-scale must be more than 0") }
    }

    func run() async throws {
        let (host, port) = parseAddress(http)!
        var options = CareJourneyDemo.Options(policy: try policy.map(loadPolicy) ?? PolicyOption.loadDefault())
        options.dataDirectory = dataDirectory
        options.fresh = fresh
        options.cases = cases
        options.seed = seed
        options.timeScale = timeScale
        options.host = host
        options.port = port
        options.mdp = zmq
        options.events = events == "off" ? nil : events
        options.seedOnly = seedOnly
        // Quiet by default: the banner and the dashboard tell the story (failed tasks show on the queues page).
        let level: Logger.Level = verbose ? .info : .error
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let progress = SeedingProgress(seed: seed)
        let chosen = options
        do {
            try await CareJourneyDemo(options: chosen).run(onSeedingProgress: progress.show) { running in
                progress.finish()
                FileHandle.standardOutput.write(Data(DemoBanner(running: running, options: chosen).text.utf8))
            }
            if seedOnly {
                progress.finish()
                print("CareJourney demo seeded in \(dataDirectory) (not serving): report on it with --data-dir \(dataDirectory)")
            }
        } catch {
            printError("carejourney demo: \(error)")
            throw ExitCode.failure
        }
    }
}

/// Seeding's progress on the terminal: one line rewritten in place, or a line a quarter when not a terminal.
private struct SeedingProgress: Sendable {
    let seed: UInt64
    let terminal = isatty(STDOUT_FILENO) == 1

    func show(_ progress: SamplePopulation.Progress) {
        let line = "seeding \(progress.written.grouped) of \(progress.total.grouped) cases (seed \(seed))…"
        if terminal {
            FileHandle.standardOutput.write(Data("\r\(line)".utf8))
        } else if (progress.written * 20 / progress.total) % 5 == 0 {
            FileHandle.standardOutput.write(Data("\(line)\n".utf8))
        }
    }

    /// Ends the progress line, if one was written in place.
    func finish() {
        if terminal { FileHandle.standardOutput.write(Data("\r\u{1B}[K".utf8)) }
    }
}
