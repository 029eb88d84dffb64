import Foundation
import Testing

@testable import CareJourneyKit

/// The progress line's words: done of total, the share, the rate and the time left.
@Suite struct ProgressLineTests {
    @Test func aLineSaysDoneOfTotalTheRateAndTheTimeLeft() {
        let line = ProgressLine.describe(
            "verify", done: 120_000, total: 1_000_000, unit: "cases", elapsed: .seconds(12))
        #expect(line == "verify: 120,000 of 1,000,000 cases (12 %), 10,000/s, 1 min 28 s left")
    }

    @Test func aFinishedOrUnstartedLineSaysNoTimeLeft() {
        #expect(
            ProgressLine.describe("dispose", done: 40, total: 40, unit: "cases", elapsed: .seconds(2))
                == "dispose: 40 of 40 cases (100 %), 20/s")
        #expect(
            ProgressLine.describe("simulate", done: 0, total: 0, unit: "weeks", elapsed: .zero)
                == "simulate: 0 of 0 weeks")
    }

    @Test func spansAreRoundedUp() {
        #expect(ProgressLine.span(44.2) == "45 s")
        #expect(ProgressLine.span(90) == "1 min 30 s")
        #expect(ProgressLine.span(7_500) == "2 h 5 min")
    }

    @Test func noLineIsShownWhenQuietOrWhenTheOutputIsNotATerminal() {
        #expect(ProgressLine("verify", counting: "cases", quiet: true) == nil)
        let onATerminal = isatty(STDOUT_FILENO) == 1 && isatty(STDERR_FILENO) == 1
        let line = ProgressLine("verify", counting: "cases", quiet: false)
        line?.finish()
        #expect((line != nil) == onATerminal)
    }
}
