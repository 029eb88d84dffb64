extension PostgresSchema {
    /// `p3`: the name search, PostgreSQL's counterpart of SQLite's trigram index `cases_name` (FTS5): a GIN index of
    /// the trigrams of every case's name (the `pg_trgm` extension, which ships with PostgreSQL and which a database's
    /// owner may create: it is trusted). PostgreSQL keeps it in step with `cases.name` itself, so the writer and
    /// `store copy` do nothing for it, and `rebuildNameSearch` has nothing to rebuild.
    ///
    /// The case search (`PostgresCaseSearch`) matches a name with `ILIKE`, which the index serves for a fragment of
    /// three characters or more; the index only finds candidates, `ILIKE` decides, so answers are SQLite's.
    static let searchMigration = Migration(
        id: "p3: the name search, a trigram index of the cases' names",
        statements: [
            "CREATE EXTENSION IF NOT EXISTS pg_trgm",
            "CREATE INDEX cases_name_trigrams ON cases USING gin (name gin_trgm_ops)",
        ])
}
