import CareJourneyStore
import Logging
import PostgresNIO

extension PostgresAddress {
    /// Records a read made outside the service (an export: `store copy` from this store) in the store's access log,
    /// durably, in a transaction of its own, before the read is made, as `CaseStore.recordRead` does for SQLite.
    ///
    /// - Throws: `StoreError.unavailable` when the database holds no store of this build's schema, or cannot be
    ///   reached; `.io` when the record cannot be written: the caller must then not go on.
    public func recordRead(_ read: AccessRecord, logger: Logger) async throws(StoreError) {
        try await withConnection(logger: logger) { connection throws(StoreError) in
            try await PostgresFailure.map("recording the read in the access log of \(self)") {
                try await connection.withTransaction(logger: logger) { connection in
                    try await PostgresSchema.check(on: connection, logger: logger, at: self)
                    var id: Int64?
                    for try await inserted in try await connection.query(
                        """
                        INSERT INTO access_log (at, actor, channel, query, detail, reason, case_count)
                        VALUES (\(read.at.timeIntervalSince1970), \(read.actor), \(read.channel.rawValue), \(read.query),
                            \(read.detail), \(read.reason), \(Int64(read.cases.count)))
                        RETURNING id
                        """, logger: logger
                    ).decode(Int64.self) {
                        id = inserted
                    }
                    guard let id else { throw StoreError(.io, "the access log gave the read no number") }
                    if !read.cases.isEmpty {
                        let cases = read.cases.map(\.rawValue)
                        try await connection.query(
                            "INSERT INTO access_log_cases (access_id, case_id) SELECT \(id), unnest(\(cases)::text[])",
                            logger: logger
                        ).drain()
                    }
                }
            }
        }
    }
}
