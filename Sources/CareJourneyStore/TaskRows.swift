/// How queries reach rows of the outbox (`tasks`) through the indexes it keeps, which are few so that each task
/// written costs few b-trees (migration v14, docs/operations.md#figures).
package enum TaskRows {
    /// The condition on `table` (a name or alias of `tasks`) that holds for the tasks of the case whose id is the
    /// SQL expression `caseID`: a parameter such as `:case`, or a column of an outer query.
    ///
    /// There is no index of tasks by case: a task's id is its case's id, `#` and its number (`TaskID`), so a case's
    /// tasks sort together in the primary key's index, between `case#` and `case$` (`$` follows `#`). The check on
    /// `case_id` leaves out the tasks of a case whose own id begins `case#`.
    package static func ofCase(_ caseID: String, in table: String = "tasks") -> String {
        "\(table).id > \(caseID) || '#' AND \(table).id < \(caseID) || '$' AND \(table).case_id = \(caseID)"
    }

    /// Sets the team (the first argument) of the open tasks of a case (the second, its id): the case's team, which
    /// its open tasks carry for a team's worklist (migration v18).
    static let setTeam = "UPDATE tasks SET team = ?1 WHERE \(ofCase("?2")) AND status = 'open'"

    /// The condition of the index of tasks that are no longer open (`tasks_closed_by_queue`), which a query must
    /// state for SQLite to use that index: it does not infer it from, say, `status = 'failed'`.
    static let closed = "status <> 'open'"
}
