import ArgumentParser
import CareJourneyPostgres
import CareJourneyStore
import Foundation
import Logging
import PostgresNIO

/// The plain batched-insert rate into a PostgreSQL database, durable (`synchronous_commit = on`): the yardstick
/// issue #19 asks to print beside the engine's durable transitions per second on PostgreSQL, once the engine runs
/// there. The same shape as `transitions`' SQLite baseline: ~600-byte rows, `batch` rows a transaction.
struct PostgresInsertBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "postgres-insert",
        abstract: "Plain batched inserts into PostgreSQL (synchronous_commit=on), rows per second.",
        discussion: """
            Give a database the bench may write to: it creates the table bench_rows there (dropping one a stopped \
            run left), and drops it after. The password may come from PGPASSWORD.
            """)

    @Option(help: "The database: postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?sslmode=…].")
    var store: String

    @Option(help: "Rows to insert.")
    var rows = 200_000

    @Option(help: "Rows a transaction (one INSERT … SELECT FROM unnest of arrays, one round trip).")
    var batch = 1_000

    func validate() throws {
        guard rows > 0, batch > 0 else { throw ValidationError("--rows and --batch need a number, 1 or more") }
    }

    func run() async throws {
        let address = try PostgresAddress(store)
        let measured = try await Self.measure(address, rows: rows, batch: batch)
        print(
            "carejourney-bench postgres-insert: \(address), PostgreSQL \(measured.version), "
                + "synchronous_commit=\(measured.synchronousCommit)")
        print(Self.line(measured.rate, batch: batch))
    }

    /// The insert rate into the database at `address`, with its `synchronous_commit` and server version.
    static func measure(_ address: PostgresAddress, rows: Int, batch: Int) async throws(StoreError)
        -> (rate: Double, synchronousCommit: String, version: String)
    {
        var logger = Logger(label: "carejourney-bench.postgres")
        logger.logLevel = .error
        return try await address.withConnection(logger: logger) { connection throws(StoreError) in
            try await PostgresFailure.map("the insert benchmark on \(address)") {
                var setting = ""
                for try await value in try await connection.query("SHOW synchronous_commit", logger: logger)
                    .decode(String.self)
                {
                    setting = value
                }
                var version = ""
                for try await value in try await connection.query("SHOW server_version", logger: logger)
                    .decode(String.self)
                {
                    version = value
                }
                let _: PostgresRowSequence = try await connection.query("DROP TABLE IF EXISTS bench_rows", logger: logger)
                let _: PostgresRowSequence = try await connection.query(
                    """
                    CREATE TABLE bench_rows (
                        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                        k text COLLATE "C" NOT NULL,
                        body bytea NOT NULL)
                    """, logger: logger)
                let body = ByteBuffer(repeating: 42, count: 600)
                let start = ContinuousClock.now
                var written = 0
                while written < rows {
                    let count = min(batch, rows - written)
                    let keys = (written..<(written + count)).map { "row-\($0)" }
                    let bodies = [ByteBuffer](repeating: body, count: count)
                    let _: PostgresRowSequence = try await connection.query(
                        "INSERT INTO bench_rows (k, body) SELECT * FROM unnest(\(keys)::text[], \(bodies)::bytea[])",
                        logger: logger)
                    written += count
                }
                let rate = Double(rows) / elapsed(since: start)
                let _: PostgresRowSequence = try await connection.query("DROP TABLE bench_rows", logger: logger)
                return (rate, setting, version)
            }
        }
    }

    /// The figure's line.
    static func line(_ rate: Double, batch: Int) -> String {
        String(
            format: "  plain batched insert, ~600-byte rows, %d rows a transaction (unnest of arrays): %.0f rows/s, "
                + "%.0f commits/s", batch, rate, rate / Double(batch))
    }
}
