import CareJourneyCore
import Foundation
import Testing
import CareJourneyTestSupport

@testable import CareJourneyKit

/// A case of the shipped policy's journey, driven by hand: every event at an exact instant, timers fired at theirs.
struct CalendarCase {
    var state = CaseState(id: "ada")
    let policy: Policy

    /// Contact to sign-off under a shipped council's policy, every event at `signedOff`.
    init(_ council: String, signedOff: Date) throws {
        try self.init(policy: try shippedPolicy(council), signedOff: signedOff)
    }

    /// A case with no events yet, under `policy`.
    init(policy: Policy) { self.policy = policy }

    /// Contact to sign-off under `policy`, every event at `signedOff`.
    init(policy: Policy, signedOff: Date) throws {
        self.policy = policy
        try send(.contact, ["name": "Ada", "clientType": "adult", "route": "gp"], at: signedOff)
        for step in EventCatalog.pathToDelivery { try send(step.name, step.data, at: signedOff) }
    }

    mutating func send(_ name: EventName, _ data: JSONValue = [:], at now: Date) throws {
        state = try Journey.apply(
            try Event(name: name.rawValue, data: data), to: state, at: now, by: "sw.test", policy: policy
        ).state
    }

    mutating func fire(_ timer: TimerName) throws {
        let due = try #require(state.timers[timer], "\(timer.rawValue) is not pending")
        state = try Journey.apply(
            .timerFired(TimerFire(timer: timer, due: due)), to: state, at: due, by: "timer", policy: policy
        ).state
    }

    /// The pending timers, `name due` in ISO 8601 (UTC), for the review timers.
    var reviewTimers: [String] {
        state.timers.filter { $0.key.rawValue.hasPrefix("review.") }.sorted { $0.key < $1.key }.map {
            "\($0.key.rawValue) \($0.value.formatted(.iso8601))"
        }
    }
}

