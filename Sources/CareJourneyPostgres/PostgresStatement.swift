import PostgresNIO

/// A statement whose text is built from parts (a filter's conditions), each value bound as a parameter in the order
/// it is written: `bind` gives the placeholder to put in the text.
///
/// ```swift
/// var statement = PostgresStatement("SELECT id FROM cases WHERE true")
/// statement.sql += " AND stage = \(statement.bind("delivery"))"
/// ```
struct PostgresStatement {
    var sql: String
    private(set) var binds = PostgresBindings()

    init(_ sql: String = "") { self.sql = sql }

    /// Binds `value` and returns its placeholder (`$n`).
    mutating func bind<Value: PostgresDynamicTypeEncodable>(_ value: Value) -> String {
        binds.append(value)
        return "$\(binds.count)"
    }

    /// The statement, to run.
    var query: PostgresQuery { PostgresQuery(unsafeSQL: sql, binds: binds) }
}
