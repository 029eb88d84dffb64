import Foundation

/// A safeguarding concern or a complaint laid over a sample case's journey, timed from today: open now, or raised
/// and concluded some time in the case's life. Overlays never move the journey (an enquiry's outcome here needs
/// no review), so where a case stands today is still its target's.
enum Overlay: CaseIterable, Sendable {
    case concernOpen, enquiryOpen, safeguardingConcluded, complaintReceived, complaintInLocalResolution
    case complaintConcluded, none

    /// Whether it raises a safeguarding concern.
    var isSafeguarding: Bool { [.concernOpen, .enquiryOpen, .safeguardingConcluded].contains(self) }

    /// One overlay in every `deck.count` cases, in turn; a deck size prime to the targets' keeps every mix of
    /// target and overlay coming round.
    static let deck: [Overlay] =
        [
            .concernOpen, .enquiryOpen, .complaintReceived, .complaintInLocalResolution, .safeguardingConcluded,
            .complaintConcluded, .safeguardingConcluded, .complaintConcluded,
        ] + Array(repeating: .none, count: 23)

    /// The deeds of this overlay on a case that began at `start`, as of `now`; none happen before the contact.
    func deeds(start: Date, now: Date, random: KeyedRandom) -> [(at: Date, deed: Deed)] {
        let earliest = start.addingTimeInterval(3600)
        guard earliest < now else { return [] }
        /// A time `days` before now, but not before the contact.
        func before(_ days: ClosedRange<Double>, _ key: String) -> Date {
            max(earliest, now.addingTimeInterval(-random.days(days, key)))
        }
        /// A time in the case's life, a share of the way from its contact to now.
        let inLife = earliest.addingTimeInterval(
            now.timeIntervalSince(earliest) * (0.1 + 0.5 * random.unit("overlay.when")))
        switch self {
        case .concernOpen:
            return [(before(0.5...4, "overlay.concern"), .raiseConcern)]
        case .enquiryOpen:
            let concern = before(8...30, "overlay.concern")
            let decided = min(now, concern.addingTimeInterval(random.days(1...3, "overlay.decision")))
            return [
                (concern, .raiseConcern), (decided, .decideS42(enquiry: true)),
                (decided.addingTimeInterval(86_400), .arrangementsSafe),
            ]
        case .safeguardingConcluded:
            let decided = inLife.addingTimeInterval(random.days(1...4, "overlay.decision"))
            let enquiry = random.chance(0.5, "overlay.enquiry")
            var deeds: [(at: Date, deed: Deed)] = [(inLife, .raiseConcern), (decided, .decideS42(enquiry: enquiry))]
            if enquiry {
                deeds += [
                    (decided.addingTimeInterval(86_400), .arrangementsSafe),
                    (
                        decided.addingTimeInterval(random.days(14...40, "overlay.enquiry.length")),
                        .concludeSafeguarding(reviewNeeded: false)
                    ),
                ]
            }
            return deeds
        case .complaintReceived:
            return [(before(0.5...5, "overlay.complaint"), .receiveComplaint)]
        case .complaintInLocalResolution:
            let received = before(10...30, "overlay.complaint")
            return [
                (received, .receiveComplaint),
                (
                    min(now, received.addingTimeInterval(random.days(1...5, "overlay.resolution"))),
                    .startComplaintResolution
                ),
            ]
        case .complaintConcluded:
            let started = inLife.addingTimeInterval(random.days(1...5, "overlay.resolution"))
            return [
                (inLife, .receiveComplaint), (started, .startComplaintResolution),
                (started.addingTimeInterval(random.days(10...30, "overlay.conclusion")), .concludeComplaint),
            ]
        case .none:
            return []
        }
    }
}
