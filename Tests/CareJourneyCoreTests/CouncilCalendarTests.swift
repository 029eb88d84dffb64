import Foundation
import Testing

@testable import CareJourneyCore

func instant(_ text: String) -> Date { try! Date(text, strategy: .iso8601) }
func day(_ text: String) -> LocalDate { LocalDate(text)! }

/// Europe/London with the bank holidays these tests need (GOV.UK's, the Christmases of 2026 and 2027).
let london = CouncilCalendar(
    timeZone: TimeZone(identifier: "Europe/London")!,
    bankHolidays: BankHolidays(
        name: "test", days: ["2026-12-25", "2026-12-28", "2027-01-01", "2027-12-27", "2027-12-28"].map(day)))

@Suite struct LocalDateTests {
    @Test func daysRoundTripThroughTheirParts() {
        #expect(day("1970-01-01").dayNumber == 0)
        #expect(day("2026-09-10").description == "2026-09-10")
        #expect(day("1969-12-31").dayNumber == -1)
        #expect(LocalDate("2027-02-29") == nil)
        #expect(LocalDate("2028-02-29") != nil)
        #expect(LocalDate("2026-9-10") == nil)
        #expect(day("2026-09-10").weekday == 4)  // a Thursday
        #expect(day("2026-12-26").isWeekend)
    }

    @Test func monthsClampToTheMonthsEnd() {
        #expect(day("2027-01-31").adding(months: 1) == day("2027-02-28"))
        #expect(day("2028-01-31").adding(months: 1) == day("2028-02-29"))
        #expect(day("2028-02-29").adding(months: 12) == day("2029-02-28"))
        #expect(day("2026-03-31").adding(months: -1) == day("2026-02-28"))
        #expect(day("2026-11-30").adding(months: 3) == day("2027-02-28"))
        #expect(day("2026-01-15").adding(months: -13) == day("2024-12-15"))
    }

    /// Every day of ten years against Foundation's Gregorian calendar: the same parts and the same weekday.
    @Test func tenYearsOfDaysAgreeWithFoundation() {
        var utc = Calendar(identifier: .gregorian)
        utc.timeZone = .gmt
        for number in day("2024-01-01").dayNumber...day("2033-12-31").dayNumber {
            let date = Date(timeIntervalSince1970: TimeInterval(number) * 86_400)
            let parts = utc.dateComponents([.year, .month, .day, .weekday], from: date)
            let local = LocalDate(dayNumber: number)
            #expect(local.parts == (parts.year!, parts.month!, parts.day!))
            #expect(local.weekday == (parts.weekday! + 5) % 7 + 1)
            #expect(LocalDate(local.description) == local)
        }
    }
}

@Suite struct CouncilCalendarTests {
    @Test func daysStartAndEndAtLocalMidnightWhateverTheClocksDo() {
        #expect(london.start(of: day("2026-03-29")) == instant("2026-03-29T00:00:00Z"))  // GMT until 01:00
        #expect(london.end(of: day("2026-03-29")) == instant("2026-03-29T23:00:00Z"))  // a 23-hour day
        #expect(london.end(of: day("2026-10-25")) == instant("2026-10-26T00:00:00Z"))  // a 25-hour day
        #expect(london.start(of: day("2026-10-25")) == instant("2026-10-24T23:00:00Z"))
        #expect(london.day(of: instant("2026-09-09T23:30:00Z")) == day("2026-09-10"))  // 00:30 BST
        #expect(london.deadlineDay(of: instant("2026-11-06T00:00:00Z")) == day("2026-11-05"))
        #expect(london.deadlineDay(of: instant("2026-11-05T15:00:00Z")) == day("2026-11-05"))
    }

    /// Start of day for every day of ten years agrees with Foundation's `startOfDay` in the zone.
    @Test func startsOfDaysAgreeWithFoundationForTenYears() {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = london.timeZone
        for number in stride(from: day("2024-01-01").dayNumber, through: day("2033-12-31").dayNumber, by: 1) {
            let local = LocalDate(dayNumber: number)
            let (year, month, dayOfMonth) = local.parts
            let noon = calendar.date(from: DateComponents(year: year, month: month, day: dayOfMonth, hour: 12))!
            #expect(london.start(of: local) == calendar.startOfDay(for: noon), "\(local)")
            #expect(london.day(of: noon) == local)
        }
    }

