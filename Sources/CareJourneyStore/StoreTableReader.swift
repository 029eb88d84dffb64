import Foundation
import GRDB

/// A SQLite store's tables as they stood at one moment (one read transaction, held until the reader is released),
/// read in pages in each table's key order: what `store copy` copies from, and checks a copy against.
///
/// ```swift
/// let reader = try CaseStore(directory: dir, access: .readOnly).tableReader()
/// var last: [StoreValue]? = nil
/// while case let page = try reader.rows(of: table, after: last, limit: 1000), !page.isEmpty { …; last = key(of: page.last!) }
/// ```
public final class StoreTableReader: Sendable {
    private let snapshot: DatabaseSnapshot
    /// The store's file.
    public let path: String

    init(snapshot: DatabaseSnapshot, path: String) {
        self.snapshot = snapshot
        self.path = path
    }

    /// Up to `limit` rows of `table`, in key order, after the row whose key is `last` (from the first when `nil`).
    ///
    /// Text is read as its bytes (GRDB's strings end at a NUL, and mend bytes that are not UTF-8), so that a value
    /// a copy could not keep exactly is refused, never changed.
    ///
    /// - Throws: `StoreError.corrupt` naming the table, row and column of a value of another kind than its column's
    ///   (SQLite lets any column hold any value), or of text that is not UTF-8 or holds a NUL; `StoreError.io` when
    ///   the store cannot be read.
    public func rows(of table: StoreTable, after last: [StoreValue]?, limit: Int) throws(StoreError) -> [[StoreValue]] {
        let key = table.key.map { name in table.columns.first { $0.name == name }!.sqliteName }.joined(separator: ", ")
        // A text column is read as two: its type, and its bytes.
        let columns = table.columns.map { column in
            column.kind == .text
                ? "typeof(\(column.sqliteName)), CAST(\(column.sqliteName) AS BLOB)" : column.sqliteName
        }
        var positions: [Int] = []
        var next = 0
        for column in table.columns {
            positions.append(next)
            next += column.kind == .text ? 2 : 1
        }
        let after = last == nil ? "" : "WHERE (\(key)) > (\(table.key.map { _ in "?" }.joined(separator: ", ")))"
        let sql = "SELECT \(columns.joined(separator: ", ")) FROM \(table.name) \(after) ORDER BY \(key) LIMIT \(limit)"
        let arguments = StatementArguments((last ?? []).map(\.databaseValue))
        let rows: [[DatabaseValue]]
        do {
            rows = try snapshot.read { db in
                try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in Array(row.databaseValues) }
            }
        } catch {
            throw StoreError(.io, "reading the table \(table.name) of \(path) failed", cause: error)
        }
        return try rows.map { row throws(StoreError) in
            var values: [StoreValue] = []
            values.reserveCapacity(table.columns.count)
            for (column, position) in zip(table.columns, positions) {
                let read =
                    column.kind == .text
                    ? StoreValue(text: row[position + 1], typed: row[position], nullable: column.nullable)
                    : StoreValue(row[position], as: column)
                guard let value = read else {
                    let key = table.keyPositions.map { index in
                        table.columns[index].kind == .text
                            ? row[positions[index] + 1].lossyText : row[positions[index]].description
                    }
                    throw StoreError(
                        .corrupt,
                        "\(path): the row of \(table.name) with key (\(key.joined(separator: ", "))) holds "
                            + "\(column.kind == .text ? row[position].textKindName : row[position].kindName) in its "
                            + "column \(column.name), which holds \(column.kind)\(column.nullable ? " or null" : "") "
                            + "values, so a copy cannot keep it as it is; `carejourney store verify` and `store doctor` "
                            + "tell more of the store's state: copy it once it is repaired")
                }
                values.append(value)
            }
            return values
        }
    }

    /// How many rows `table` holds.
    public func count(_ table: StoreTable) throws(StoreError) -> Int {
        do {
            return try snapshot.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table.name)") ?? 0 }
        } catch {
            throw StoreError(.io, "counting the rows of \(table.name) in \(path) failed", cause: error)
        }
    }

    /// The highest event number the store ever gave (SQLite's `sqlite_sequence` for `events`), which may be above
    /// the highest left (after disposal): a copy gives no new event a number below it. `nil` when none was given.
    public func eventsHighWater() throws(StoreError) -> Int64? {
        do {
            return try snapshot.read { db in
                try Int64.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = 'events'")
            }
        } catch {
            throw StoreError(.io, "reading the event numbers given by \(path) failed", cause: error)
        }
    }
}

extension DatabaseValue {
    /// What kind of value it is (never the value, which may be personal data).
    fileprivate var kindName: String {
        switch storage {
        case .null: "null"
        case .int64: "an integer"
        case .double: "a real"
        case .string: "a text"
        case .blob: "a blob"
        }
    }

    /// What kind of value a text column holds, told by its `typeof` (read beside it): text that is not kept as it
    /// is told as such.
    fileprivate var textKindName: String {
        switch storage {
        case .string("text"): "text that is not UTF-8 or holds a NUL character"
        case .string(let type): "a value of type \(type)"
        default: "an unknown value"
        }
    }

    /// A key's text read as bytes, for a message.
    fileprivate var lossyText: String {
        if case .blob(let data) = storage { return String(decoding: data, as: UTF8.self) }
        return description
    }
}

extension StoreValue {
    /// A value as SQLite holds it.
    init(_ value: DatabaseValue) {
        switch value.storage {
        case .null: self = .null
        case .int64(let integer): self = .integer(integer)
        case .double(let real): self = .real(real)
        case .string(let text): self = .text(text)
        case .blob(let data): self = .blob([UInt8](data))
        }
    }

    /// The value as GRDB binds it.
    package var databaseValue: DatabaseValue {
        switch self {
        case .null: .null
        case .integer(let value): value.databaseValue
        case .real(let value): value.databaseValue
        case .text(let value): value.databaseValue
        case .blob(let value): Data(value).databaseValue
        }
    }

    /// `value`, read from `column`, as the column's kind (an integer in a REAL column as a real); `nil` when it is
    /// of another kind, or null in a column that may not be.
    fileprivate init?(_ value: DatabaseValue, as column: StoreTable.Column) {
        switch (value.storage, column.kind) {
        case (.null, _) where column.nullable: self = .null
        case (.int64(let integer), .integer): self = .integer(integer)
        case (.int64(let integer), .real): self = .real(Double(integer))
        case (.double(let real), .real): self = .real(real)
        case (.blob(let data), .blob): self = .blob([UInt8](data))
        default: return nil
        }
    }

    /// A text column's value from its bytes and its `typeof`; `nil` when it is not text, or not UTF-8, or holds a
    /// NUL (which PostgreSQL's text cannot hold, and GRDB's strings end at).
    fileprivate init?(text bytes: DatabaseValue, typed type: DatabaseValue, nullable: Bool) {
        switch (type.storage, bytes.storage) {
        case (.string("null"), _) where nullable: self = .null
        case (.string("text"), .null): self = .text("")
        case (.string("text"), .blob(let data)):
            guard !data.contains(0), let text = String(validating: data, as: UTF8.self) else { return nil }
            self = .text(text)
        default: return nil
        }
    }
}
