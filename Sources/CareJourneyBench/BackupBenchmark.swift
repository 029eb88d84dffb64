import ArgumentParser
import CareJourneyCore
import CareJourneyKit
import CareJourneyStore
import Foundation
import GRDB
import Synchronization

/// An online backup beside a working engine, on a store of about 100,000 events: how long the backup holds its read
/// snapshot, how long its checks take, and what the engine's commands see meanwhile (their latency before and
/// during the backup, and how many were answered); then `VACUUM INTO` from the same store under the same load, the
/// alternative the backup does not use.
struct BackupBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "An online backup's snapshot and checks beside a working engine; command latency meanwhile.")

    // Alone the backup copies 91,000 events; the clients add about 10,000 before the backup under load.
    @Option(help: "Cases in delivery to start from (7 events each).")
    var cases = 13_000

    @Option(help: "Clients submitting commands while the backup runs.")
    var clients = 64

    @Option(help: "The policy file.")
    var policy = benchmarkPolicyPath()

    @OptionGroup var progress: ProgressOption

    func run() async throws {
        let rules = try PolicyFile.load(policy)
        let directory = scratchDirectory("backup")
        try MillionCasesBenchmark.populate(directory: directory, cases: cases, policy: rules, progress: progress)
        let store = try CaseStore(directory: directory)
        let engine = try await Engine(store: store, policy: rules)
        print("carejourney-bench backup: \(try store.contents()), \(clients) clients, synchronous=FULL")
        // First with nothing else running: the backup alone on the machine.
        let idle = try StoreBackup.take(of: directory, to: scratchDirectory("backup-idle") + "/backup.sqlite")
        print(
            "  alone: \(idle.bytes) bytes; read snapshot held "
                + String(format: "%.3f s; checks (integrity, replay) %.2f s", idle.snapshotSeconds, idle.checkSeconds))

        let samples = LatencySamples()
        let contact = try Event(name: "contact", data: ["name": "Bench Person", "clientType": "adult", "route": "gp"])
        let now = Date()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await engine.run() }
            for _ in 0..<clients {
                group.addTask {
                    while !samples.stopped.load(ordering: .relaxed) {
                        let sent = ContinuousClock.now
                        _ = try await engine.apply(Command(caseID: nil, event: contact, actor: "bench", at: now))
                        samples.add(sent: sent, latency: (ContinuousClock.now - sent).inSeconds)
                    }
                }
            }
            try await Task.sleep(for: .seconds(1.5))
            let backupFile = scratchDirectory("backup-file") + "/backup.sqlite"
            let (backup, backupWindow) = try await Self.onAThread {
                try StoreBackup.take(of: directory, to: backupFile)
            }
            try await Task.sleep(for: .seconds(2))
            let vacuumFile = scratchDirectory("vacuum-file") + "/vacuum.sqlite"
            let (_, vacuumWindow) = try await Self.onAThread {
                let reader = try DatabaseQueue(path: store.path, configuration: Self.readOnly)
                try reader.inDatabase { db in try db.execute(sql: "VACUUM INTO ?", arguments: [vacuumFile]) }
            }
            try await Task.sleep(for: .seconds(1))
            samples.stopped.store(true, ordering: .relaxed)
            engine.stopAccepting()
            try await group.waitForAll()

            let started = backupWindow.lowerBound
            print("  under load: the copy holds \(backup.contents)")
            print(
                String(
                    format:
                        "  backup: %d bytes; read snapshot held %.3f s; checks (integrity, replay) %.2f s; %.2f s in all",
                    backup.bytes, backup.snapshotSeconds, backup.checkSeconds,
                    (backupWindow.upperBound - started).inSeconds))
            print(samples.describe("before the backup (1 s)", from: started - .seconds(1), to: started))
            // The copy starts as the backup begins (after opening the store, a few ms), then the checks run.
            let copied = started + .milliseconds(Int(backup.snapshotSeconds * 1000) + 20)
            print(samples.describe("during the copy (the read snapshot)", from: started, to: copied))
            print(samples.describe("during the checks", from: copied, to: backupWindow.upperBound))
            print(
                String(
                    format: "  VACUUM INTO, same store and load: %.3f s in one read transaction",
                    (vacuumWindow.upperBound - vacuumWindow.lowerBound).inSeconds))
            print(samples.describe("during VACUUM INTO", from: vacuumWindow.lowerBound, to: vacuumWindow.upperBound))
        }
    }

    static var readOnly: Configuration {
        var configuration = Configuration()
        configuration.readonly = true
        return configuration
    }

    /// Runs `body` on a thread of its own, off the cooperative pool the clients use, at nice 10 as the backup unit
    /// runs (`Nice=10`); returns what it returned and when it ran.
    static func onAThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws
        -> (T, Range<ContinuousClock.Instant>)
    {
        try await withCheckedThrowingContinuation { continuation in
            Thread {
                // On Linux the nice value is a thread's own: 0 names the calling thread.
                setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 10)
                let start = ContinuousClock.now
                continuation.resume(with: Result { (try body(), start..<ContinuousClock.now) })
            }.start()
        }
    }
}

/// Each command's latency, by when it was sent; and whether the clients should stop sending.
final class LatencySamples: Sendable {
    private let samples = Mutex<[(sent: ContinuousClock.Instant, latency: Double)]>([])
    let stopped = Atomic(false)

    func add(sent: ContinuousClock.Instant, latency: Double) {
        samples.withLock { $0.append((sent, latency)) }
    }

    /// `during the backup: 1,234 commands answered (2,468/s), latency p50 … p99 … max …`, for the commands sent
    /// between `from` and `to`.
    func describe(_ what: String, from: ContinuousClock.Instant, to: ContinuousClock.Instant) -> String {
        let latencies = samples.withLock { $0.filter { $0.sent >= from && $0.sent < to }.map(\.latency) }.sorted()
        guard !latencies.isEmpty else { return "  \(what): no command sent" }
        func at(_ share: Double) -> Double { latencies[min(latencies.count - 1, Int(Double(latencies.count) * share))] }
        return String(
            format: "  %@: %d commands (%.0f/s), latency p50 %.1f ms, p99 %.1f ms, max %.1f ms", what,
            latencies.count, Double(latencies.count) / (to - from).inSeconds, at(0.5) * 1e3, at(0.99) * 1e3,
            latencies.last! * 1e3)
    }
}
