import Logging
import PostgresNIO

extension PostgresSchema {
    /// `p3`: the name search, PostgreSQL's counterpart of SQLite's trigram index `cases_name` (FTS5): a GIN index of
    /// the trigrams of every case's name (the `pg_trgm` extension, which ships with PostgreSQL and which a database's
    /// owner may create: it is trusted). `p5` (`namesMigration`) moved the index to a table of its own.
    static let searchMigration = Migration(
        id: "p3: the name search, a trigram index of the cases' names",
        statements: [
            "CREATE EXTENSION IF NOT EXISTS pg_trgm",
            "CREATE INDEX cases_name_trigrams ON cases USING gin (name gin_trgm_ops)",
        ])

    /// `p5`: the name search in a table of its own, `case_names` (each case's number and name), with the GIN index
    /// of its names' trigrams, in place of `p3`'s index on `cases`.
    ///
    /// Most of the writer's updates of a case change an indexed column (`stage` above all), so PostgreSQL cannot
    /// update the row in place (HOT) and adds an entry to every index of the table, the trigram index's ~13 included,
    /// though the name did not change. A case's name changes almost never: the writer writes its row in
    /// `case_names` when a case is opened or its name changes (`PostgresBatchPlan`), disposal removes it, `store copy`
    /// fills the table, and `rebuildNameSearch` makes it again from `cases` (`repairCaseNames`).
    ///
    /// The case search (`PostgresCaseSearch`) matches a name with `ILIKE`, which the index serves for a fragment of
    /// three characters or more; the index only finds candidates, `ILIKE` decides, so answers are SQLite's.
    static let namesMigration = Migration(
        id: "p5: the name search, a table of the cases' names with its trigram index",
        statements: [
            #"CREATE TABLE case_names (number bigint PRIMARY KEY, name text COLLATE "C" NOT NULL)"#,
            caseNamesFill,
            "CREATE INDEX case_names_trigrams ON case_names USING gin (name gin_trgm_ops)",
            "DROP INDEX cases_name_trigrams",
        ])

    /// Fills `case_names` with every case's name.
    static let caseNamesFill = "INSERT INTO case_names (number, name) SELECT number, name FROM cases"

    /// Makes `case_names` again from `cases`, in the transaction `connection` is in: what `store copy` into
    /// PostgreSQL and `rebuildNameSearch` run. The table is locked against writers' rows first (readers go on), so
    /// a writer renaming a case meanwhile writes its new name after the repair, not before it.
    static func repairCaseNames(on connection: PostgresConnection, logger: Logger) async throws {
        for statement in caseNamesRepair {
            try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger).drain()
        }
    }

    /// Whether `case_names` is out of step with the cases' names: a case without its row or with another name in it,
    /// or a row of no case. Reads only (an anti-join each way: about a second on a million cases).
    static func caseNamesOutOfStep(on connection: PostgresConnection, logger: Logger) async throws -> Bool {
        var outOfStep = false
        for try await value in try await connection.query(
            """
            SELECT EXISTS (SELECT 1 FROM cases c WHERE NOT EXISTS (
                    SELECT 1 FROM case_names n WHERE n.number = c.number AND n.name = c.name))
                OR EXISTS (SELECT 1 FROM case_names n WHERE NOT EXISTS (SELECT 1 FROM cases c WHERE c.number = n.number))
            """, logger: logger
        ).decode(Bool.self) {
            outOfStep = value
        }
        return outOfStep
    }

    /// `repairCaseNames`' statements.
    private static let caseNamesRepair = [
        "LOCK TABLE case_names IN SHARE ROW EXCLUSIVE MODE",
        "DELETE FROM case_names n WHERE NOT EXISTS (SELECT 1 FROM cases c WHERE c.number = n.number)",
        caseNamesFill
            + " ON CONFLICT (number) DO UPDATE SET name = excluded.name WHERE case_names.name <> excluded.name",
    ]
}
