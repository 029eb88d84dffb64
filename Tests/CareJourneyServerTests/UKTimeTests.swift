import CareJourneyClock
import CareJourneyCore
import CareJourneyTestSupport
import Foundation
import Testing

@testable import CareJourneyServer

/// Dates on the dashboard: UK clocks with the zone's name, and a deadline that passes at local midnight shown as the
/// day it closes, not the next day's 00:00.
@Suite struct UKTimeTests {
    func at(_ text: String) throws -> Date { try Date(text, strategy: .iso8601) }

    @Test func timesCarryTheZonesName() throws {
        let summer = UKTime.element(try at("2026-07-01T08:05:00Z")).text
        #expect(summer.hasSuffix(" 9:05</time> BST"), "\(summer)")
        let winter = UKTime.element(try at("2026-12-01T08:05:00Z")).text
        #expect(winter.hasSuffix(" 8:05</time> GMT"), "\(winter)")
        #expect(!UKTime.element(try at("2026-12-01T08:05:00Z"), dayOnly: true).text.contains("GMT"))
    }

    @Test func aDeadlineAtLocalMidnightIsShownAsTheDayItCloses() throws {
        let due = try at("2026-11-06T00:00:00Z")  // the end of 5 November, GMT
        #expect(UKTime.due(due, timer: .reviewFirstFormalDue).text.hasPrefix("end of <time"))
        #expect(UKTime.due(due, timer: .reviewFirstFormalDue).text.hasSuffix(">5 Nov 2026</time>"))
        let bst = try at("2026-10-21T23:00:00Z")  // the end of 21 October, BST
        #expect(UKTime.due(bst, timer: .reviewPlannedDue, dayOnly: true).text.contains(">21 Oct 2026</time>"))
        // A window that opens at the start of a day, and a deadline at an exact time, show as they are.
        #expect(UKTime.due(bst, timer: .reviewFirstFormalOpens, dayOnly: true).text.contains(">22 Oct 2026</time>"))
        let exact = try at("2026-11-04T23:30:00Z")
        #expect(UKTime.due(exact, timer: .reviewFirstFormalDue).text.hasSuffix("23:30</time> GMT"))
    }

    /// In another zone a time is on its clocks, with its offset where British English has no name for it; a deadline
    /// at its midnight is the day it closes there.
    @Test func timesAreOnTheCalendarsClocks() throws {
        let newYork = CouncilCalendar(
            timeZone: try #require(TimeZone(identifier: "America/New_York")), bankHolidays: .none)
        try UKTime.$calendar.withValue(newYork) {
            #expect(UKTime.element(try at("2026-07-01T08:05:00Z")).text.hasSuffix(" 4:05</time> -04:00"))
            #expect(UKTime.element(try at("2026-12-01T08:05:00Z")).text.hasSuffix(" 3:05</time> -05:00"))
            let due = try at("2026-11-05T05:00:00Z")  // the end of 4 November, EST
            #expect(UKTime.due(due, timer: .reviewFirstFormalDue).text.hasSuffix(">4 Nov 2026</time>"))
        }
    }

    /// The dashboard of a council whose policy names another zone shows its pages' dates on that zone's clocks: a
    /// case opened at 08:05 UTC on 1 July 2026 was opened at 04:05 in New York.
    @Test func theDashboardShowsThePolicysZone() async throws {
        var policy = try shippedPolicy()
        let shipped = policy.councilCalendar
        policy.calendar?.calendar = CouncilCalendar(
            timeZone: try #require(TimeZone(identifier: "America/New_York")), bankHolidays: shipped.bankHolidays)
        let clock = ManualClock(try at("2026-07-01T08:05:00Z"))
        try await LiveServer.with(clock: clock, policy: policy) { server in
            let created = try await server.post(
                "/api/cases", ["data": ["name": "Ada", "clientType": "adult", "route": "gp"]])
            #expect(created.status == 201)
            let page = try await server.get("/cases/C-1").text
            #expect(page.contains("<time datetime=\"2026-07-01T08:05:00Z\">1 Jul 2026 at 4:05</time> -04:00"))
            #expect(!page.contains("BST"))
        }
    }
}
