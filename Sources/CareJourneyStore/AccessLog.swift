import CareJourneyCore
import Foundation
import GRDB

/// The access log's rows: `access_log` (one row a read) and `access_log_cases` (every case it returned).
enum AccessLog {
    /// Writes one read and its cases.
    static func insert(_ read: AccessRecord, in db: Database) throws {
        try db.cachedStatement(
            sql: """
                INSERT INTO access_log (at, actor, channel, query, detail, reason, case_count)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(
            arguments: [
                read.at.timeIntervalSince1970, read.actor, read.channel.rawValue, read.query, read.detail,
                read.reason, read.cases.count,
            ])
        let id = db.lastInsertedRowID
        let insertCase = try db.cachedStatement(sql: "INSERT INTO access_log_cases (access_id, case_id) VALUES (?, ?)")
        for caseID in read.cases { try insertCase.execute(arguments: [id, caseID.rawValue]) }
    }

    /// The reads `query` asks for, newest first.
    static func fetch(_ query: AccessQuery, in db: Database) throws -> [AccessRecord] {
        var conditions: [String] = []
        var arguments: [any DatabaseValueConvertible] = []
        var from = "access_log"
        if let cases = query.cases {
            guard !cases.isEmpty else { return [] }
            from = """
                access_log WHERE id IN (SELECT access_id FROM access_log_cases WHERE case_id IN \
                (\(Array(repeating: "?", count: cases.count).joined(separator: ", "))))
                """
            arguments += cases.map(\.rawValue)
        }
        if let actor = query.actor {
            conditions.append("actor = ?")
            arguments.append(actor)
        }
        if let start = query.from {
            conditions.append("at >= ?")
            arguments.append(start.timeIntervalSince1970)
        }
        if let end = query.to {
            conditions.append("at < ?")
            arguments.append(end.timeIntervalSince1970)
        }
        let joiner = query.cases == nil ? " WHERE " : " AND "
        let filter = conditions.isEmpty ? "" : joiner + conditions.joined(separator: " AND ")
        let rows = try Row.fetchAll(
            db, sql: "SELECT * FROM \(from)\(filter) ORDER BY at DESC, id DESC LIMIT ?",
            arguments: StatementArguments(arguments + [query.limit]))
        let casesOf = try db.cachedStatement(
            sql: "SELECT case_id FROM access_log_cases WHERE access_id = ? ORDER BY rowid")
        return try rows.map { row -> AccessRecord in
            let id: Int64 = row["id"]
            let channel: String = row["channel"]
            let at: Double = row["at"]
            let cases = try String.fetchAll(casesOf, arguments: [id]).map { CaseID($0) }
            return AccessRecord(
                actor: row["actor"], at: Date(timeIntervalSince1970: at),
                channel: AccessRecord.Channel(rawValue: channel) ?? .view, cases: cases, query: row["query"],
                detail: row["detail"], reason: row["reason"])
        }
    }
}

extension CaseStore {
    /// The reads of personal data `query` asks for, newest first: who looked at which cases, when, how and why.
    public func accessLog(matching query: AccessQuery) async throws(StoreError) -> [AccessRecord] {
        try await readAsync { db in try AccessLog.fetch(query, in: db) }
    }

    /// Records a read made outside the service (an export, an audit) in the store in `directory`, durably, before
    /// the caller shows or writes the data: the store may be in use by a running service (its writer waits its
    /// turn) and is neither migrated nor otherwise changed.
    ///
    /// - Throws: `StoreError.unavailable` when the store cannot be opened or is refused (see `CaseStore.init`),
    ///   `.io` when the record cannot be written (a full disk, a read-only file): the caller must then not go on.
    public static func recordRead(_ read: AccessRecord, inStoreAt directory: String) throws(StoreError) {
        let path = URL(fileURLWithPath: directory).appendingPathComponent("carejourney.sqlite").path
        guard FileManager.default.fileExists(atPath: path) else {
            throw StoreError(
                .unavailable,
                "there is no store in \(directory) (no carejourney.sqlite); pass --data-dir with the folder "
                    + "`carejourney serve` uses")
        }
        try DataDirectory.checkExisting(directory)
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        let queue: DatabaseQueue
        do {
            queue = try DatabaseQueue(path: path, configuration: configuration)
        } catch {
            throw StoreError(.unavailable, "cannot open the store at \(path)", cause: error)
        }
        try StoreSchema.check(queue, at: path, migrating: false)
        do {
            try queue.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
            try queue.write { db in try AccessLog.insert(read, in: db) }
        } catch {
            throw StoreError(
                .io, "the read could not be recorded in \(path), so it does not go ahead", cause: error)
        }
    }
}
