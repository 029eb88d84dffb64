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
                    try await PostgresAccessLog.insert([read], on: connection, logger: logger)
                }
            }
        }
    }
}
