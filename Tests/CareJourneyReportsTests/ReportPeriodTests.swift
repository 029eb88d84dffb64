import CareJourneyCore
import CareJourneyReports
import Foundation
import Testing

/// Rolling 12-month periods reported quarterly, as DHSC asks, and dates as the CLD file writes them.
@Suite struct ReportPeriodTests {
    @Test func aQuarterNamesTheTwelveMonthsToItsEnd() throws {
        #expect(try ReportPeriod(quarter: "2026-27Q2").description == "2025-10-01 to 2026-09-30")
        #expect(try ReportPeriod(quarter: "2026-27Q1").description == "2025-07-01 to 2026-06-30")
        #expect(try ReportPeriod(quarter: "2026-27Q3").description == "2026-01-01 to 2026-12-31")
        #expect(try ReportPeriod(quarter: "2025-26Q4").description == "2025-04-01 to 2026-03-31")
        for bad in ["2026-28Q2", "2026Q2", "2026-27Q5", "2026-27", "26-27Q2", "2026-27q2"] {
            #expect(throws: ReportError.self, "\(bad)") { try ReportPeriod(quarter: bad) }
        }
    }

    /// A period's days are the council's: under a New York policy 1 July 2026 runs from 04:00 UTC, and 03:30 UTC on
    /// the 2nd is still the 1st there, in the period, on the CLD row and as the last day of a rolling year; England's
    /// 1 July (BST) starts at 23:00 UTC on 30 June.
    @Test func aPeriodsDaysAreInThePolicysZone() throws {
        func at(_ text: String) throws -> Date { try Date(text, strategy: .iso8601) }
        let newYork = try #require(TimeZone(identifier: "America/New_York"))
        let period = try ReportPeriod(from: "2026-07-01", to: "2026-07-01", in: newYork)
        #expect(period.start == (try at("2026-07-01T04:00:00Z")))
        #expect(period.end == (try at("2026-07-02T04:00:00Z")))
        let late = try at("2026-07-02T03:30:00Z")
        #expect(period.contains(late))
        #expect(period.day(of: late) == "2026-07-01")
        #expect(CLDDate.text(of: late, in: period.calendar) == "01/07/2026")
        #expect(ReportPeriod.year(endingAt: late, in: newYork).description == "2025-07-02 to 2026-07-01")
        #expect(try ReportPeriod(quarter: "2026-27Q1", in: newYork).start == (try at("2025-07-01T04:00:00Z")))
        let england = try ReportPeriod(from: "2026-07-01", to: "2026-07-01")
        #expect(england.start == (try at("2026-06-30T23:00:00Z")))
        #expect(!england.contains(late))
        #expect(england != period)
    }

    @Test func theLastQuartersEndedAreTheFinancialQuarters() {
        #expect(
            ReportPeriod.quartersEnded(by: "2026-10-03", count: 4) == ["2026-27Q2", "2026-27Q1", "2025-26Q4", "2025-26Q3"])
        #expect(ReportPeriod.quartersEnded(by: "2026-04-01", count: 2) == ["2025-26Q4", "2025-26Q3"])
        #expect(ReportPeriod.quartersEnded(by: "2027-03-31", count: 1) == ["2026-27Q3"])
    }

    @Test func datesAreWrittenDayMonthYearAndAgesCountedAsDHSCDoes() throws {
        let period = try ReportPeriod(from: "2026-03-29", to: "2026-03-29")
        #expect(CLDDate.text(of: period.start, in: period.calendar) == "29/03/2026")
        #expect(CLDDate.day("29/02/2024") == CalendarDay("2024-02-29"))
        #expect(CLDDate.day("29/02/2026") == nil)
        #expect(CLDDate.day("2026-03-29") == nil)
        let born = try #require(CalendarDay("1958-04-01"))
        #expect(CLDDate.age(born: born, on: try #require(CalendarDay("2026-03-31"))) == 67)
        #expect(CLDDate.age(born: born, on: try #require(CalendarDay("2026-04-02"))) == 68)
        #expect(born.adding(days: 365).text == "1959-04-01")
        #expect(try #require(CalendarDay("2024-02-28")).adding(days: 1).text == "2024-02-29")
        #expect(try #require(CalendarDay("1970-01-01")).dayNumber == 0)
    }
}
