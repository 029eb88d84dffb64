import GRDB

/// The statements the writer runs for every event, taken from GRDB's statement cache once a batch and then found
/// by number: the cache finds a statement by hashing its whole SQL text, which cost ~1 µs a transition
/// (`carejourney-bench transitions`).
struct WriterStatements {
    /// The writer's statements for every event.
    enum SQL: Int, CaseIterable {
        case insertEvent, upsertCase, setTimer, deleteTimer, insertTask, resolveTask, holdTask, setTeam

        var text: String {
            switch self {
            case .insertEvent:
                """
                INSERT INTO events (case_id, version, name, data, at, actor, reason, policy, late, recorded_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
            case .upsertCase:
                // A case's row with its snapshot: a new case's, or a known one's when a snapshot is due.
                """
                INSERT INTO cases (id, number, version, updated_at, state, state_version, \
                \(ProjectionColumns.names.joined(separator: ", ")))
                VALUES (?, ?, ?, ?, ?, ?\(String(repeating: ", ?", count: ProjectionColumns.names.count)))
                ON CONFLICT (id) DO UPDATE SET
                    version = excluded.version, updated_at = excluded.updated_at, state = excluded.state,
                    state_version = excluded.state_version, \
                \(ProjectionColumns.names.map { "\($0) = excluded.\($0)" }.joined(separator: ", "))
                """
            case .setTimer: "INSERT OR REPLACE INTO timers (case_id, name, due) VALUES (?, ?, ?)"
            case .deleteTimer: "DELETE FROM timers WHERE case_id = ? AND name = ?"
            case .insertTask:
                """
                INSERT OR IGNORE INTO tasks (id, case_id, case_number, kind, queue, detail, status, created_at, due, held_by,
                    team, listed)
                VALUES (?, ?, ?, ?, ?, ?, 'open', ?, ?, ?, ?, ?)
                """
            case .holdTask: "UPDATE tasks SET held_by = ? WHERE id = ?"
            case .setTeam: TaskRows.setTeam
            case .resolveTask:
                // Only from the status it is known to have (`open`, or `failed`): a done task is never resolved again.
                """
                UPDATE tasks SET status = ?, resolved_at = ?, attempts = COALESCE(?, attempts)
                WHERE id = ? AND status = ?
                """
            }
        }
    }

    private var prepared = [Statement?](repeating: nil, count: SQL.allCases.count)
    /// The statements that update a case's changed projection columns, by mask (`ProjectionColumns.updates`).
    private var updates: [Int: Statement] = [:]

    /// The statement for `sql`.
    mutating func callAsFunction(_ sql: SQL, in db: Database) throws -> Statement {
        if let statement = prepared[sql.rawValue] { return statement }
        let statement = try db.cachedStatement(sql: sql.text)
        prepared[sql.rawValue] = statement
        return statement
    }

    /// The statement that sets a case's version, update time and the projection columns in `mask`.
    mutating func update(_ mask: Int, in db: Database) throws -> Statement {
        if let statement = updates[mask] { return statement }
        let statement = try db.cachedStatement(sql: ProjectionColumns.updates[mask])
        updates[mask] = statement
        return statement
    }
}
