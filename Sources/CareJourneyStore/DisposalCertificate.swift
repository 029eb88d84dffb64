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
                removed: (try? StateCodec.decode([String: Int].self, Data(removed.utf8), what: "a certificate's rows"))
                    ?? [:])
        }
    }

    /// Removes every row of the case (`CaseRows`, in order) and stores this certificate with the rows each table lost.
    func removeCase(in db: Database) throws -> [String: Int] {
        var rows: [String: Int] = [:]
        for statement in CaseRows.disposal {
            try db.execute(sql: statement.sql, arguments: ["case": caseID.rawValue])
            rows[statement.table] = db.changesCount
        }
        try db.execute(
            sql: """
                INSERT INTO disposal_certificates (case_number, case_id, opened_at, closed_at, rule, kept_for, policy,
                    disposed_by, disposed_at, removed)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                caseNumber, caseID.rawValue, openedAt?.timeIntervalSince1970, closedAt.timeIntervalSince1970, rule,
                keptFor, policy, disposedBy, disposedAt.timeIntervalSince1970,
                String(decoding: try StateCodec.encode(rows), as: UTF8.self),
            ])
        return rows
    }
}
