import CareJourneyStore
import Logging
import PostgresNIO

/// The store's tables on one PostgreSQL connection, read in pages in each table's key order and written many rows
/// a statement: `store copy`'s side of a PostgreSQL store. It runs in the transaction its caller holds on the
/// connection (a REPEATABLE READ one to read a consistent store; the copy's own to fill one).
struct PostgresTables: Sendable {
    let connection: PostgresConnection
    let logger: Logger
    /// The store's address, for messages.
    let address: PostgresAddress

    /// The most values one statement binds: PostgreSQL's protocol counts them in 16 bits.
    static let maximumBinds = 65_535
    /// The most rows one INSERT carries.
    static let maximumRows = 1_000

    /// Up to `limit` rows of `table` in key order, after the row whose key is `last` (from the first when `nil`).
    func rows(of table: StoreTable, after last: [StoreValue]?, limit: Int) async throws(StoreError) -> [[StoreValue]] {
        let key = table.key.joined(separator: ", ")
        var bindings = PostgresBindings(capacity: table.key.count)
        var after = ""
        if let last {
            for value in last { value.bind(into: &bindings) }
            after = "WHERE (\(key)) > (\((1...last.count).map { "$\($0)" }.joined(separator: ", ")))"
        }
        let sql =
            "SELECT \(table.columns.map(\.name).joined(separator: ", ")) FROM \(table.name) \(after) "
            + "ORDER BY \(key) LIMIT \(limit)"
        return try await PostgresFailure.map("reading the table \(table.name) of \(address)") {
            var rows: [[StoreValue]] = []
            for try await row in try await connection.query(PostgresQuery(unsafeSQL: sql, binds: bindings), logger: logger) {
                let cells = row.makeRandomAccess()
                var values: [StoreValue] = []
                values.reserveCapacity(table.columns.count)
                for (index, column) in table.columns.enumerated() {
                    values.append(try StoreValue(cells[index], as: column))
                }
                rows.append(values)
            }
            return rows
        }
    }

    /// Inserts `rows` into `table`, as many a statement as its binds allow.
    func insert(_ rows: [[StoreValue]], into table: StoreTable) async throws(StoreError) {
        let perStatement = max(1, min(Self.maximumRows, Self.maximumBinds / table.columns.count))
        let columns = table.columns.map(\.name).joined(separator: ", ")
        var start = 0
        while start < rows.count {
            let chunk = rows[start..<min(rows.count, start + perStatement)]
            var bindings = PostgresBindings(capacity: chunk.count * table.columns.count)
            var tuples: [String] = []
            tuples.reserveCapacity(chunk.count)
            var number = 0
            for row in chunk {
                var placeholders: [String] = []
                for value in row {
                    value.bind(into: &bindings)
                    number += 1
                    placeholders.append("$\(number)")
                }
                tuples.append("(" + placeholders.joined(separator: ", ") + ")")
            }
            let sql = "INSERT INTO \(table.name) (\(columns)) VALUES " + tuples.joined(separator: ", ")
            try await PostgresFailure.map("writing the table \(table.name) of \(address)") {
                try await connection.query(PostgresQuery(unsafeSQL: sql, binds: bindings), logger: logger).drain()
            }
            start += chunk.count
        }
    }

    /// How many rows `table` holds.
    func count(_ table: StoreTable) async throws(StoreError) -> Int {
        try await PostgresFailure.map("counting the rows of \(table.name) in \(address)") {
            var count = 0
            for try await value in try await connection.query(
                PostgresQuery(unsafeSQL: "SELECT count(*) FROM \(table.name)"), logger: logger
            ).decode(Int64.self) {
                count = Int(value)
            }
            return count
        }
    }

    /// The highest event number the store's sequence gave, which may be above the highest left; `nil` when none.
    func eventsHighWater() async throws(StoreError) -> Int64? {
        try await PostgresFailure.map("reading the event numbers given by \(address)") {
            var value: Int64?
            for try await last in try await connection.query(
                "SELECT pg_sequence_last_value(pg_get_serial_sequence('events', 'seq')::regclass)", logger: logger
            ).decode(Int64?.self) {
                value = last
            }
            return value
        }
    }

    /// Moves every identity column's sequence past the values the copy wrote (and events' past `eventsHighWater`,
    /// the highest number the store copied from ever gave), and `case_numbers` past every case number copied, so
    /// that new rows never take a number already used.
    func moveIdentities(eventsHighWater: Int64?) async throws(StoreError) {
        for table in StoreTable.all {
            guard let column = table.identity else { continue }
            let floor = table.name == "events" ? eventsHighWater ?? 0 : 0
            let sql = """
                SELECT setval(pg_get_serial_sequence('\(table.name)', '\(column)'), greatest(m, 1), m > 0)
                FROM (SELECT greatest(coalesce(max(\(column)), 0), $1) AS m FROM \(table.name)) AS highest
                """
            var bindings = PostgresBindings(capacity: 1)
            bindings.append(floor)
            try await PostgresFailure.map("moving the numbering of \(table.name) in \(address) past the copied rows") {
                try await connection.query(PostgresQuery(unsafeSQL: sql, binds: bindings), logger: logger).drain()
            }
        }
        try await PostgresFailure.map("moving the case numbers of \(address) past the copied cases") {
            try await connection.query(PostgresQuery(unsafeSQL: PostgresSchema.moveCaseNumbers), logger: logger).drain()
        }
    }
}

extension StoreValue {
    /// Binds the value (a null with no type: PostgreSQL takes the column's).
    func bind(into bindings: inout PostgresBindings) {
        switch self {
        case .null: bindings.appendNull()
        case .integer(let value): bindings.append(value)
        case .real(let value): bindings.append(value)
        case .text(let value): bindings.append(value)
        case .blob(let value): bindings.append(ByteBuffer(bytes: value))
        }
    }

    /// The value of `cell`, read as `column`'s kind.
    init(_ cell: PostgresCell, as column: StoreTable.Column) throws {
        switch column.kind {
        case .integer: self = try cell.decode(Int64?.self).map(StoreValue.integer) ?? .null
        case .real: self = try cell.decode(Double?.self).map(StoreValue.real) ?? .null
        case .text: self = try cell.decode(String?.self).map(StoreValue.text) ?? .null
        case .blob: self = try cell.decode(ByteBuffer?.self).map { .blob(Array($0.readableBytesView)) } ?? .null
        }
    }
}
