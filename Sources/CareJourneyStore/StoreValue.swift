/// One value of a store's row, whichever database holds it: what `store copy` moves between SQLite and PostgreSQL,
/// and what its digest of a table is taken over (`StoreTable`).
public enum StoreValue: Sendable, Hashable {
    /// SQL's NULL.
    case null
    /// A 64-bit integer (SQLite's INTEGER, PostgreSQL's `bigint`).
    case integer(Int64)
    /// A double (SQLite's REAL, PostgreSQL's `double precision`): times are seconds since 1970.
    case real(Double)
    /// UTF-8 text, without NUL characters.
    case text(String)
    /// Bytes (SQLite's BLOB, PostgreSQL's `bytea`): state snapshots, kept answers.
    case blob([UInt8])
}
