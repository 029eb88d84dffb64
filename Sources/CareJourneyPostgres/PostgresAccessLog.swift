import CareJourneyStore
import Logging
import PostgresNIO

/// The access log's rows on PostgreSQL: reads of personal data, each with the cases it returned, written as arrays
/// (three round trips however many reads), in the caller's transaction.
enum PostgresAccessLog {
    /// Writes `reads`, in order: each gets the next number of `access_log`'s identity.
    static func insert(_ reads: [AccessRecord], on connection: PostgresConnection, logger: Logger) async throws {
        guard !reads.isEmpty else { return }
        var ids: [Int64] = []
        ids.reserveCapacity(reads.count)
        for try await id in try await connection.query(
            """
            SELECT nextval(pg_get_serial_sequence('access_log', 'id')) FROM generate_series(1, \(Int64(reads.count)))
            """, logger: logger
        ).decode(Int64.self) {
            ids.append(id)
        }
        guard ids.count == reads.count else { throw StoreError(.io, "the access log gave the reads no numbers") }
        let rows = zip(ids, reads)
        try await connection.query(
            """
            INSERT INTO access_log (id, at, actor, channel, query, detail, reason, case_count)
            SELECT * FROM unnest(\(PostgresArray(rows.map { .integer($0.0) }).literal)::bigint[],
                \(PostgresArray(rows.map { .real($0.1.at.timeIntervalSince1970) }).literal)::float8[],
                \(PostgresArray(rows.map { .text($0.1.actor) }).literal)::text[],
                \(PostgresArray(rows.map { .text($0.1.channel.rawValue) }).literal)::text[],
                \(PostgresArray(rows.map { .textOrNull($0.1.query) }).literal)::text[],
                \(PostgresArray(rows.map { .textOrNull($0.1.detail) }).literal)::text[],
                \(PostgresArray(rows.map { .textOrNull($0.1.reason) }).literal)::text[],
                \(PostgresArray(rows.map { .int($0.1.cases.count) }).literal)::bigint[])
            """, logger: logger
        ).drain()
        let cases = rows.flatMap { id, read in read.cases.map { (id, $0.rawValue) } }
        guard !cases.isEmpty else { return }
        try await connection.query(
            """
            INSERT INTO access_log_cases (access_id, case_id)
            SELECT * FROM unnest(\(cases.map(\.0))::bigint[], \(cases.map(\.1))::text[])
            """, logger: logger
        ).drain()
    }
}
