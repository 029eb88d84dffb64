import GRDB

/// The SQLite store writes the engine's batches itself: one `BatchWriter` a batch, inside one GRDB transaction on the
/// pool's writer connection.
extension CaseStore: BatchCommitter {
    /// The store itself: its writer is the pool's writer connection.
    public var writer: any BatchCommitter { self }

    public func commit(_ batch: WriterBatch) throws -> BatchOutcome {
        try pool.write { db in
            var writer = BatchWriter(
                store: self, policy: batch.policy, policyFingerprint: batch.policyFingerprint,
                recordedAt: batch.recordedAt, known: batch.known)
            try writer.write(batch.notes, in: db)
            try writer.write(batch.reads, in: db)
            let results = try writer.write(batch.commands, in: db)
            return BatchOutcome(
                results: results, written: writer.written, changes: writer.changes, preparedTaken: writer.preparedTaken)
        }
    }

    /// Empties the WAL, which may hold older copies of the pages a correction overwrote (`truncateWAL`).
    public func clearOverwrittenCopies() -> Bool { truncateWAL() }

    public func figuresSnapshot() throws(StoreError) -> any FiguresSnapshot {
        SQLiteFiguresSnapshot(store: self, snapshot: try snapshot())
    }
}

/// A read transaction held open on the SQLite store (`DatabaseSnapshot`), to count its figures from.
private struct SQLiteFiguresSnapshot: FiguresSnapshot {
    let store: CaseStore
    let snapshot: DatabaseSnapshot

    func figures() async throws(StoreError) -> StoreFigures { try await store.figures(in: snapshot) }
}
