import CareJourneyCore
import CareJourneyFiles

extension PolicyFile {
    /// `task-due:`: how many days, or working days, after it opens each kind of task is due (kinds left out have no
    /// due date). Under `calendar:` the count is on the council's calendar, due by the end of the local day
    /// (`TaskDue`); working days need the calendar (`checkWorkingDays`).
    ///
    /// ```yaml
    /// task-due:
    ///   screen-contact: 3d
    ///   decide-eligibility: 5wd
    ///   assess-needs: 28d
    /// ```
    static func readTaskDue(_ value: YAMLValue) throws(FileError) -> [TaskKind: PolicyDuration] {
        let map = try value.mapping(allowed: TaskKind.allCases.map(\.rawValue))
        var due: [TaskKind: PolicyDuration] = [:]
        for kind in TaskKind.allCases {
            guard let entry = map.optional(kind.rawValue) else { continue }
            let duration = try entry.duration()
            let wholeDays = duration.workingDays == 0 && duration.seconds > 0 && duration.seconds % 86_400 == 0
            guard duration.months == 0, wholeDays || duration.workingDays > 0 else {
                throw entry.error(
                    .badValue, "'\(duration)' is not a whole number of days",
                    hint: "give days, weeks or working days, like 5d, 2w or 5wd (a task is due that many days after "
                        + "it opens)")
            }
            due[kind] = duration
        }
        return due
    }
}
