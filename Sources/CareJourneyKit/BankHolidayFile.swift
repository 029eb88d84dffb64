import CareJourneyCore
import CareJourneyFiles
import Foundation

/// Bank-holiday lists: the shipped ones (`england-and-wales`, from GOV.UK's published list), files a policy names,
/// and the import of a downloaded copy of GOV.UK's `bank-holidays.json`.
///
/// A list is a YAML file: its name, its source, and the days, each with its title:
///
/// ```yaml
/// name: england-and-wales
/// source: https://www.gov.uk/bank-holidays.json (division england-and-wales), imported 2026-12-05
/// days:
///   - { date: 2026-12-25, title: "Christmas Day" }
///   - { date: 2026-12-28, title: "Boxing Day (substitute day)" }
/// ```
public enum BankHolidayFile {
    /// The lists shipped with CareJourney, by name; `none` is the empty list.
    public static let shippedNames = ["england-and-wales", "none"]

    /// GOV.UK's list of bank holidays, which `import` reads a downloaded copy of.
    public static let govUKSource = "https://www.gov.uk/bank-holidays.json"

    /// The shipped list called `name`, or `nil` when none is shipped under that name.
    ///
    /// - Throws: `FileError` when the shipped file is missing from the build or broken.
    public static func shipped(_ name: String) throws(FileError) -> BankHolidays? {
        if name == BankHolidays.none.name { return BankHolidays.none }
        guard shippedNames.contains(name) else { return nil }
        guard let url = Bundle.module.url(forResource: name, withExtension: "yaml", subdirectory: "bank-holidays")
        else {
            throw FileError(
                .unreadable, "the shipped bank holidays '\(name)' are missing from this build", file: "\(name).yaml",
                hint: "reinstall CareJourney, or name a bank-holiday file in the policy")
        }
        return try load(url.path)
    }

    /// A warning when `calendar`'s bank holidays end within `months` months of `today`, or have ended: which
    /// calendar, the last year it covers and how to refresh it (`policy check` prints it, `serve` logs it). `nil`
    /// when they reach further, or when the calendar has none (`none`).
    public static func endingWarning(for calendar: CouncilCalendar, today: LocalDate, months: Int = 12) -> String? {
        let holidays = calendar.bankHolidays
        guard let lastYear = holidays.lastYear, let endsBefore = holidays.endsBefore,
            endsBefore <= today.adding(months: months)
        else { return nil }
        let when =
            endsBefore <= today
            ? "ended with \(lastYear) (the last year they cover): due days after \(lastYear)-12-31 count no bank "
                + "holidays"
            : "end with \(lastYear) (the last year they cover), within \(months) months of \(today): due days after "
                + "\(lastYear)-12-31 will count no bank holidays"
        return "the bank holidays '\(holidays.name)' of calendar \(calendar.timeZone.identifier) \(when); download "
            + "\(govUKSource) and refresh them with `carejourney calendar import bank-holidays.json --output FILE`, "
            + "then `carejourney policy apply` (docs/policy-files.md#bank-holidays)"
    }

    /// Loads a bank-holiday file.
    ///
    /// - Throws: `FileError` naming the line of a day that is not a date, out of order or given twice.
    public static func load(_ path: String) throws(FileError) -> BankHolidays {
        let root = try YAMLValue.load(
            path, what: "bank-holiday file",
            hint: "check the path; make one with: carejourney calendar import bank-holidays.json"
        ).mapping(allowed: ["name", "source", "days"])
        _ = try root.required("source", hint: "say where the days come from, such as \(govUKSource)").string()
        var days: [LocalDate] = []
        for item in try root.required("days").sequence() {
            let entry = try item.mapping(allowed: ["date", "title"])
            let dateValue = try entry.required("date")
            let text = try dateValue.string()
            guard let day = LocalDate(text) else {
                throw dateValue.error(
                    .badValue, "'\(text)' is not a date", hint: "write it YYYY-MM-DD, like 2026-12-25")
            }
            if let last = days.last, last >= day {
                throw dateValue.error(
                    .inconsistent, "\(day) comes after \(last): the days must be in order, each once",
                    hint: "sort the days")
            }
            _ = try entry.required("title").string()
            days.append(day)
        }
        return BankHolidays(name: try root.required("name").string(), days: days)
    }

    /// A bank-holiday file for one division of a downloaded copy of GOV.UK's `bank-holidays.json`, as YAML text.
    ///
    /// - Parameters:
    ///   - json: the downloaded file's bytes.
    ///   - division: `england-and-wales`, `scotland` or `northern-ireland`.
    ///   - file: the downloaded file's name, for messages.
    ///   - importedOn: the day of the import, written in the file's `source`.
    /// - Throws: `FileError` when the file is not GOV.UK's format, lacks the division, or holds a bad date.
    public static func importGOVUK(_ json: Data, division: String, file: String, importedOn: LocalDate)
        throws(FileError) -> String
    {
        struct Feed: Decodable {
            struct Event: Decodable {
                var title: String
                var date: String
                var notes: String?
            }
            var division: String
            var events: [Event]
        }
        let feed: [String: Feed]
        do {
            feed = try JSONDecoder().decode([String: Feed].self, from: json)
        } catch {
            throw FileError(
                .syntax, "this is not GOV.UK's bank-holidays.json", file: file,
                hint: "download it from \(govUKSource) and import that file unchanged", cause: String(describing: error)
            )
        }
        guard let events = feed[division]?.events else {
            throw FileError(
                .missingKey, "the file has no division '\(division)'", file: file, key: division,
                hint: "the divisions here are: \(feed.keys.sorted().joined(separator: ", "))")
        }
        var lines = [
            "# \(division) bank holidays, from GOV.UK's published list. Refresh from a downloaded copy of \(govUKSource):",
            "#   carejourney calendar import bank-holidays.json --output <this file>",
            "name: \(division)",
            "source: \(govUKSource) (division \(division)), imported \(importedOn)",
            "days:",
        ]
        var seen: [LocalDate] = []
        for event in events {
            guard let day = LocalDate(event.date) else {
                throw FileError(
                    .badValue, "'\(event.date)' (\(event.title)) is not a date", file: file, key: "\(division).events",
                    hint: "download the file again: GOV.UK writes dates YYYY-MM-DD")
            }
            seen.append(day)
            let notes = event.notes.flatMap { $0.isEmpty ? nil : " (\($0.lowercased()))" } ?? ""
            let title = (event.title + notes).replacingOccurrences(of: "\"", with: "'")
            lines.append("  - { date: \(day), title: \"\(title)\" }")
        }
        guard seen == seen.sorted(), Set(seen).count == seen.count else {
            throw FileError(
                .inconsistent, "the days of '\(division)' are not in order, each once", file: file,
                hint: "download the file again from \(govUKSource)")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
