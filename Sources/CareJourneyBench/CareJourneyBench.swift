import ArgumentParser
import CareJourneyKit
import CareJourneyStore
import Foundation
import Synchronization

/// `carejourney-bench`: figures for the durable engine. Run in release: `swift run -c release carejourney-bench`.
@main
struct CareJourneyBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "carejourney-bench",
        abstract: "Print the durable engine's figures (build with -c release).",
        subcommands: [
            TransitionsBenchmark.self, MillionCasesBenchmark.self, SearchBenchmark.self, TasksBenchmark.self,
            ReportsBenchmark.self, BackupBenchmark.self, StartupProbe.self, PagesBenchmark.self, DisposalBenchmark.self,
            PostgresInsertBenchmark.self, ClusterBenchmark.self,
        ],
        defaultSubcommand: TransitionsBenchmark.self)

    /// Runs the benchmark asked for, then removes the scratch folders it made (`scratchDirectory`), whether it
    /// finished or failed: each run's stores took 100+ MB of the temporary folder, and runs left them by the hundred.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var benchmark = command as? any AsyncParsableCommand {
                try await benchmark.run()
            } else {
                try command.run()
            }
        } catch {
            ScratchFolders.removeAll()
            exit(withError: error)
        }
        ScratchFolders.removeAll()
    }
}

/// The scratch folders this run made, to be removed at its end.
enum ScratchFolders {
    private static let made = Mutex<[String]>([])

    static func add(_ path: String) { made.withLock { $0.append(path) } }

    static func removeAll() {
        for path in made.withLock({ $0 }) { try? FileManager.default.removeItem(atPath: path) }
    }
}

/// Peak resident memory of this process so far, in MiB.
func peakMemoryMiB() -> Double {
    var usage = rusage()
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    return Double(usage.ru_maxrss) / 1024
}

/// Processor time (user and system) this process has used, in seconds.
func processorSeconds() -> Double {
    var usage = rusage()
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
        + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}

/// Resident memory of this process now, in MiB (from /proc; 0 where there is none).
func residentMemoryMiB() -> Double {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
        let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
        let kilobytes = line.split(separator: " ").dropFirst().first.flatMap({ Double($0) })
    else { return 0 }
    return kilobytes / 1024
}

/// A fresh folder for a benchmark's store, owner-only, removed when the run ends.
func scratchDirectory(_ name: String) -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent(
        "carejourney-bench-\(name)-\(UUID().uuidString)"
    ).path
    // Owner-only, as every data folder must be (a store refuses one others may read).
    try? FileManager.default.createDirectory(
        atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    ScratchFolders.add(path)
    return path
}

/// Seconds since `start`.
func elapsed(since start: ContinuousClock.Instant) -> Double {
    (ContinuousClock.now - start).inSeconds
}

/// The policy the benchmarks run under: the first shipped one, found from the working folder or the executable.
func benchmarkPolicyPath() -> String { PolicyFile.findShipped() ?? PolicyFile.shippedPath }
