import CareJourneyCore
import Foundation
import GRDB

/// What is left of a disposed case: its number and id, when it opened and closed, the retention rule and period it was
/// kept for under which policy, who disposed of it and when, and how many rows of each table went — no personal data.
/// One row of `disposal_certificates` (schema v12).
public struct DisposalCertificate: Sendable, Equatable {
    public var caseNumber: Int64
    public var caseID: CaseID
    public var openedAt: Date?
    public var closedAt: Date
    public var rule: String
    public var keptFor: String
    public var policy: String
    public var disposedBy: String
    public var disposedAt: Date
    /// The rows removed, by table (`CaseRows`).
    public var removed: [String: Int]

    package init(
        caseNumber: Int64, caseID: CaseID, openedAt: Date?, closedAt: Date, rule: String, keptFor: String,
        policy: String, disposedBy: String, disposedAt: Date, removed: [String: Int]
    ) {
        self.caseNumber = caseNumber
        self.caseID = caseID
        self.openedAt = openedAt
        self.closedAt = closedAt
        self.rule = rule
        self.keptFor = keptFor
        self.policy = policy
        self.disposedBy = disposedBy
        self.disposedAt = disposedAt
        self.removed = removed
    }

    /// Every certificate of the store in the data folder `folder`, read without opening it as a store: a folder
    /// moved aside, whatever version of CareJourney last ran on it (certificates are kept from schema v12 on; an
    /// older store has none). Nothing is written, migrated or started.
    ///
    /// - Throws: `StoreError.unavailable` when the folder holds no store, or it cannot be read.
    public static func all(inStoreAt folder: String) throws(StoreError) -> [DisposalCertificate] {
        let path = URL(fileURLWithPath: folder).appendingPathComponent(CaseStore.fileName).path
        guard FileManager.default.fileExists(atPath: path) else {
            throw StoreError(
                .unavailable,
                "there is no store in \(folder) (no \(CaseStore.fileName)) to read disposal certificates from: give "
                    + "the data folder the backup stands in for, the one moved aside")
        }
        do {
            var configuration = Configuration()
            configuration.readonly = true
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            defer { try? queue.close() }
            return try queue.read { db in
                try db.tableExists("disposal_certificates") ? try all(in: db) : []
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(
                .unavailable, "cannot read the disposal certificates of the store in \(folder)", cause: error)
        }
    }

    /// Every certificate the store holds, by case number.
    static func all(in db: Database) throws -> [DisposalCertificate] {
        try Row.fetchAll(db, sql: "SELECT * FROM disposal_certificates ORDER BY case_number").map { row in
            let removed: String = row["removed"]
            return DisposalCertificate(
                caseNumber: row["case_number"], caseID: CaseID(row["case_id"] as String),
                openedAt: (row["opened_at"] as Double?).map(Date.init(timeIntervalSince1970:)),
                closedAt: Date(timeIntervalSince1970: row["closed_at"]), rule: row["rule"], keptFor: row["kept_for"],
                policy: row["policy"], disposedBy: row["disposed_by"],
                disposedAt: Date(timeIntervalSince1970: row["disposed_at"]),
                removed: try StateCodec.decode(
                    [String: Int].self, Data(removed.utf8), what: "the rows removed of case \(row["case_id"] as String)"
                ))
        }
    }

    /// Removes every row of the case (`CaseRows`, in order), then stores this certificate counting them.
    ///
    /// - Returns: the rows each table lost.
    func removeCase(in db: Database) throws -> [String: Int] {
        var certified = self
        certified.removed = [:]
        for statement in CaseRows.disposal {
            try db.execute(sql: statement.sql, arguments: ["case": caseID.rawValue])
            certified.removed[statement.table] = db.changesCount
        }
        try certified.insert(in: db)
        return certified.removed
    }

    /// Stores this certificate as it is.
    func insert(in db: Database) throws {
        try db.execute(
            sql: """
                INSERT INTO disposal_certificates (case_number, case_id, opened_at, closed_at, rule, kept_for, policy,
                    disposed_by, disposed_at, removed)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                caseNumber, caseID.rawValue, openedAt?.timeIntervalSince1970, closedAt.timeIntervalSince1970, rule,
                keptFor, policy, disposedBy, disposedAt.timeIntervalSince1970,
                String(decoding: try StateCodec.encode(removed), as: UTF8.self),
            ])
    }
}
