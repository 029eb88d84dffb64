/// One value of a store's row, whichever database holds it: what `store copy` moves between SQLite and PostgreSQL,
/// and what its digest of a table is taken over (`StoreTable`).
public enum StoreValue: Sendable, Hashable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])
}
