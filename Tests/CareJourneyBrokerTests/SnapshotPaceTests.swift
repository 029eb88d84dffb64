import Foundation
import Testing

@testable import CareJourneyBroker

/// The broker's snapshot: at most five a second, and never more than 0.2 s behind, on a clock moved by hand.
struct SnapshotPaceTests {
    let start = Date(timeIntervalSince1970: 1_800_000_000)

    /// Whether each pass, at these seconds after `start`, published; and what was due after each.
    func passes(_ seconds: [TimeInterval]) -> [(published: Bool, due: Date?)] {
        var pace = SnapshotPace()
        return seconds.map { second in
            let published = pace.passed(at: start + second)
            return (published, pace.due)
        }
    }

    @Test func aPassTooSoonIsPublishedWhenTheNextSnapshotIsDue() {
        let seen = passes([0, 0.05, 0.15, 0.2])
        #expect(seen[0].published && seen[0].due == nil, "the first pass publishes")
        // Busy: a pass 50 ms later waits, and the loop is told when to wake for it; a later one does not put it off.
        #expect(!seen[1].published && seen[1].due == start + 0.2)
        #expect(!seen[2].published && seen[2].due == start + 0.2)
        // Woken then, however quiet the broker is: published, and nothing is due.
        #expect(seen[3].published && seen[3].due == nil)
    }

    @Test func aPassAfterAQuietSpellIsPublishedAtOnce() {
        let seen = passes([0, 5, 5.1])
        #expect(seen[1].published && seen[1].due == nil)
        #expect(!seen[2].published && seen[2].due == start + 5.2)
    }
}
