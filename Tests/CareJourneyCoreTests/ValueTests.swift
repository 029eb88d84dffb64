import Foundation
import Testing

@testable import CareJourneyCore

@Suite struct ValueTests {
    @Test(arguments: [
        ("72h", 0, 259_200), ("6w", 0, 3_628_800), ("12mo", 12, 0), ("1y", 12, 0), ("1w 2d", 0, 777_600),
        ("30s", 0, 30), ("90min", 0, 5400), ("5min", 0, 300),
    ])
    func durationsParse(text: String, months: Int, seconds: Int64) {
        #expect(PolicyDuration(parsing: text) == PolicyDuration(months: months, seconds: seconds))
    }

    @Test(arguments: ["", "6 weeks", "-1d", "3x", "w", "12", "12m"])
    func badDurationsAreRefused(text: String) {
        #expect(PolicyDuration(parsing: text) == nil)
    }

    @Test func durationsReadBackAsPoliciesWriteThem() {
        #expect(PolicyDuration.hours(72).description == "72h")
        #expect(PolicyDuration.days(14).description == "2w")
        #expect(PolicyDuration(months: 12, seconds: 86_400 * 8).description == "12mo 1w 1d")
    }

    @Test func monthsFollowTheCalendar() throws {
        let january31 = try Date("2027-01-31T10:00:00Z", strategy: .iso8601)
        #expect(PolicyDuration.months(1).after(january31) == (try Date("2027-02-28T10:00:00Z", strategy: .iso8601)))
        #expect(PolicyDuration.months(12).after(january31) == (try Date("2028-01-31T10:00:00Z", strategy: .iso8601)))
        #expect(PolicyDuration.days(14).before(january31) == (try Date("2027-01-17T10:00:00Z", strategy: .iso8601)))
    }

    @Test func moneyIsExactInPence() {
        #expect(Money(pounds: 412.5).description == "£412.50")
        #expect(Money(pounds: 1234567.891).description == "£1,234,567.89")
        #expect(Money(pounds: 0.1) + Money(pounds: 0.2) == Money(pounds: 0.3))
        #expect(Money(pounds: 320).scaled(by: 0.9) == Money(pounds: 288))
    }
}
