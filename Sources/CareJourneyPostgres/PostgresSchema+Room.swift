extension PostgresSchema {
    /// `p4`: room left on each page of `cases` (`fillfactor` 70) for the row's next version, so that a transition
    /// which changes no indexed column (a plan updated, a financial assessment, a timer moved: the stage, team,
    /// worker and overdue flag as they were; since `p5` no index of `cases` holds the name) is a heap-only update:
    /// the new version goes on the same page and no index gains an entry (PostgreSQL's HOT). A full page sends every
    /// update elsewhere, and each of the table's indexes gains an entry for it. Measured with `scripts/bench-postgres`
    /// (docs/operations.md): the writer's case statement from 15.5 to 12.8 ms a batch of ~750 commands.
    ///
    /// It applies to pages written from then on; a database migrated with many cases gets the room as its pages are
    /// rewritten (or at once, by its operators, with `VACUUM FULL cases` in a quiet hour: it locks the table).
    static let roomMigration = Migration(
        id: "p4: room on the cases' pages for heap-only updates",
        statements: ["ALTER TABLE cases SET (fillfactor = 70)"])
}
