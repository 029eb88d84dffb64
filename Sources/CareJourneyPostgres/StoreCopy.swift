import CareJourneyStore
import Crypto
import Foundation
import Logging
import PostgresNIO

/// Where a store is: a data folder (SQLite) or a PostgreSQL database (`postgres://…`).
public enum StoreLocation: Sendable, CustomStringConvertible {
    case directory(String)
    case postgres(PostgresAddress)

    /// `postgres://…` (or `postgresql://…`) as a PostgreSQL address, a path as a data folder. Text that looks like an
    /// address but is not one (`Postgres://…`, `postgres:/…`, any `scheme://`) is refused rather than taken for a
    /// folder, which a copy would create and fill with everyone's record.
    ///
    /// - Throws: `StoreError` with code `address` when an address cannot be used as written (quoting nothing of it:
    ///   it may hold a password).
    public init(_ text: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws(StoreError) {
        let lower = text.lowercased()
        if lower.hasPrefix("postgres://") || lower.hasPrefix("postgresql://") {
            self = .postgres(try PostgresAddress(text, environment: environment))
        } else if text.contains("://") || lower.hasPrefix("postgres:") || lower.hasPrefix("postgresql:") {
            throw StoreError(
                .address,
                "a store is a data folder (a path) or a PostgreSQL address written postgres://USER@HOST[:PORT]/DATABASE "
                    + "(the scheme in lower case, two slashes); this is neither")
        } else {
            self = .directory(text)
        }
    }

    /// The folder, or the address without its password.
    public var description: String {
        switch self {
        case .directory(let path): path
        case .postgres(let address): address.description
        }
    }
}

/// `carejourney store copy`: a whole store copied between SQLite and PostgreSQL (either way, or between two of a
/// kind), table by table, in each table's key order, keeping every value (event numbers, case numbers, the order
/// SQLite's `rowid` gave), then checked.
///
/// ```swift
/// let report = try await StoreCopy.copy(
///     from: .directory("/var/lib/carejourney"), to: try StoreLocation("postgres://carejourney@db/carejourney"),
///     logger: logger)
/// ```
///
/// - The store copied from is read as it stood at one moment: a SQLite store through one read transaction (as
///   `store backup` reads it, beside a running service), a PostgreSQL one in one REPEATABLE READ READ ONLY
///   transaction. It is never written.
/// - Into PostgreSQL, everything happens in one transaction: the schema migrated (under the migrations' advisory
///   lock, which the transaction holds to its end, so two copies into one database never interleave), the
///   database refused unless every table is empty, the rows inserted (a thousand a statement), the identity columns'
///   sequences moved past the copied values, the copy checked, the name search's table filled from the cases' names.
///   Any refusal or failure rolls it all back: the database is left as it was.
/// - Into SQLite, the store is staged inside the data folder (which must be new or empty, and whose lock is held
///   throughout), filled, checked, its name search rebuilt, replayed whole (`store verify`), and only then moved
///   into place; a failure removes what was written (and the folder, when the copy made it).
/// - The check: each table's rows are counted and digested (SHA-256 over every value, in key order) as they are
///   read from the source, then read back from the target and digested again, the same way: any difference fails
///   the copy.
public enum StoreCopy {
    /// Where a copy has got to, for a progress line.
    public enum Step: Sendable, Equatable {
        /// Copying `table`: so many rows so far (all tables together), of all of them.
        case copying(table: String, done: Int, total: Int)
        /// Reading `table` back from the target and comparing it with the source.
        case comparing(table: String)
        /// Replaying every case of a SQLite target (`store verify`): so many so far, of all of them.
        case replaying(done: Int, total: Int)
        /// Committing (PostgreSQL) or moving the store into place (SQLite).
        case finishing
    }

    /// One table as copied: its rows and their digest, equal on both sides.
    public struct TableFigure: Sendable, Equatable {
        /// The table's name.
        public let table: String
        /// Its rows.
        public let rows: Int
        /// SHA-256 (hex) over every value of every row, in key order.
        public let digest: String
    }

    /// What a copy did.
    public struct Report: Sendable {
        /// Every table, in the order copied.
        public let tables: [TableFigure]
        /// What a SQLite target holds once replayed clean (`nil` for a PostgreSQL target).
        public let replayed: StoreContents?
        /// How long the copy took, checks included, in seconds.
        public let seconds: Double

        /// Rows copied, all tables together.
        public var rows: Int { tables.reduce(0) { $0 + $1.rows } }
    }

    /// The rows read from the source a page, and so inserted a batch.
    static let pageRows = 1_000

