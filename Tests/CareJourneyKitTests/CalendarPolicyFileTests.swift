import CareJourneyCore
import CareJourneyFiles
import Foundation
import Testing
import CareJourneyTestSupport

@testable import CareJourneyKit

/// `calendar:` in a policy file, bank-holiday files and their import from GOV.UK's JSON, and local times in scenarios.
@Suite struct CalendarPolicyFileTests {
    /// The Derbyshire file with its calendar section replaced by `section` (nothing: no calendar), parsed.
    func parse(calendar section: String, file: String = "council.yaml") throws -> Policy {
        let text = try String(contentsOfFile: Repository.path("workflows/derbyshire.yaml"), encoding: .utf8)
        let start = try #require(text.range(of: "calendar:\n"))
        let end = try #require(text.range(of: "direct-payments:\n"))
        return try PolicyFile.parse(
            text.replacingCharacters(in: start.lowerBound..<end.lowerBound, with: section), file: file)
    }

    func error(calendar section: String) throws -> FileError {
        do {
            _ = try parse(calendar: section)
        } catch let error as FileError {
            return error
        }
        Issue.record("the calendar section was accepted:\n\(section)")
        return FileError(.syntax, "accepted", file: "")
    }

    @Test func theShippedPoliciesCountReviewsInLocalDaysOnEnglandAndWalesBankHolidays() throws {
        for name in ["derbyshire", "wiltshire"] {
            let rules = try #require(try shippedPolicy(name).calendar)
            #expect(rules.calendar.timeZone.identifier == "Europe/London")
            #expect(rules.calendar.bankHolidays.name == "england-and-wales")
            #expect(rules.calendar.bankHolidays.days.count == 56)
            #expect(rules.calendar.bankHolidays.days.first == LocalDate("2024-01-01"))
            #expect(rules.calendar.bankHolidays.days.last == LocalDate("2030-12-26"))
            #expect(rules.localDays.contains(.reviewFirstFormalDue) && rules.localDays.contains(.reviewPlannedDue))
            #expect(!rules.localDays.contains(.reviewInformal))
            #expect((rules.reminders, rules.escalations) == (.workingDayBefore, .workingDayAfter))
        }
    }

    @Test func theDefaultsAreLondonAndEnglandAndWalesAndNoMoves() throws {
        let rules = try #require(try parse(calendar: "calendar:\n  closures: [2026-12-31, 2026-12-29]\n").calendar)
        #expect(rules.calendar.timeZone.identifier == "Europe/London")
        #expect(rules.calendar.bankHolidays.name == "england-and-wales")
        #expect(rules.calendar.closures == [LocalDate("2026-12-29")!, LocalDate("2026-12-31")!])
        #expect(rules.localDays.isEmpty && rules.reminders == .keep && rules.escalations == .keep)
        #expect(try parse(calendar: "").calendar == nil)
    }

    /// Zones come from ICU's data in Swift's Foundation (docs/operations.md#time-zones): a name it lacks is refused
    /// with its line, the data's version and no fall-back to GMT.
    @Test func aZoneTheSystemCannotLoadIsRefusedWithItsLine() throws {
        for name in ["Europe/Londn", "Europe/Nowhere"] {
            let zone = try error(calendar: "calendar:\n  time-zone: \(name)\n")
            #expect(zone.code == .badValue)
            #expect(zone.key == "calendar.time-zone")
            #expect(zone.message == "the time zone '\(name)' cannot be loaded")
            #expect(zone.hint?.contains("ICU's, tz \(TimeZone.timeZoneDataVersion)") == true)
            #expect(zone.hint?.contains("never falls back to GMT") == true)
            #expect(zone.line == 28)
        }
    }