/// The shipped policies' deadlines on the UK calendar: exact due days across changes of the clocks, Easter,
/// Christmas and New Year, a leap year's February, and a sign-off just after midnight.
@Suite struct CalendarDeadlineTests {
    /// 00:30 BST on 10 September 2026 + 8 weeks: due by the end of 5 November (GMT), window and reminder at the start
    /// of 22 October (BST); the 72-hour informal review stays 72 hours.
    @Test func aSignOffJustAfterMidnightIsDueEightWeeksOnByTheLocalDay() throws {
        let ada = try CalendarCase("derbyshire", signedOff: date("2026-09-09T23:30:00Z"))
        #expect(
            ada.reviewTimers == [
                "review.first-formal.due 2026-11-06T00:00:00Z",
                "review.first-formal.opens 2026-10-21T23:00:00Z",
                "review.first-formal.reminder 2026-10-21T23:00:00Z",
                "review.informal 2026-09-12T23:30:00Z",
            ])
    }

    /// Signed off 11:00 BST on 1 September 2026; the clocks go back on 25 October: due by the end of 27 October, GMT.
    @Test func theClocksGoingBackIn2026DoNotMoveTheDueDay() throws {
        let ada = try CalendarCase("derbyshire", signedOff: date("2026-09-01T10:00:00Z"))
        #expect(ada.state.timers[.reviewFirstFormalDue] == date("2026-10-28T00:00:00Z"))
        #expect(ada.state.timers[.reviewFirstFormalOpens] == date("2026-10-12T23:00:00Z"))
    }

    /// Signed off 14:00 GMT on Friday 20 February 2026; the clocks go forward on 29 March. Due by the end of 17 April
    /// (BST); the window opens on Good Friday (windows do not move), the reminder, due on Good Friday, goes out on
    /// Maundy Thursday.
    @Test func theClocksGoingForwardIn2026AndEasterGiveExactDays() throws {
        let ada = try CalendarCase("derbyshire", signedOff: date("2026-02-20T14:00:00Z"))
        #expect(
            ada.reviewTimers == [
                "review.first-formal.due 2026-04-17T23:00:00Z",
                "review.first-formal.opens 2026-04-02T23:00:00Z",
                "review.first-formal.reminder 2026-04-01T23:00:00Z",
                "review.informal 2026-02-23T14:00:00Z",
            ])
    }

    /// Signed off 15:00 GMT on 1 February 2027: due on Easter Monday, 29 March, the day after the clocks go forward.
    /// A due day never moves; missed, it is escalated on the next working day's start (Derbyshire: at once).
    @Test func theClocksGoingForwardIn2027AndADueDayOnEasterMonday() throws {
        var ada = try CalendarCase("derbyshire", signedOff: date("2027-02-01T15:00:00Z"))
        #expect(ada.state.timers[.reviewFirstFormalDue] == date("2027-03-29T23:00:00Z"))
        #expect(ada.state.timers[.reviewFirstFormalReminder] == date("2027-03-15T00:00:00Z"))
        try ada.fire(.reviewFirstFormalOpens)
        try ada.fire(.reviewFirstFormalReminder)
        try ada.fire(.reviewFirstFormalDue)
        #expect(ada.state.reviews.overdue?.due == date("2027-03-29T23:00:00Z"))
        #expect(ada.state.openTask(.escalateOverdueReview) != nil)
        #expect(ada.state.timers[.reviewEscalation] == nil)
    }

    /// Signed off 09:00 BST on 7 September 2027; the clocks go back on 31 October: due by the end of 2 November.
    @Test func theClocksGoingBackIn2027DoNotMoveTheDueDay() throws {
        let ada = try CalendarCase("derbyshire", signedOff: date("2027-09-07T08:00:00Z"))
        #expect(ada.state.timers[.reviewFirstFormalDue] == date("2027-11-03T00:00:00Z"))
        #expect(ada.state.timers[.reviewFirstFormalOpens] == date("2027-10-18T23:00:00Z"))
    }

    /// Wiltshire reminds 28 days ahead: a reminder due on Christmas Day 2026 goes out on Christmas Eve.
    @Test func aReminderOnChristmasDayGoesOutOnChristmasEve() throws {
        let ada = try CalendarCase("wiltshire", signedOff: date("2026-11-27T10:00:00Z"))
        #expect(ada.state.timers[.reviewFirstFormalDue] == date("2027-01-23T00:00:00Z"))
        #expect(ada.state.timers[.reviewFirstFormalReminder] == date("2026-12-24T00:00:00Z"))
    }

    /// Wiltshire escalates a week after a missed due day: due 18 December 2026, escalated on 25 December, which moves
    /// past the weekend and Boxing Day's substitute (28 December) to Tuesday 29 December.
    @Test func anEscalationOverChristmasMovesToTheNextWorkingDay() throws {
        var ada = try CalendarCase("wiltshire", signedOff: date("2026-10-23T13:00:00Z"))
        #expect(ada.state.timers[.reviewFirstFormalDue] == date("2026-12-19T00:00:00Z"))
        #expect(ada.state.timers[.reviewFirstFormalReminder] == date("2026-11-20T00:00:00Z"))
        try ada.fire(.reviewFirstFormalOpens)
        try ada.fire(.reviewFirstFormalReminder)
        try ada.fire(.reviewFirstFormalDue)
        #expect(ada.state.timers[.reviewEscalation] == date("2026-12-29T00:00:00Z"))
        #expect(ada.state.openTask(.escalateOverdueReview) == nil)
        try ada.fire(.reviewEscalation)
        #expect(ada.state.openTask(.escalateOverdueReview) != nil)
    }

    /// New Year: a reminder due on 1 January 2027 goes out on 31 December; one due on Boxing Day's substitute in 2027
    /// (Tuesday 28 December) goes back past Christmas's substitute and the weekend to Friday 24 December.
    @Test func remindersOverNewYearGoToTheWorkingDayBefore() throws {
        let ada = try CalendarCase("derbyshire", signedOff: date("2026-11-20T10:00:00Z"))
        #expect(ada.state.timers[.reviewFirstFormalDue] == date("2027-01-16T00:00:00Z"))
        #expect(ada.state.timers[.reviewFirstFormalReminder] == date("2026-12-31T00:00:00Z"))
        let bob = try CalendarCase("derbyshire", signedOff: date("2027-11-16T10:00:00Z"))
        #expect(bob.state.timers[.reviewFirstFormalDue] == date("2028-01-12T00:00:00Z"))
        #expect(bob.state.timers[.reviewFirstFormalReminder] == date("2027-12-24T00:00:00Z"))
        #expect(bob.state.timers[.reviewFirstFormalOpens] == date("2027-12-28T00:00:00Z"))
    }

    /// Leap year: 8 weeks from 4 January 2028 is 29 February; a review done that day makes the next one due 12 months
    /// on, on 28 February 2029 (months clamp to the month's end), reminded a fortnight before.
    @Test func theEndOfFebruaryInALeapYear() throws {
        var ada = try CalendarCase("derbyshire", signedOff: date("2028-01-04T10:00:00Z"))
        #expect(ada.state.timers[.reviewFirstFormalDue] == date("2028-03-01T00:00:00Z"))
        try ada.fire(.reviewFirstFormalOpens)
        try ada.send(.startReview, ["type": "first-formal"], at: date("2028-02-29T09:00:00Z"))
        try ada.send(.reviewCompleted, ["outcome": "no-change"], at: date("2028-02-29T16:00:00Z"))
        #expect(ada.state.timers[.reviewPlannedDue] == date("2029-03-01T00:00:00Z"))
        #expect(ada.state.timers[.reviewPlannedReminder] == date("2029-02-14T00:00:00Z"))
    }

    /// The example scenario, written in local times: signed off at 00:30 BST, due by the end of 5 November (GMT),
    /// still pending at 23:59 that day, overdue at local midnight.
    @Test func theUKCalendarExampleRunsInLocalTimes() throws {
        let result = try runExample("uk-calendar")
        #expect(
            result.lines([.timerSet]).filter { $0.contains("review.first-formal") } == [
                "timer-set review.first-formal.opens due 2026-10-21T23:00:00Z",
                "timer-set review.first-formal.reminder due 2026-10-21T23:00:00Z",
                "timer-set review.first-formal.due due 2026-11-06T00:00:00Z",
            ])
        #expect(result.entries(.event, "sign-off").first?.at == date("2026-09-09T23:30:00Z"))
        #expect(result.entries(.timerFired, "review.first-formal.due").first?.at == date("2026-11-06T00:00:00Z"))
        let calendar = try shippedPolicy().councilCalendar
        #expect(
            result.entries(.timerSet, "review.first-formal.due").first?.readableLine(in: calendar).contains(
                "review.first-formal.due         due 2026-11-06 00:00 GMT") == true)
    }

    /// The shipped policies' task due dates are local days too: a contact at 23:30 GMT on Saturday 28 March 2026, the
    /// night the clocks go forward, is to be screened within 3 days: by the end of Tuesday 31 March, BST.
    @Test func aTaskIsDueByTheEndOfItsLocalDay() throws {
        var ada = CalendarCase(policy: try shippedPolicy())
        try ada.send(.contact, ["name": "Ada", "clientType": "adult", "route": "gp"], at: date("2026-03-28T23:30:00Z"))
        #expect(ada.state.openTask(.screenContact)?.due == date("2026-03-31T23:00:00Z"))
    }

    /// A review reminder's brief names the due day on the council's calendar, and its zone, beside the instant:
    /// signed off at 00:30 BST on 10 September 2026, the reminder says 5 November, not the UTC instant's 6 November.
    /// Under a council in New York the same instant is 19:30 on 9 September there: due by the end of 4 November, EST.
    @Test func aReminderBriefCarriesTheLocalDueDayAndTheZone() throws {
        func brief(_ policy: Policy) throws -> TaskBrief {
            var ada = try CalendarCase(policy: policy, signedOff: date("2026-09-09T23:30:00Z"))
            try ada.fire(.reviewFirstFormalOpens)
            try ada.fire(.reviewFirstFormalReminder)
            let reminder = try #require(ada.state.openTask(.reviewReminder))
            return TaskBrief.forWorker(reminder, in: ada.state, calendar: policy.councilCalendar)
        }
        let london = try brief(shippedPolicy())
        #expect(london.due == date("2026-11-06T00:00:00Z"))
        #expect(london.dueDay == LocalDate(year: 2026, month: 11, day: 5))
        #expect(london.timeZone == "Europe/London")
        var newYork = try shippedPolicy()
        newYork.calendar?.calendar = CouncilCalendar(
            timeZone: try #require(TimeZone(identifier: "America/New_York")), bankHolidays: .none)
        let american = try brief(newYork)
        #expect(american.due == date("2026-11-05T05:00:00Z"))
        #expect(american.dueDay == LocalDate(year: 2026, month: 11, day: 4))
        #expect(american.timeZone == "America/New_York")
    }

    /// `policy apply` from a policy without a calendar to the shipped one moves the pending review timers to the
    /// local days, and back again.
    @Test func applyingTheCalendarRetimesPendingTimers() throws {
        var legacy = try shippedPolicy()
        legacy.calendar = nil
        var ada = try CalendarCase("derbyshire", signedOff: date("2026-09-09T23:30:00Z"))
        ada.state = try Journey.apply(
            .policyApplied(PolicyChange(policy: legacy.id)), to: ada.state, at: date("2026-09-10T08:00:00Z"),
            by: "policy", policy: legacy
        ).state
        #expect(ada.state.timers[.reviewFirstFormalDue] == date("2026-11-04T23:30:00Z"))
        ada.state = try Journey.apply(
            .policyApplied(PolicyChange(policy: ada.policy.id)), to: ada.state, at: date("2026-09-10T08:00:00Z"),
            by: "policy", policy: ada.policy
        ).state
        #expect(ada.state.timers[.reviewFirstFormalDue] == date("2026-11-06T00:00:00Z"))
    }
}

