import CareJourneyStore
import Foundation
import PostgresNIO

/// The statements every read of current states runs (`PostgresHistory.states`: a case's record, open tasks, the
/// writer's batch, planning, disposal), as prepared statements: each connection parses and plans them once, then
/// only binds the case ids (`$1`, a `text[]`) each time.
protocol CaseStatement: PostgresPreparedStatement {
    /// The cases' ids.
    var ids: [String] { get }
}

extension CaseStatement {
    static var bindingDataTypes: [PostgresDataType] { [.textArray] }

    func makeBindings() -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 1)
        bindings.append(ids)
        return bindings
    }
}

/// Whether a statement locks the rows it reads until the transaction ends.
protocol RowLocking: Sendable {
    /// What follows the statement's `WHERE`.
    static var clause: String { get }
}

/// The rows read, not locked.
enum Unlocked: RowLocking {
    static let clause = ""
}

/// The rows locked `FOR UPDATE`, in id order: writers on several nodes lock in one order, and never deadlock on cases.
enum LockedInIDOrder: RowLocking {
    static let clause = " ORDER BY id FOR UPDATE"
}

/// The cases' numbers and versions, without their snapshots.
struct CaseVersions<Lock: RowLocking>: CaseStatement {
    typealias Row = (id: String, number: Int64, version: Int64)
    static var sql: String { "SELECT id, number, version FROM cases WHERE id = ANY($1::text[])" + Lock.clause }
    let ids: [String]

    func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode((String, Int64, Int64).self) }
}

/// The cases' numbers, versions and stored snapshots (the state at `state_version`).
struct CaseSnapshots<Lock: RowLocking>: CaseStatement {
    typealias Row = (id: String, number: Int64, version: Int64, snapshotVersion: Int64, state: ByteBuffer)
    static var sql: String {
        "SELECT id, number, version, state_version, state FROM cases WHERE id = ANY($1::text[])" + Lock.clause
    }
    let ids: [String]

    func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode((String, Int64, Int64, Int64, ByteBuffer).self) }
}

/// The events after the cases' snapshots, by case and version.
struct EventsAfterSnapshots: CaseStatement {
    typealias Row = HistoryRow
    static let sql = """
        SELECT \(PostgresHistory.columns) FROM events e JOIN cases c ON c.id = e.case_id
        WHERE c.id = ANY($1::text[]) AND e.version > c.state_version ORDER BY e.case_id, e.version
        """
    let ids: [String]

    func decodeRow(_ row: PostgresRow) throws -> Row { try HistoryRow(row) }
}

extension HistoryRow {
    /// The row of `events` `row` holds (`PostgresHistory.columns`, in that order).
    init(_ row: PostgresRow) throws {
        let (seq, caseID, version, name, data, at, actor, reason, policy, late) = try row.decode(
            (Int64, String, Int64, String, String, Double, String, String?, String, Double?).self)
        self.init(
            seq: seq, caseID: caseID, version: Int(version), name: name, data: data, at: at, actor: actor,
            reason: reason, policy: policy, late: late)
    }
}

extension PostgresConnection {
    /// Every row `statement` returns (prepared on this connection the first time it runs on it).
    func rows<Statement: PostgresPreparedStatement>(_ statement: Statement, logger: Logger) async throws
        -> [Statement.Row]
    {
        var rows: [Statement.Row] = []
        for try await row in try await execute(statement, logger: logger) { rows.append(row) }
        return rows
    }
}