    /// Copies the store at `source` into `target`.
    ///
    /// - Throws: `StoreError`: `refused` when the target holds a store already (or, for a folder, other files);
    ///   `unavailable` when either side cannot be reached or has a schema this build does not know; `corrupt` when the
    ///   copy reads back different from the source, or a SQLite target does not replay clean; `address` for a
    ///   `sslrootcert` that cannot be read; `io` when reading or writing fails. The target is left as it was.
    public static func copy(
        from source: StoreLocation, to target: StoreLocation, logger: Logger,
        progress: (@Sendable (Step) -> Void)? = nil
    ) async throws(StoreError) -> Report {
        let start = ContinuousClock.now
        let (tables, replayed) = try await reading(source, logger: logger) { rows throws(StoreError) in
            try await writing(target, logger: logger, progress: progress) { sink, readBack throws(StoreError) in
                let figures = try await load(from: rows, into: sink, progress: progress)
                try await readBack { targetRows throws(StoreError) in
                    try await compare(figures, source: source, target: target, with: targetRows, progress: progress)
                }
                return figures
            }
        }
        return Report(tables: tables, replayed: replayed, seconds: (ContinuousClock.now - start).inSeconds)
    }

    // MARK: The source

    /// Runs `body` with the tables of the store at `source`, as they stood at one moment.
    private static func reading<T: Sendable>(
        _ source: StoreLocation, logger: Logger, _ body: (any TableSource) async throws(StoreError) -> T
    ) async throws(StoreError) -> T {
        switch source {
        case .directory(let path):
            let reader = try CaseStore(directory: path, access: .readOnly).tableReader()
            return try await body(reader)
        case .postgres(let address):
            return try await address.withConnection(logger: logger) { connection throws(StoreError) in
                try await PostgresFailure.map("opening a read of \(address)") {
                    try await connection.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", logger: logger).drain()
                }
                do throws(StoreError) {
                    try await PostgresSchema.check(on: connection, logger: logger, at: address)
                    let result = try await body(PostgresTables(connection: connection, logger: logger, address: address))
                    try? await connection.query("COMMIT", logger: logger).drain()
                    return result
                } catch {
                    try? await connection.query("ROLLBACK", logger: logger).drain()
                    throw error
                }
            }
        }
    }

    // MARK: The target

    /// Runs `fill` on the store at `target`, made ready to be filled, with a way to read it back before it is
    /// kept; keeps it only when `fill` returns, and leaves the target as it was when it throws.
    ///
    /// - Returns: what `fill` returned, and what a SQLite target holds once replayed.
    private static func writing<T: Sendable>(
        _ target: StoreLocation, logger: Logger, progress: (@Sendable (Step) -> Void)?,
        _ fill: (
            any TableSink,
            _ readBack: ((any TableSource) async throws(StoreError) -> Void) async throws(StoreError) -> Void
        ) async throws(StoreError) -> T
    ) async throws(StoreError) -> (T, StoreContents?) {
        switch target {
        case .directory(let path):
            let loading = try StoreLoading(directory: path)
            do throws(StoreError) {
                let result = try await fill(loading.store) { read throws(StoreError) in
                    // The reader's read transaction ends with this call, before the store is closed and moved.
                    try await read(try loading.store.tableReader())
                }
                let contents = try loading.finish { step in
                    switch step {
                    case .checking(let done, let total): progress?(.replaying(done: done, total: total))
                    case .writing: progress?(.finishing)
                    case .copying: break
                    }
                }
                return (result, contents)
            } catch {
                loading.abandon()
                throw error
            }
        case .postgres(let address):
            return try await address.withConnection(logger: logger) { connection throws(StoreError) in
                let result = try await PostgresFailure.map("copying into \(address)") {
                    try await connection.withTransaction(logger: logger) { connection in
                        try await PostgresSchema.migrate(on: connection, logger: logger)
                        let tables = PostgresTables(connection: connection, logger: logger, address: address)
                        try await refuseOccupied(tables, at: address)
                        let result = try await fill(tables) { read throws(StoreError) in try await read(tables) }
                        try await PostgresSchema.repairCaseNames(on: connection, logger: logger)
                        progress?(.finishing)
                        return result
                    }
                }
                return (result, nil)
            }
        }
    }

    /// Refuses a PostgreSQL database whose store tables hold any row.
    private static func refuseOccupied(_ tables: PostgresTables, at address: PostgresAddress) async throws(StoreError) {
        var occupied: [String] = []
        for table in StoreTable.all where try await tables.count(table) > 0 {
            occupied.append(table.name)
        }
        guard occupied.isEmpty else {
            throw StoreError(
                .refused,
                "\(address) already holds a store (rows in \(occupied.joined(separator: ", "))); a copy never "
                    + "overwrites or merges into one, and left it as it was. Copy into a new, empty database "
                    + "(`createdb NAME`, then --to with that name); or, once nothing serves from this one, drop it "
                    + "(`dropdb`), create it again, and copy into it")
        }
    }

    // MARK: Copying and checking