/// Properties over ten years of dates, with a seeded generator so that a failure repeats.
@Suite struct CalendarPropertyTests {
    /// SplitMix64: a small, seeded, repeatable generator.
    struct Seeded: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    func shippedCalendar() throws -> CouncilCalendar {
        try #require(try shippedPolicy().calendar?.calendar)
    }

    static let first = LocalDate(year: 2024, month: 1, day: 1)!
    static let last = LocalDate(year: 2033, month: 12, day: 31)!

    /// Whatever the start (any second of ten years) and the duration, the due day is never before the start's day,
    /// and the due instant never before the start.
    @Test func aDueDayNeverPrecedesItsStart() throws {
        let calendar = try shippedCalendar()
        var random = Seeded(state: 18)
        let span = Self.first.dayNumber * 86_400...Self.last.dayNumber * 86_400
        for _ in 0..<5000 {
            let start = Date(timeIntervalSince1970: TimeInterval(Int.random(in: span, using: &random)))
            let duration: PolicyDuration =
                switch Int.random(in: 0..<4, using: &random) {
                case 0: .days(Int64.random(in: 0...400, using: &random))
                case 1: .weeks(Int64.random(in: 0...60, using: &random))
                case 2: .months(Int.random(in: 0...24, using: &random))
                default: .workingDays(Int.random(in: 0...60, using: &random))
                }
            let due = calendar.due(after: start, duration: duration)
            #expect(due > start, "\(start) + \(duration)")
            #expect(calendar.dueDay(after: start, duration: duration) >= calendar.day(of: start))
            #expect(calendar.deadlineDay(of: due) == calendar.dueDay(after: start, duration: duration))
        }
    }