    /// `policy check` and `serve` warn when the bank holidays end within 12 months of today, or have ended, naming
    /// the calendar, the last year and the refresh command; `none` never warns.
    @Test func bankHolidaysEndingSoonAreWarnedOf() throws {
        let calendar = try #require(try shippedPolicy().calendar?.calendar)
        #expect(BankHolidayFile.endingWarning(for: calendar, today: LocalDate("2029-12-31")!) == nil)
        let soon = try #require(BankHolidayFile.endingWarning(for: calendar, today: LocalDate("2030-03-01")!))
        #expect(
            soon.hasPrefix(
                "the bank holidays 'england-and-wales' of calendar Europe/London end with 2030 (the last year they "
                    + "cover), within 12 months of 2030-03-01: due days after 2030-12-31 will count no bank holidays"))
        #expect(soon.contains("carejourney calendar import bank-holidays.json --output FILE"))
        let ended = try #require(BankHolidayFile.endingWarning(for: calendar, today: LocalDate("2031-01-01")!))
        #expect(ended.contains("ended with 2030 (the last year they cover): due days after 2030-12-31 count no bank"))
        let none = CouncilCalendar(timeZone: calendar.timeZone, bankHolidays: .none)
        #expect(BankHolidayFile.endingWarning(for: none, today: LocalDate("2040-01-01")!) == nil)
        #expect(calendar.bankHolidaysEnd == (try Date("2031-01-01T00:00:00Z", strategy: .iso8601)))
    }

    @Test func badCalendarValuesAreNamed() throws {
        let holidays = try error(calendar: "calendar:\n  bank-holidays: wales\n")
        #expect(holidays.key == "calendar.bank-holidays")
        #expect(holidays.hint?.contains("england-and-wales or none") == true)
        let day = try error(calendar: "calendar:\n  closures: [2026-12-32]\n")
        #expect(day.key == "calendar.closures[0]")
        #expect(day.message == "'2026-12-32' is not a date")
        let twice = try error(calendar: "calendar:\n  closures: [2026-12-29, 2026-12-29]\n")
        #expect(twice.code == .inconsistent)
        let timer = try error(calendar: "calendar:\n  local-days: [review.first-formal.dew]\n")
        #expect(timer.key == "calendar.local-days[0]")
        let move = try error(calendar: "calendar:\n  reminders: friday\n")
        #expect(move.hint == "use one of: keep, working-day-before, working-day-after")
    }

    @Test func workingDaysNeedACalendar() throws {
        let text = try String(contentsOfFile: Repository.path("workflows/derbyshire.yaml"), encoding: .utf8)
        let withoutCalendar = try #require(
            text.range(of: "calendar:\n").flatMap { start in
                text.range(of: "direct-payments:\n").map {
                    text.replacingCharacters(in: start.lowerBound..<$0.lowerBound, with: "")
                }
            })
        let fiveDays = withoutCalendar.replacingOccurrences(of: "  escalate-after: 0s", with: "  escalate-after: 5wd")
        #expect(throws: FileError.self) { try PolicyFile.parse(fiveDays, file: "council.yaml") }
        do {
            _ = try PolicyFile.parse(fiveDays, file: "council.yaml")
        } catch {
            #expect(error.key == "reviews.escalate-after")
            #expect(error.hint?.contains("add a `calendar:` section") == true)
        }
        let withCalendar = text.replacingOccurrences(of: "  escalate-after: 0s", with: "  escalate-after: 5wd")
        #expect(try PolicyFile.parse(withCalendar, file: "council.yaml").reviews.escalateAfter == .workingDays(5))
        let mixed = text.replacingOccurrences(of: "  escalate-after: 0s", with: "  escalate-after: 1w 2wd")
        do {
            _ = try PolicyFile.parse(mixed, file: "council.yaml")
            Issue.record("working days mixed with weeks were accepted")
        } catch {
            #expect(error.message == "'1w 2wd' is not a duration")
            #expect(error.hint?.contains("working days alone, like 5wd") == true)
        }
    }

    /// A downloaded GOV.UK file becomes a bank-holiday file that a policy can name, from the policy's folder.
    @Test func aDownloadedGOVUKFileImportsIntoAListAPolicyCanName() throws {
        let json = Data(
            """
            {"england-and-wales":{"division":"england-and-wales","events":[
              {"title":"Christmas Day","date":"2031-12-25","notes":"","bunting":true},
              {"title":"Boxing Day","date":"2031-12-26","notes":"","bunting":true},
              {"title":"New Year’s Day","date":"2032-01-01","notes":"","bunting":true}]},
             "scotland":{"division":"scotland","events":[
              {"title":"2nd January","date":"2032-01-02","notes":"Substitute day","bunting":true}]}}
            """.utf8)
        let text = try BankHolidayFile.importGOVUK(
            json, division: "scotland", file: "bank-holidays.json", importedOn: LocalDate("2031-06-01")!)
        #expect(text.contains("source: https://www.gov.uk/bank-holidays.json (division scotland), imported 2031-06-01"))
        #expect(text.contains("  - { date: 2032-01-02, title: \"2nd January (substitute day)\" }"))
        let folder = temporaryDirectory()
        let england = try BankHolidayFile.importGOVUK(
            json, division: "england-and-wales", file: "bank-holidays.json", importedOn: LocalDate("2031-06-01")!)
        try england.write(toFile: "\(folder)/holidays.yaml", atomically: true, encoding: .utf8)
        let policyText = try String(contentsOfFile: Repository.path("workflows/derbyshire.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "  bank-holidays: england-and-wales", with: "  bank-holidays: holidays.yaml")
        try policyText.write(toFile: "\(folder)/council.yaml", atomically: true, encoding: .utf8)
        let holidays = try #require(try PolicyFile.load("\(folder)/council.yaml").calendar?.calendar.bankHolidays)
        #expect(holidays.days.map(\.description) == ["2031-12-25", "2031-12-26", "2032-01-01"])

        #expect(throws: FileError.self) {
            try BankHolidayFile.importGOVUK(
                Data("{}".utf8), division: "wales", file: "b.json", importedOn: LocalDate("2031-06-01")!)
        }
        try "name: x\nsource: y\ndays:\n  - { date: 2031-12-26, title: a }\n  - { date: 2031-12-25, title: b }\n"
            .write(toFile: "\(folder)/unsorted.yaml", atomically: true, encoding: .utf8)
        do {
            _ = try BankHolidayFile.load("\(folder)/unsorted.yaml")
            Issue.record("days out of order were accepted")
        } catch {
            #expect(error.line == 5)
            #expect(error.message == "2031-12-25 comes after 2031-12-26: the days must be in order, each once")
        }
    }

    /// Scenario steps may give a local time and its zone; a time the clocks skip or repeat is refused.
    @Test func scenariosMayStateLocalTimes() throws {
        func steps(_ at: String) throws -> Scenario {
            try ScenarioFile.parse(
                "title: t\nstart: 2026-03-28T09:00 Europe/London\nsteps:\n  - { at: \(at), advance-to: \(at) }\n",
                file: "s.yaml")
        }
        let spring = try steps("2026-03-29T09:00 Europe/London")
        #expect(spring.start == date("2026-03-28T09:00:00Z"))
        guard case .at(let instant) = spring.steps.first?.timing else {
            Issue.record("the step has no time")
            return
        }
        #expect(instant == date("2026-03-29T08:00:00Z"))
        #expect(throws: FileError.self) { try steps("2026-03-29T01:30 Europe/London") }
        #expect(throws: FileError.self) { try steps("2026-10-25T01:30 Europe/London") }
        #expect(throws: FileError.self) { try steps("2026-10-25T09:00 Europe/Londn") }
        do {
            _ = try steps("2026-03-29T01:30 Europe/London")
        } catch let error as FileError {
            #expect(error.message == "2026-03-29T01:30 does not happen in Europe/London: the clocks go forward over it")
        }
    }
}
