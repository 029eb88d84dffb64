import CareJourneyCore
import Testing

/// Numbers for people: one way of separating thousands, for counts and for money.
@Suite struct GroupedTests {
    @Test func thousandsAreSeparatedByCommas() {
        #expect(0.grouped == "0")
        #expect(999.grouped == "999")
        #expect(1_000.grouped == "1,000")
        #expect(123_456.grouped == "123,456")
        #expect((-1_234_567).grouped == "-1,234,567")
        #expect(Int.min.grouped == "-9,223,372,036,854,775,808")
    }

    @Test func moneyGroupsItsPounds() {
        #expect(Money(pence: 123_456_789).description == "£1,234,567.89")
        #expect(Money(pence: -100_005).description == "-£1,000.05")
        #expect(Money(pence: 7).description == "£0.07")
    }
}
