import CareJourneyCore
import Foundation
import GRDB
import Synchronization

/// The SQLite store: one `DatabasePool` (WAL) per data folder, `synchronous=FULL` so committed means on disk.
///
/// Writes go through `Engine`, which batches them (group commit); this type opens the store, migrates it, and
/// answers reads.
public final class CaseStore: Sendable {
    /// The database.
    let pool: DatabasePool
    /// A connection of its own for passive checkpoints (`checkpointPassively`), so that the writer's next commit
    /// never waits behind one; `nil` for a read-only store.
    let checkpointer: DatabaseQueue?
    /// The database file.
    public let path: String
    /// The database file's name in its data folder.
    static let fileName = "carejourney.sqlite"
    /// Policies read so far, by fingerprint (they never change once stored).
    private let knownPolicies = Mutex<[String: Policy]>([:])

    /// How a command opens the store.
    public enum Access: Sendable {
        /// To run the service or change cases: the folder is created (0700) if missing, and the store migrated to
        /// this version's schema.
        case readWrite
        /// To read it beside a running service (`store verify`, `report`): nothing is created, migrated or
        /// written, and a store this version's schema does not match is refused.
        case readOnly
    }

    /// Opens the store in `directory`: for `.readWrite`, creating it if needed and migrating it to this version's
    /// schema; for `.readOnly`, as it is.
    ///
    /// Either way a store written by a newer version is refused, naming both versions, and a data folder that
    /// others may read or write is refused, naming the fix (see `DataDirectory`).
    ///
    /// - Throws: `StoreError.unavailable` when the folder or file cannot be opened or migrated, or is refused.
    public init(directory: String, access: Access = .readWrite) throws(StoreError) {
        path = URL(fileURLWithPath: directory).appendingPathComponent(Self.fileName).path
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.label = "carejourney"
        // What is deleted or overwritten is zeroed where it lay, from the moment it is freed: a disposed case or a
        // corrected value leaves no copy in free pages or in the free space of pages still in use. Set on every
        // connection, not only the one that disposes, since the older copies were freed by ordinary writes (each
        // snapshot, each updated row). See docs/governance.md.
        //
        //
        // A WAL that grew once (a long read beside the writer, a migration) is cut back to `walSizeLimit` the next
        // time it starts again from its beginning, instead of keeping its largest size on disk for ever; and the
        // writer copies it into the database file every `autocheckpointPages` pages rather than every 1,000.
        configuration.prepareDatabase { db in
            try db.execute(
                sql: """
                    PRAGMA secure_delete = ON; PRAGMA journal_size_limit = \(Self.walSizeLimit);
                    PRAGMA wal_autocheckpoint = \(Self.autocheckpointPages)
                    """)
        }
        switch access {
        case .readWrite:
            DataDirectory.restrictNewFiles()
            try DataDirectory.prepare(directory)
        case .readOnly:
            guard FileManager.default.fileExists(atPath: path) else {
                throw StoreError(
                    .unavailable,
                    "there is no store in \(directory) (no carejourney.sqlite); pass --data-dir with the folder "
                        + "`carejourney serve` uses")
            }
            try DataDirectory.checkExisting(directory)
            configuration.readonly = true
        }
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
        } catch {
            throw StoreError(.unavailable, "cannot open the store at \(path)", cause: error)
        }
        try StoreSchema.check(pool, at: path, migrating: access == .readWrite)
        if access == .readWrite {
            do {
                // DatabasePool sets synchronous=NORMAL while preparing its writer: make commits durable afterwards.
                try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
                try StoreSchema.migrator.migrate(pool)
                var checkpoints = Configuration()
                checkpoints.label = "carejourney.checkpoints"
                checkpointer = try DatabaseQueue(path: path, configuration: checkpoints)
            } catch {
                throw StoreError(.unavailable, "cannot open the store at \(path)", cause: error)
            }
        } else {
            checkpointer = nil
        }
    }

    /// The most bytes the WAL file keeps on disk once it is emptied (`PRAGMA journal_size_limit`): 64 MiB, a few
    /// seconds of commits at full speed, so that a busy store does not grow the file again at once.
    static let walSizeLimit = 64 << 20

    /// The WAL's pages after which a commit copies them into the database file (`PRAGMA wal_autocheckpoint`):
    /// 10,000 (~40 MiB) rather than SQLite's 1,000. A batch of a few hundred commands dirties a few thousand pages,
    /// so at 1,000 nearly every commit also checkpointed, writing and syncing the database file while the writer
    /// waited; the pages a commit touches again (index roots, the events' tail) are now copied once for many
    /// commits. Tasks drained 20,300 → 21,200 a second (`carejourney-bench tasks`, alternate runs, docs/operations.md).
    static let autocheckpointPages = 10_000

    /// The `PRAGMA synchronous` level the writer commits with (2 is FULL).
    public func synchronousLevel() throws(StoreError) -> Int {
        try write { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1 }
    }

    /// Copies every committed page into the database file and empties the WAL, so that it keeps no older copy of
    /// a page (one holding a disposed case or a corrected value): `PRAGMA wal_checkpoint(TRUNCATE)`. It waits for
    /// readers of older pages to finish (up to the busy timeout).
    ///
    /// - Returns: whether the WAL was emptied; `false` when readers held it (the next call empties it).
    @discardableResult
    public func truncateWAL() -> Bool {
        do {
            _ = try pool.writeWithoutTransaction { db in try db.checkpoint(.truncate) }
            return true
        } catch {
            return false
        }
    }

    /// Copies the WAL's committed pages into the database file as far as readers allow, without waiting for any
    /// (`PRAGMA wal_checkpoint(PASSIVE)`): once every page is copied, the writer's next transaction starts the WAL
    /// again from its beginning instead of growing it. For a long read done in chunks beside the live writer, between
    /// two chunks: with one chunk read after another and commands going on, no automatic checkpoint ever found the
    /// moment without a reader that a restart needs (the WAL grew by 16 MB/s at a million cases).
    ///
    /// It runs on a connection of its own: the writer commits on while the pages are copied and the database file
    /// synced (SQLite lets one connection checkpoint beside another's writes).
    ///
    /// - Returns: whether every committed page is in the database file now (`false` when a reader held some back,
    ///   or the store is read-only).
    @discardableResult
    public func checkpointPassively() async -> Bool {
        guard let checkpointer else { return false }
        do {
            let (log, copied) = try await checkpointer.writeWithoutTransaction { db in try db.checkpoint(.passive) }
            return log == copied
        } catch {
            return false
        }
    }

    // MARK: Access

    func read<T: Sendable>(_ body: @Sendable (Database) throws -> T) throws(StoreError) -> T {
        try StoreError.io(Self.readFailed) { try pool.read(body) }
    }

    func write<T: Sendable>(_ body: @Sendable (Database) throws -> T) throws(StoreError) -> T {
        try StoreError.io(Self.writeFailed) { try pool.writeWithoutTransaction(body) }
    }

    /// What a failed read and a failed write of the store say.
    static let readFailed = "reading the store failed"
    static let writeFailed = "writing the store failed"

    func readAsync<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws(StoreError) -> T {
        try await StoreError.io(Self.readFailed) { try await pool.read(body) }
    }

    // MARK: Policies

    /// The policy the store runs under, if one was set.
    public func currentPolicy() throws(StoreError) -> Policy? {
        let body = try read { db in
            try String.fetchOne(
                db,
                sql: "SELECT p.body FROM meta m JOIN policies p ON p.fingerprint = m.value WHERE m.key = 'policy'")
        }
        return try body.map { text throws(StoreError) in
            try StateCodec.decode(Policy.self, Data(text.utf8), what: "the current policy")
        }
    }

    /// Records a policy (so history applied under it can be replayed) and, if `current`, makes it the one new
    /// events run under, its people's queues' open tasks on the worklists (`list(peopleQueues:in:)`).
    public func register(_ policy: Policy, current: Bool, at now: Date) throws(StoreError) {
        let body = String(decoding: try StateCodec.encode(policy), as: UTF8.self)
        let fingerprint = policy.fingerprint
        try write { db in
            try db.inTransaction {
                try db.execute(
                    sql: "INSERT OR IGNORE INTO policies (fingerprint, id, body, registered_at) VALUES (?, ?, ?, ?)",
                    arguments: [fingerprint, policy.id, body, now.timeIntervalSince1970])
                if current {
                    try db.execute(
                        sql: "INSERT OR REPLACE INTO meta (key, value) VALUES ('policy', ?)", arguments: [fingerprint])
                    try Self.list(peopleQueues: policy.peopleQueues, in: db)
                }
                return .commit
            }
        }
    }

    /// The policy with this fingerprint, from memory or the store.
    func policy(fingerprint: String, in db: Database) throws -> Policy {
        if let policy = knownPolicies.withLock({ $0[fingerprint] }) { return policy }
        guard
            let body = try String.fetchOne(
                db, sql: "SELECT body FROM policies WHERE fingerprint = ?", arguments: [fingerprint])
        else {
            throw StoreError(.corrupt, "the store holds events applied under policy \(fingerprint), but not the policy")
        }
        let policy = try StateCodec.decode(Policy.self, Data(body.utf8), what: "policy \(fingerprint)")
        knownPolicies.withLock { $0[fingerprint] = policy }
        return policy
    }

    /// A case's current state (snapshot plus the events after it).
    func currentState(of id: CaseID, in db: Database) throws -> StateCache.Entry? {
        try StateLoader.load(id, in: db) { fingerprint in try policy(fingerprint: fingerprint, in: db) }
    }

    /// Every policy the history was applied under, by fingerprint.
    public func policies() throws(StoreError) -> [String: Policy] {
        let rows = try read { db in
            try Row.fetchAll(db, sql: "SELECT fingerprint, body FROM policies").map { row in
                (fingerprint: row["fingerprint"] as String, body: row["body"] as String)
            }
        }
        var policies: [String: Policy] = [:]
        for row in rows {
            policies[row.fingerprint] = try StateCodec.decode(Policy.self, Data(row.body.utf8), what: "a policy")
        }
        return policies
    }

    // MARK: Meta

    /// A value kept in the store's meta table.
    public func meta(_ key: String) throws(StoreError) -> String? {
        try read { db in try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = ?", arguments: [key]) }
    }

    /// Sets a value in the store's meta table.
    public func setMeta(_ key: String, _ value: String) throws(StoreError) {
        try write { db in
            try db.execute(sql: "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", arguments: [key, value])
        }
    }
}
