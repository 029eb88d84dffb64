import ArgumentParser
import CareJourneyCore
import CareJourneyKit
import CareJourneyPostgres
import CareJourneyStore
import Foundation
import Logging

/// Durable transitions and task round trips per second through real `serve` nodes on one PostgreSQL store (issue
/// #19's figures): one node, then three, each on a new database, in one process; beside the plain batched insert
/// into the same PostgreSQL in the same run.
///
/// The nodes are `CareJourneyService` as `serve --store … --node …` runs it, HTTP and broker included; commands go to
/// each node's engine, as its HTTP API hands them on, so that the figure is the node's durable path and not an HTTP
/// client's, which would share the same two processors (the HTTP side is `carejourney-bench pages`' to measure).
struct ClusterBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cluster",
        abstract: "Durable transitions and task round trips per second through 1 and 3 nodes on PostgreSQL.",
        discussion: """
            Give a PostgreSQL server whose user may create databases: each measurement runs on a new database \
            (carejourney_bench_1_node, carejourney_bench_3_nodes), dropped after; the plain insert runs in the \
            database named. The password may come from PGPASSWORD. scripts/bench-postgres starts a server of its \
            own and runs this.
            """)

    @Option(help: "The PostgreSQL server, as postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?sslmode=…].")
    var store: String

    @Option(parsing: .upToNextOption, help: "How many nodes, one measurement for each count given.")
    var nodes: [Int] = [1, 3]

    @Option(help: "Cases to take from contact to sign-off (8 transitions each).")
    var cases = 10_000

    @Option(help: "Clients submitting at once, spread evenly over the nodes.")
    var clients = 1024

    @Option(help: "Tasks in the backlog drained through the nodes (0: no task figures).")
    var tasks = 10_000

    @Option(help: "MDP workers draining it, each connected to every node's broker.")
    var workers = 16

    @Option(help: "MDP workers to a worker thread (slots).")
    var slots = 8

    @Option(help: "Rows for the plain batched insert (0: none).")
    var insertRows = 200_000

    @Option(help: "The PostgreSQL server's postmaster PID, to count its processor time (it and its backends).")
    var postmaster: Int32?

    @Option(help: "The policy file.")
    var policy = benchmarkPolicyPath()

    @OptionGroup var progress: ProgressOption

    func validate() throws {
        guard !nodes.isEmpty, nodes.allSatisfy({ (1...16).contains($0) }) else {
            throw ValidationError("--nodes takes counts from 1 to 16")
        }
        guard cases > 0, clients > 0, tasks >= 0, workers > 0, slots > 0, insertRows >= 0 else {
            throw ValidationError(
                "--cases, --clients, --workers and --slots need 1 or more; --tasks and --insert-rows 0 or more")
        }
    }

    func run() async throws {
        var rules = try PolicyFile.load(policy)
        // The tasks are safeguarding decisions, served by workers here (people serve that queue in a council's policy).
        rules.servedBy?["safeguarding"] = .workers
        var logger = Logger(label: "carejourney-bench.cluster")
        logger.logLevel = .error
        let server = try ScratchDatabase(store, logger: logger)
        let settings = try await server.settings(["server_version", "synchronous_commit", "fsync", "max_connections"])
        print(
            "carejourney-bench cluster: PostgreSQL \(settings[0]) at \(server.server), synchronous_commit=\(settings[1]), "
                + "fsync=\(settings[2]); \(cases) cases × 8 transitions from \(clients) clients; \(tasks) tasks, "
                + "\(workers) workers; \(ProcessInfo.processInfo.activeProcessorCount) processors, load average "
                + "\(loadAverage()) at the start, \(Allocator.name)")
        var rows: [(nodes: Int, transitions: Double, tasks: Double?)] = []
        for count in nodes {
            let name = count == 1 ? "carejourney_bench_1_node" : "carejourney_bench_\(count)_nodes"
            let figures = try await server.with(name) { address in
                try await BenchCluster.with(count, on: address, policy: rules, logger: logger) {
                    cluster -> (Double, Double?) in
                    print("  \(count) node\(count == 1 ? "" : "s") (a new database):")
                    await settle()
                    let transitions = try await measureTransitions(cluster)
                    var drained: Double?
                    if tasks > 0 { drained = try await measureTasks(cluster) }
                    return (transitions, drained)
                }
            }
            rows.append((count, figures.0, figures.1))
        }
        if insertRows > 0 {
            let measured = try await PostgresInsertBenchmark.measure(server.server, rows: insertRows, batch: 1000)
            print("  postgres-insert into the same server, synchronous_commit=\(measured.synchronousCommit):")
            print(PostgresInsertBenchmark.line(measured.rate, batch: 1000))
        }
        print("  summary (load average \(loadAverage()) at the end):")
        for row in rows {
            print(
                String(
                    format: "    %d node%@: %.0f durable transitions/s, %@", row.nodes, row.nodes == 1 ? "" : "s",
                    row.transitions, row.tasks.map { String(format: "%.0f tasks/s", $0) } ?? "tasks not measured"))
        }
        if let one = rows.first(where: { $0.nodes == 1 }) {
            print("    goal with one node >= 10,000 transitions/s: \(one.transitions >= 10_000 ? "met" : "not met")")
        }
        print(String(format: "  peak memory: %.0f MiB", peakMemoryMiB()))
    }

    /// Waits until the nodes have done what they do once at a start, so that the figures are of serving alone: a node
    /// on PostgreSQL explores the policy's machines for the dashboard's journey map at every start (seconds of a
    /// processor: it has no local folder to keep the map in, as a SQLite store keeps it beside its file). Settled is
    /// this process using under a tenth of a core over a second; at most `settleWithin`.
    private func settle() async {
        let start = ContinuousClock.now
        var last = processorSeconds()
        while elapsed(since: start) < Self.settleWithin {
            try? await Task.sleep(for: .seconds(1))
            let now = processorSeconds()
            defer { last = now }
            if now - last < 0.1 { break }
        }
        print(
            String(
                format: "    the nodes' start-up work (the dashboard's journey map) done in %.1f s",
                elapsed(since: start)))
    }

    /// The longest `settle` waits, in seconds.
    static let settleWithin = 120.0

    /// The transition mix through every node at once; transitions per second.
    private func measureTransitions(_ cluster: BenchCluster) async throws -> Double {
        let mix = try TransitionMix(at: Date())
        let engines = cluster.engines
        let before = engines.map(\.statistics)
        let line = progress.line("transitions", counting: "cases")
        let sample = ProcessorSample(postmaster: postmaster)
        let start = ContinuousClock.now
        let transitions = try await mix.walk(cases: cases, clients: clients, over: engines, line: line)
        let seconds = elapsed(since: start)
        let used = ProcessorSample(postmaster: postmaster)
        line?.finish()
        let rate = Double(transitions) / seconds
        print(String(format: "    durable transitions: %d in %.2f s = %.0f transitions/s", transitions, seconds, rate))
        let after = engines.map(\.statistics)
        let batches = zip(after, before).map { $0.batches - $1.batches }.reduce(0, +)
        let commands = zip(after, before).map { $0.commands - $1.commands }.reduce(0, +)
        print(
            String(
                format: "    group commit: %d transactions over the nodes, %.0f commands each on average (largest %d)",
                batches, Double(commands) / Double(max(batches, 1)), after.map(\.largestBatch).max() ?? 0))
        print(
            "    processor: " + used.since(sample, seconds: seconds)
                + String(
                    format: "; %.0f µs of this process's time a transition",
                    used.processSeconds(since: sample) / Double(max(transitions, 1)) * 1e6))
        return rate
    }

    /// A backlog of safeguarding tasks, committed through every node while no worker is connected, drained by
    /// workers connected to every node's broker; tasks per second.
    private func measureTasks(_ cluster: BenchCluster) async throws -> Double {
        let concerns = try SafeguardingConcerns()
        let engines = cluster.engines
        let outcomes = TaskOutcomes(watching: engines)
        let backlog = try await concerns.openCases(tasks, over: engines)
        try await concerns.raise(on: backlog, over: engines)
        let pool = WorkerPool(endpoints: cluster.endpoints)
        let sample = ProcessorSample(postmaster: postmaster)
        let seconds = try await outcomes.time(backlog) { pool.start(workers, slots: slots) }
        let used = ProcessorSample(postmaster: postmaster)
        await pool.stop()
        let rate = Double(backlog.count) / seconds
        print(
            String(
                format:
                    "    task round trips, a committed backlog drained by %d workers (%d threads of %d) connected to "
                    + "every node: %d tasks in %.2f s = %.0f tasks/s",
                workers, (workers + slots - 1) / slots, slots, backlog.count, seconds, rate))
        print(
            "    processor: " + used.since(sample, seconds: seconds)
                + String(
                    format: "; %.0f µs of this process's time a task",
                    used.processSeconds(since: sample) / Double(max(backlog.count, 1)) * 1e6))
        return rate
    }
}

/// The machine's load averages over 1, 5 and 15 minutes (/proc/loadavg), or "unknown".
func loadAverage() -> String {
    guard let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) else { return "unknown" }
    return text.split(separator: " ").prefix(3).joined(separator: " ")
}
