import CareJourneyCore
import CareJourneyFiles
import Foundation

/// `calendar:`: the council's time zone, bank holidays and closure days, which deadlines count in its local days,
/// and where reminders and escalations go on non-working days (docs/policy-files.md#calendar).
extension PolicyFile {
    static func readCalendar(_ value: YAMLValue) throws(FileError) -> Policy.CalendarRules {
        let map = try value.mapping(allowed: [
            "time-zone", "bank-holidays", "closures", "local-days", "reminders", "escalations", "task-due",
        ])
        let zoneValue = map.optional("time-zone")
        let identifier = try zoneValue?.string() ?? Policy.defaultTimeZone
        guard let zone = TimeZone(identifier: identifier) else {
            throw (zoneValue ?? value).error(
                .badValue, "the time zone '\(identifier)' cannot be loaded",
                hint: CouncilCalendar.unloadableZone(identifier))
        }
        let closures = try map.optional("closures").map(readDays) ?? []
        let localDays = try map.optional("local-days").map { value throws(FileError) in
            try value.sequence().map { item throws(FileError) in try item.choice(TimerName.self) }
        }
        return Policy.CalendarRules(
            calendar: CouncilCalendar(
                timeZone: zone, bankHolidays: try readBankHolidays(map.optional("bank-holidays"), in: value.file),
                closures: closures),
            localDays: localDays ?? [],
            reminders: try map.optional("reminders")?.choice(Policy.NonWorkingDay.self) ?? .keep,
            escalations: try map.optional("escalations")?.choice(Policy.NonWorkingDay.self) ?? .keep,
            tasksDueInLocalDays: try map.optional("task-due")?.choice(TaskDueCount.self) == .localDays ? true : nil)
    }

    /// `task-due:` in `calendar:`: how people's tasks' `task-due:` counts are counted.
    enum TaskDueCount: String, Choice {
        /// To the instant (the default).
        case exact
        /// To the end of the local day, on the council's calendar.
        case localDays = "local-days"
    }

    /// `bank-holidays:`: a shipped list's name (`england-and-wales`, the default, or `none`), or a bank-holiday file's
    /// path (ending `.yaml`) from the policy file's folder.
    private static func readBankHolidays(_ value: YAMLValue?, in policyFile: String) throws(FileError)
        -> BankHolidays
    {
        let name = try value?.string() ?? "england-and-wales"
        if name.hasSuffix(".yaml") {
            let folder = URL(fileURLWithPath: policyFile).deletingLastPathComponent()
            let path = name.hasPrefix("/") ? name : folder.appendingPathComponent(name).path
            return try BankHolidayFile.load(path)
        }
        guard let shipped = try BankHolidayFile.shipped(name) else {
            throw FileError(
                .badValue, "no bank holidays are shipped as '\(name)'", file: policyFile, line: value?.line,
                key: "calendar.bank-holidays",
                hint: "use \(BankHolidayFile.shippedNames.joined(separator: " or ")), or a file's path ending .yaml "
                    + "(carejourney calendar import bank-holidays.json makes one)")
        }
        return shipped
    }

    /// `closures:`: the council's own closure days, `YYYY-MM-DD`, each once.
    private static func readDays(_ value: YAMLValue) throws(FileError) -> [LocalDate] {
        var days: [LocalDate] = []
        for item in try value.sequence() {
            let text = try item.string()
            guard let day = LocalDate(text) else {
                throw item.error(.badValue, "'\(text)' is not a date", hint: "write it YYYY-MM-DD, like 2026-12-29")
            }
            if days.contains(day) { throw item.error(.inconsistent, "\(day) is listed twice", hint: "list it once") }
            days.append(day)
        }
        return days.sorted()
    }

    /// Durations in working days need the council's calendar: without `calendar:` they are refused, naming the key.
    static func checkWorkingDays(_ policy: Policy, _ root: YAMLMapping) throws(FileError) {
        guard policy.calendar == nil else { return }
        var durations: [(String, String, PolicyDuration)] = [
            ("reablement", "maximum", policy.reablement.maximum),
            ("reablement", "check-every", policy.reablement.checkEvery),
            ("reviews", "first-formal-opens", policy.reviews.firstFormalOpens),
            ("reviews", "first-formal-due", policy.reviews.firstFormalDue),
            ("reviews", "informal-after", policy.reviews.informalAfter),
            ("reviews", "planned-interval", policy.reviews.plannedInterval),
            ("reviews", "reminder-lead", policy.reviews.reminderLead),
            ("reviews", "escalate-after", policy.reviews.escalateAfter),
            ("direct-payments", "audit-every", policy.directPayments.auditEvery),
            ("transfer", "funding-continues", policy.transfer.fundingContinues),
        ]
        if let charging = policy.charging {
            durations += [
                ("charging", "reassess-every", charging.reassessEvery),
                ("charging", "reminder-lead", charging.reminderLead),
            ]
            if let free = charging.freePeriod { durations.append(("charging", "free-period", free)) }
        }
        for (kind, duration) in (policy.taskDue ?? [:]).sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            durations.append(("task-due", kind.rawValue, duration))
        }
        for (section, key, duration) in durations where duration.workingDays != 0 {
            let line = root.optional(section)?.node.mapping?[key]?.mark?.line
            throw FileError(
                .inconsistent, "\(duration) counts working days, and the policy has no calendar to count them on",
                file: root.owner.file, line: line, key: "\(section).\(key)",
                hint: "add a `calendar:` section (its defaults: Europe/London, England and Wales bank holidays)")
        }
    }
}