    /// Copies every table from `source` into `sink`, page by page in key order, counting and digesting the rows
    /// read; then moves the target's numbering past what was copied.
    private static func load(
        from source: any TableSource, into sink: any TableSink, progress: (@Sendable (Step) -> Void)?
    ) async throws(StoreError) -> [TableFigure] {
        var figures: [TableFigure] = []
        var total = 0
        for table in StoreTable.all { total += try await source.count(table) }
        var done = 0
        for table in StoreTable.all {
            var digest = TableDigest()
            try await pages(of: table, in: source) { rows throws(StoreError) in
                try await sink.insert(rows, into: table)
                digest.add(rows)
                done += rows.count
                progress?(.copying(table: table.name, done: done, total: total))
            }
            figures.append(TableFigure(table: table.name, rows: digest.rows, digest: digest.hex))
        }
        try await sink.keepNumbering(after: try await source.eventsHighWater())
        return figures
    }

    /// Reads every table of the target back, as `load` read the source, and compares.
    private static func compare(
        _ figures: [TableFigure], source: StoreLocation, target: StoreLocation, with targetRows: any TableSource,
        progress: (@Sendable (Step) -> Void)?
    ) async throws(StoreError) {
        for (table, copied) in zip(StoreTable.all, figures) {
            progress?(.comparing(table: table.name))
            var digest = TableDigest()
            try await pages(of: table, in: targetRows) { rows in digest.add(rows) }
            guard digest.rows == copied.rows, digest.hex == copied.digest else {
                throw StoreError(
                    .corrupt,
                    "the copy of the table \(table.name) reads back different: \(copied.rows) row(s), digest "
                        + "\(copied.digest.prefix(16)), in \(source); \(digest.rows) row(s), digest "
                        + "\(digest.hex.prefix(16)), in \(target). Nothing was kept: report this, with both stores' "
                        + "versions")
            }
        }
    }

    /// Calls `body` with each page of `table`'s rows, in key order.
    private static func pages(
        of table: StoreTable, in source: any TableSource, _ body: ([[StoreValue]]) async throws(StoreError) -> Void
    ) async throws(StoreError) {
        let key = table.keyPositions
        var last: [StoreValue]?
        while true {
            let rows = try await source.rows(of: table, after: last, limit: pageRows)
            guard let final = rows.last else { return }
            try await body(rows)
            last = key.map { final[$0] }
        }
    }
}

/// A store's tables read in pages in key order: a SQLite store's (`StoreTableReader`), a PostgreSQL one's.
protocol TableSource: Sendable {
    func rows(of table: StoreTable, after last: [StoreValue]?, limit: Int) async throws(StoreError) -> [[StoreValue]]
    func count(_ table: StoreTable) async throws(StoreError) -> Int
    /// The highest event number the store ever gave, which may be above the highest it holds.
    func eventsHighWater() async throws(StoreError) -> Int64?
}

/// A store being filled by a copy.
protocol TableSink {
    func insert(_ rows: [[StoreValue]], into table: StoreTable) async throws(StoreError)
    /// Makes the store number new rows past those copied, and new events past `eventsHighWater` too.
    func keepNumbering(after eventsHighWater: Int64?) async throws(StoreError)
}

extension StoreTableReader: TableSource {}

extension PostgresTables: TableSource, TableSink {
    func keepNumbering(after eventsHighWater: Int64?) async throws(StoreError) {
        try await moveIdentities(eventsHighWater: eventsHighWater)
    }
}

extension CaseStore: TableSink {
    /// SQLite numbers past the highest `rowid` by itself; events, past `sqlite_sequence`, which the copied rows
    /// raised to their highest, and which is raised to the source's high-water mark here.
    func keepNumbering(after eventsHighWater: Int64?) async throws(StoreError) {
        if let eventsHighWater { try raiseEventsHighWater(to: eventsHighWater) }
    }
}

/// A table's rows counted and digested: SHA-256 over each value, tagged with its kind, lengths before text and
/// blobs, so that no two different tables digest alike.
struct TableDigest {
    private var hash = SHA256()
    private(set) var rows = 0

    mutating func add(_ page: [[StoreValue]]) {
        var bytes: [UInt8] = []
        for row in page {
            for value in row {
                switch value {
                case .null: bytes.append(0)
                case .integer(let integer):
                    bytes.append(1)
                    withUnsafeBytes(of: integer.littleEndian) { bytes.append(contentsOf: $0) }
                case .real(let real):
                    bytes.append(2)
                    withUnsafeBytes(of: real.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
                case .text(let text):
                    bytes.append(3)
                    withUnsafeBytes(of: UInt64(text.utf8.count).littleEndian) { bytes.append(contentsOf: $0) }
                    bytes.append(contentsOf: text.utf8)
                case .blob(let blob):
                    bytes.append(4)
                    withUnsafeBytes(of: UInt64(blob.count).littleEndian) { bytes.append(contentsOf: $0) }
                    bytes.append(contentsOf: blob)
                }
            }
        }
        hash.update(data: bytes)
        rows += page.count
    }

    var hex: String {
        hash.finalize().map { String(format: "%02x", $0) }.joined()
    }
}
