import Foundation
import GRDB

extension CaseStore {
    /// Copies the store, as one consistent snapshot, into a new store file in `folder`, through SQLite's online
    /// backup API in a single step: the copy is taken inside one read transaction, which in WAL mode never blocks the
    /// service's writer. It goes on committing; only its checkpoints stop short of the frames the copy still reads,
    /// so the WAL grows by what is committed meanwhile.
    ///
    /// - Returns: how long the read snapshot was held, in seconds.
    /// - Throws: `StoreError.io` when the copy cannot be written (a full disk said as one).
    func copy(into folder: String) throws(StoreError) -> Double {
        let target = URL(fileURLWithPath: folder).appendingPathComponent(Self.fileName).path
        let start = ContinuousClock.now
        do {
            let destination = try DatabaseQueue(path: target)
            try pool.backup(to: destination)
            try destination.close()
        } catch {
            throw StoreError.sqlite(
                error, writing: target, disk: URL(fileURLWithPath: path).deletingLastPathComponent().path)
        }
        return (ContinuousClock.now - start).inSeconds
    }

    /// Runs SQLite's own check of every page, index and constraint (`PRAGMA integrity_check`).
    ///
    /// - Throws: `StoreError.corrupt` with the first problems SQLite lists.
    public func checkIntegrity() throws(StoreError) {
        let problems = try read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check(20)") }
        guard problems == ["ok"] else {
            throw StoreError(
                .corrupt,
                "SQLite's integrity check of \(path) failed: \(problems.joined(separator: "; ")); the file is damaged")
        }
    }

    /// Checks a copy of a store before it is trusted: SQLite's integrity check, then every case replayed from its
    /// history and compared with its projection, timers and tasks (`verify`).
    ///
    /// - Parameter progress: told the cases replayed so far, of all of them, as the replay goes.
    /// - Returns: what the copy holds.
    /// - Throws: `StoreError.corrupt` naming the first problems found.
    func checkCopy(progress: (@Sendable (CopyStep) -> Void)? = nil) throws(StoreError) -> StoreContents {
        try checkIntegrity()
        let report = try verify(limit: 5) { done, total in progress?(.checking(done: done, total: total)) }
        guard report.isClean else {
            throw StoreError(
                .corrupt,
                "\(path) does not replay clean: \(report.differences.joined(separator: "; "))")
        }
        return try contents()
    }

    /// Writes everything in the WAL into the database file and closes the store: afterwards the file alone holds
    /// it, and may be moved.
    ///
    /// - Throws: `StoreError.io` when the checkpoint or the close fails.
    func close() throws(StoreError) {
        do {
            // The checkpoints' connection first, so that the pool's is the last and nothing is left in the WAL; a
            // checkpoint that cannot finish throws (the PRAGMA would only say so in its result).
            try checkpointer?.close()
            try pool.writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) }
            try pool.close()
        } catch {
            throw StoreError(.io, "cannot close the store at \(path)", cause: error)
        }
    }
}
