import ArgumentParser
import CareJourneyCore
import CareJourneyKit
import CareJourneyPostgres
import CareJourneyStore
import Foundation
import GRDB
import Logging

/// Durable transitions per second through the engine (group commit, synchronous=FULL), beside the same
/// machine's plain batched-insert rate measured in the same run; with `--store postgres://…`, through the PostgreSQL
/// writer (`PostgresWriter`, synchronous_commit=on) beside `postgres-insert`'s rate into the same database.
struct TransitionsBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "transitions", abstract: "Durable transitions per second, against a plain batched insert.")

    @Option(help: "Cases to take from contact to sign-off (EventCatalog.pathToDelivery: 8 transitions each).")
    var cases = 20_000

    @Option(help: "Clients submitting at once.")
    var clients = 1024

    @Option(help: "The policy file.")
    var policy = benchmarkPolicyPath()

    @Option(
        help: """
            A PostgreSQL database to write to instead of a SQLite store: postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE. \
            It is given the store's schema and must hold no cases (use a new database); the engine's reads and \
            policy stay on a scratch SQLite store.
            """)
    var store: String?

    @OptionGroup var progress: ProgressOption

    func run() async throws {
        let rules = try PolicyFile.load(policy)
        let mix = try TransitionMix(at: Date(timeIntervalSince1970: 1_767_603_600))
        let store = try CaseStore(directory: scratchDirectory("transitions"))
        var logger = Logger(label: "carejourney-bench.postgres")
        logger.logLevel = .error
        var postgres: (writer: PostgresWriter, address: PostgresAddress)?
        if let address = self.store { postgres = try await Self.postgresWriter(address, logger: logger) }
        let engine = try await Engine(store: store, writer: postgres?.writer ?? store, policy: rules)
        let durability =
            try postgres.map { "PostgreSQL at \($0.address), synchronous_commit=on" }
            ?? "synchronous=\(store.synchronousLevel()) (2 = FULL)"
        print(
            "carejourney-bench transitions: \(cases) cases × \(mix.transitionsPerCase) transitions, \(clients) clients, \(durability), \(Allocator.name)"
        )

        let line = progress.line("transitions", counting: "cases")
        let start = ContinuousClock.now
        let transitions = try await withThrowingTaskGroup(of: Int.self) { group in
            group.addTask {
                await engine.run()
                return 0
            }
            defer { engine.stopAccepting() }
            return try await mix.walk(cases: cases, clients: clients, over: [engine], line: line)
        }
        line?.finish()
        let seconds = elapsed(since: start)
        let rate = Double(transitions) / seconds
        print(String(format: "  durable transitions: %d in %.2f s = %.0f transitions/s", transitions, seconds, rate))
        let batching = engine.statistics
        print(
            String(
                format: "  group commit: %d transactions, %.0f commands each on average (largest %d)",
                batching.batches, Double(batching.commands) / Double(max(batching.batches, 1)), batching.largestBatch))
        print(
            String(
                format: "  transitions worked out by the submitting tasks, taken by the writer: %.0f%%",
                Double(batching.preparedTransitions) / Double(max(transitions, 1)) * 100))
        print(
            String(
                format: "  writer thread: %.1f µs of processor time a transition, busy %.0f%% of the run",
                batching.writerCPUSeconds / Double(max(transitions, 1)) * 1e6, batching.writerCPUSeconds / seconds * 100
            )
        )

        let baseline: Double
        if let postgres {
            await postgres.writer.close()
            let measured = try await PostgresInsertBenchmark.measure(postgres.address, rows: 200_000, batch: 1000)
            baseline = measured.rate
            print("  postgres-insert into the same database, synchronous_commit=\(measured.synchronousCommit):")
            print(PostgresInsertBenchmark.line(baseline, batch: 1000))
        } else {
            baseline = try Self.batchedInsertRate(rows: 200_000, batch: 1000)
            print(
                String(
                    format: "  plain batched insert, same machine, synchronous=FULL, 1000 rows a transaction: %.0f rows/s",
                    baseline))
        }
        print(
            String(
                format:
                    "  each transition writes ~5 rows (event, case, timers, tasks): engine = %.0f%% of the raw row rate",
                rate * 5 / baseline * 100))
        let goal = postgres == nil ? 35_000.0 : 10_000
        print(
            String(
                format: "  goal on 2 cores: >= %.0f transitions/s — %@", goal, rate >= goal ? "met" : "not met"))
        print(String(format: "  peak memory: %.0f MiB", peakMemoryMiB()))
    }

    /// The PostgreSQL writer on the database at `text`, given the store's schema; refused when it holds cases.
    static func postgresWriter(_ text: String, logger: Logger) async throws -> (writer: PostgresWriter, address: PostgresAddress) {
        let address = try PostgresAddress(text)
        try await PostgresSchema.migrate(address, logger: logger)
        let writer = try await PostgresWriter.open(address, logger: logger)
        guard try await writer.isEmpty() else {
            await writer.close()
            throw ValidationError("\(address) holds cases already: give the benchmark a new database (createdb NAME)")
        }
        return (writer, address)
    }

    /// Rows per second for plain inserts of ~600-byte rows, `batch` rows a transaction, synchronous=FULL, WAL.
    static func batchedInsertRate(rows: Int, batch: Int) throws -> Double {
        let path = URL(fileURLWithPath: scratchDirectory("baseline")).appendingPathComponent("baseline.sqlite").path
        let pool = try DatabasePool(path: path)
        try pool.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
            try db.execute(sql: "CREATE TABLE rows (id INTEGER PRIMARY KEY, k TEXT NOT NULL, body BLOB NOT NULL)")
        }
        let body = Data(repeating: 42, count: 600)
        let start = ContinuousClock.now
        var written = 0
        while written < rows {
            let count = min(batch, rows - written)
            let first = written
            try pool.write { db in
                let statement = try db.cachedStatement(sql: "INSERT INTO rows (k, body) VALUES (?, ?)")
                for n in first..<(first + count) { try statement.execute(arguments: ["row-\(n)", body]) }
            }
            written += count
        }
        return Double(rows) / elapsed(since: start)
    }
}
