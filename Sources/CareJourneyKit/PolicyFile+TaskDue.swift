import CareJourneyCore

extension PolicyFile {
    /// `task-due:`: how many days after it opens each kind of task is due (kinds left out have no due date).
    /// Plain days for now: a due date in working days comes with the council's calendar (`TaskDue`).
    ///
    /// ```yaml
    /// task-due:
    ///   screen-contact: 3d
    ///   assess-needs: 28d
    /// ```
    static func readTaskDue(_ value: YAMLValue) throws(FileError) -> [TaskKind: PolicyDuration] {
        let map = try value.mapping(allowed: TaskKind.allCases.map(\.rawValue))
        var due: [TaskKind: PolicyDuration] = [:]
        for kind in TaskKind.allCases {
            guard let entry = map.optional(kind.rawValue) else { continue }
            let duration = try entry.duration()
            guard duration.months == 0, duration.seconds > 0, duration.seconds % 86_400 == 0 else {
                throw entry.error(
                    .badValue, "'\(duration)' is not a whole number of days",
                    hint: "give days or weeks, like 5d or 2w (a task is due that many days after it opens)")
            }
            due[kind] = duration
        }
        return due
    }
}
