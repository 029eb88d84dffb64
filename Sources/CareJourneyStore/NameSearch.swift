import GRDB

/// The name search index, `cases_name`: each case's name, by case number, as an FTS5 trigram index.
///
/// It holds the name with its ASCII letters in lower case (SQLite's `lower`) and matches case-sensitively, so that
/// a fragment of three characters or more matches exactly the names `LIKE` finds it in (ASCII letters in either
/// case, every other character as it is). The writer keeps it in step with `cases.name`; it has no content of
/// its own (`content = ''`): a name is removed by giving it again.
enum NameSearch {
    /// Adds a case's name: arguments number and name.
    static let insert = "INSERT INTO cases_name (rowid, name) VALUES (?, lower(?))"
    /// Removes a case's name as it was added: arguments number and name.
    static let delete = "INSERT INTO cases_name (cases_name, rowid, name) VALUES ('delete', ?, lower(?))"
    /// True of the index's rows whose names contain the fragment bound to it (one FTS5 phrase: its trigrams in a
    /// row, any double quote doubled).
    static let match = #"cases_name MATCH '"' || replace(lower(?), '"', '""') || '"'"#
    /// Merges the index's segments, about as many pages as the argument says (FTS5's `merge` command), dropping
    /// what removed names left once every segment is merged into one: a removal writes a marker that hides the
    /// name's entries, which stay in older segments until then. Merging everything at once (`optimize`) rewrites the
    /// whole index (seconds for a million names) on the writer, so disposal merges in steps (`carryOut`).
    static let merge = "INSERT INTO cases_name (cases_name, rank) VALUES ('merge', ?)"
}

extension CaseStore {
    /// Indexes every case's name again: for tools that write cases straight into the store's tables (such as
    /// benchmarks), or to repair the index if `store verify` finds it out of step.
    public func rebuildNameSearch() throws(StoreError) {
        try write { db in
            try db.inTransaction {
                try db.execute(
                    sql: """
                        DELETE FROM cases_name;
                        INSERT INTO cases_name (rowid, name) SELECT number, lower(name) FROM cases;
                        """)
                return .commit
            }
        }
    }
}
