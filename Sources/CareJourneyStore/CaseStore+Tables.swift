import Foundation
import GRDB

extension CaseStore {
    /// A reader of the store's tables as they are now (`StoreTableReader`): a read transaction, which in WAL mode
    /// never blocks a running service's writer.
    public func tableReader() throws(StoreError) -> StoreTableReader {
        StoreTableReader(snapshot: try snapshot(), path: path)
    }

    /// Inserts `rows` (in `table.columns`' order, `ord` as the `rowid`) into `table` of a store `store copy` fills,
    /// in one transaction.
    ///
    /// - Throws: `StoreError.io` (or `.refused` for a constraint the rows break), naming the table.
    package func insert(_ rows: [[StoreValue]], into table: StoreTable) throws(StoreError) {
        let sql =
            "INSERT INTO \(table.name) (\(table.columns.map(\.sqliteName).joined(separator: ", "))) VALUES "
            + "(\(table.columns.map { _ in "?" }.joined(separator: ", ")))"
        do {
            try pool.write { db in
                let statement = try db.cachedStatement(sql: sql)
                for row in rows {
                    try statement.execute(arguments: StatementArguments(row.map(\.databaseValue)))
                }
            }
        } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
            throw StoreError(.refused, "the rows copied into \(table.name) of \(path) break its constraints", cause: error)
        } catch {
            throw StoreError(.io, "writing the table \(table.name) of \(path) failed", cause: error)
        }
    }

    /// Makes the store give new events numbers above `seq` (`sqlite_sequence`), as the store copied from would.
    package func raiseEventsHighWater(to seq: Int64) throws(StoreError) {
        try write { db in
            try db.inTransaction {
                let current = try Int64.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = 'events'")
                if current == nil {
                    try db.execute(sql: "INSERT INTO sqlite_sequence (name, seq) VALUES ('events', ?)", arguments: [seq])
                } else if let current, current < seq {
                    try db.execute(sql: "UPDATE sqlite_sequence SET seq = ? WHERE name = 'events'", arguments: [seq])
                }
                return .commit
            }
        }
    }
}