    @Test func midnightInAGapStartsTheDayAtTheFirstInstantItHas() throws {
        // Havana's clocks go from 00:00 to 01:00 on 8 March 2026: the day starts at 05:00Z (01:00 CDT).
        let havana = CouncilCalendar(
            timeZone: try #require(TimeZone(identifier: "America/Havana")), bankHolidays: .none)
        let start = havana.start(of: day("2026-03-08"))
        #expect(havana.day(of: start) == day("2026-03-08"))
        #expect(havana.day(of: start.addingTimeInterval(-1)) == day("2026-03-07"))
    }

    @Test func aLocalTimeTheClocksSkipOrRepeatHasNoneOrTwoInstants() {
        #expect(london.instants(on: day("2026-03-29"), at: 9 * 3600) == [instant("2026-03-29T08:00:00Z")])
        #expect(london.instants(on: day("2026-03-29"), at: 3600 + 1800).isEmpty)
        #expect(
            london.instants(on: day("2026-10-25"), at: 3600 + 1800) == [
                instant("2026-10-25T00:30:00Z"), instant("2026-10-25T01:30:00Z"),
            ])
    }

    /// Signed off at 00:30 BST on 10 September: "within 8 weeks" is due by the end of 5 November (GMT), not at
    /// 23:30 GMT on 4 November as exact seconds would have it.
    @Test func aSignOffJustAfterLocalMidnightIsDueOnTheRightDay() {
        let signedOff = instant("2026-09-09T23:30:00Z")
        #expect(PolicyDuration.weeks(8).after(signedOff) == instant("2026-11-04T23:30:00Z"))
        #expect(london.dueDay(after: signedOff, duration: .weeks(8)) == day("2026-11-05"))
        #expect(london.due(after: signedOff, duration: .weeks(8)) == instant("2026-11-06T00:00:00Z"))
        // A review done at 15:00 on the due day is on time; at 00:30 the next day, a day late.
        let due = london.due(after: signedOff, duration: .weeks(8))
        #expect(london.isOnTime(instant("2026-11-05T15:00:00Z"), due: due))
        #expect(!london.isOnTime(instant("2026-11-06T00:30:00Z"), due: due))
    }

    @Test func workingDaysSkipWeekendsBankHolidaysAndClosures() {
        #expect(london.day(.workingDays(5), after: day("2026-12-18")) == day("2026-12-29"))
        let closed = CouncilCalendar(
            timeZone: london.timeZone, bankHolidays: london.bankHolidays, closures: [day("2026-12-29")])
        #expect(closed.day(.workingDays(1), after: day("2026-12-24")) == day("2026-12-30"))
        #expect(closed.day(.workingDays(2), before: day("2026-12-30")) == day("2026-12-23"))
        #expect(london.workingDay(onOrBefore: day("2027-12-28")) == day("2027-12-24"))
        #expect(london.workingDay(onOrAfter: day("2027-12-25")) == day("2027-12-29"))
        #expect(!london.isWorkingDay(day("2026-12-28")) && london.isWorkingDay(day("2026-12-29")))
    }

    @Test func datesAreShownInTheZoneWithItsName() {
        #expect(london.text(of: instant("2026-07-01T08:05:00Z")) == "2026-07-01 09:05 BST")
        #expect(london.text(of: instant("2026-12-01T08:05:00Z")) == "2026-12-01 08:05 GMT")
        let kolkata = CouncilCalendar(timeZone: TimeZone(identifier: "Asia/Kolkata")!, bankHolidays: .none)
        #expect(["IST", "+05:30"].contains(kolkata.zoneName(at: instant("2026-12-01T08:05:00Z"))))
    }

    @Test func workingDaysParseAloneAndReadBack() {
        #expect(PolicyDuration(parsing: "5wd") == .workingDays(5))
        #expect(PolicyDuration.workingDays(5).description == "5wd")
        #expect(PolicyDuration(parsing: "1w 2wd") == nil)
        #expect(PolicyDuration.workingDays(10).approximateSeconds == 14 * 86_400)
        // Without a council's calendar, working days are Monday to Friday in UTC, keeping the time of day.
        #expect(PolicyDuration.workingDays(1).after(instant("2026-12-04T10:00:00Z")) == instant("2026-12-07T10:00:00Z"))
        #expect(
            PolicyDuration.workingDays(1).before(instant("2026-12-07T10:00:00Z")) == instant("2026-12-04T10:00:00Z"))
    }

    @Test func theCalendarCodesAsItsZonesNameAndRefusesAZoneTheSystemLacks() throws {
        let data = try JSONEncoder().encode(london)
        #expect(try JSONDecoder().decode(CouncilCalendar.self, from: data) == london)
        let broken = String(decoding: data, as: UTF8.self).replacingOccurrences(of: "Europe", with: "Erope")
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(CouncilCalendar.self, from: Data(broken.utf8)) }
    }
}
