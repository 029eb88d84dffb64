import CareJourneyClock
import Foundation
import Testing

/// A thread blocked in a poll waits by the injected clock, never by the wall clock: what
/// `CareClock.milliseconds(until:atMost:)` answers for a manual clock and a fast one.
@Suite struct CareClockTests {
    let start = Date(timeIntervalSince1970: 1_800_000_000)

    /// A clock that reads one instant and runs `scale` times faster than the wall clock.
    struct FixedClock: CareClock {
        let instant: Date
        let scale: Double
        func now() -> Date { instant }
        func sleep(until deadline: Date) async throws {}
    }

    @Test func aPollWaitsTheManualClocksTimeUntilTheDeadlineRoundedUp() {
        let clock = ManualClock(start)
        #expect(clock.milliseconds(until: start.addingTimeInterval(0.25), atMost: 1000) == 251)
        #expect(clock.milliseconds(until: start, atMost: 1000) == 1)
        clock.advance(by: 0.125)
        #expect(clock.milliseconds(until: start.addingTimeInterval(0.25), atMost: 1000) == 126)
    }

    @Test func aPassedDeadlineIsNoWaitAndAFarOneIsTheLimit() {
        let clock = ManualClock(start)
        #expect(clock.milliseconds(until: start.addingTimeInterval(-5), atMost: 1000) == 0)
        #expect(clock.milliseconds(until: .distantPast, atMost: 1000) == 0)
        #expect(clock.milliseconds(until: start.addingTimeInterval(30), atMost: 1000) == 1000)
        #expect(clock.milliseconds(until: .distantFuture, atMost: 250) == 250)
    }

    @Test func aFastClocksSecondsAreShorterWallWaits() {
        let clock = FixedClock(instant: start, scale: 100)
        #expect(clock.milliseconds(until: start.addingTimeInterval(50), atMost: 1000) == 501)
        #expect(clock.milliseconds(until: start.addingTimeInterval(500), atMost: 1000) == 1000)
    }
}