    /// Working-day arithmetic agrees with counting day by day: from any day of ten years, n working days on is the
    /// day on which the count of working days after the start first reaches n, and n back returns to the start, or
    /// to the working day before it when the start is not one.
    @Test func workingDaysAgreeWithADayByDayCount() throws {
        let calendar = try shippedCalendar()
        let holidays = Set(calendar.bankHolidays.days)
        #expect(holidays.count >= 56, "the shipped list covers 2024–2030")
        func working(_ day: LocalDate) -> Bool { day.weekday <= 5 && !holidays.contains(day) }
        var random = Seeded(state: 2026)
        for _ in 0..<3000 {
            let start = LocalDate(dayNumber: Int.random(in: Self.first.dayNumber...Self.last.dayNumber, using: &random))
            let n = Int.random(in: 1...40, using: &random)
            // The simple count: walk forward a day at a time until n working days have passed.
            var counted = 0
            var day = start
            while counted < n {
                day = day.adding(days: 1)
                if working(day) { counted += 1 }
            }
            let forward = calendar.day(.workingDays(n), after: start)
            #expect(forward == day, "\(start) + \(n)wd")
            var back = forward
            for _ in 0..<n { back = back.adding(days: -1); while !working(back) { back = back.adding(days: -1) } }
            #expect(calendar.day(.workingDays(n), before: forward) == back)
            #expect(back == calendar.workingDay(onOrBefore: start), "\(start): n back lands on its working day")
        }
    }
}
