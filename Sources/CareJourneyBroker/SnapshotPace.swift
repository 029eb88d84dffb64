import Foundation

/// When the broker's socket thread publishes its snapshot (queues, workers, dropped messages: what the dashboard and
/// `/metrics` read): at most once every `every`, and at most `every` after a pass that came too soon to publish its
/// own, however quiet the broker is then — the loop wakes at `due` for it. Time is an input.
struct SnapshotPace {
    /// The least time between two snapshots, and the most a snapshot may lag behind the last pass.
    let every: TimeInterval
    private var last = Date.distantPast
    /// When the loop must wake to publish a pass not yet published; `nil` when the snapshot is current.
    private(set) var due: Date?

    init(every: TimeInterval = 0.2) {
        self.every = every
    }

    /// A pass of the loop ended at `now`: whether to publish the snapshot now.
    mutating func passed(at now: Date) -> Bool {
        guard now.timeIntervalSince(last) >= every else {
            due = last.addingTimeInterval(every)
            return false
        }
        (last, due) = (now, nil)
        return true
    }
}
