import Foundation
import Synchronization

/// A time zone's offsets from GMT as a table of its changes, read from the zone once per process: the council's
/// calendar looks up an offset for every local day it works out (several for each timer the engine's writer sets),
/// and a binary search in this table costs a fraction of asking the zone (ICU behind a lock, about a microsecond).
///
/// The table covers 1900 to 2100; an instant outside it is asked of the zone itself, so the answer is the zone's
/// everywhere (a test compares the two over two centuries of instants in several zones).
final class ZoneOffsets: Sendable {
    /// The zone the table was read from.
    let zone: TimeZone
    /// The instants (seconds since 1970) at which the offset changes, in order.
    private let changes: [Double]
    /// `offsets[i]` holds before `changes[i]` (and after `changes[i - 1]`); the last holds after the last change.
    private let offsets: [Int]
    private let covered: ClosedRange<Double>

    private init(zone: TimeZone) {
        self.zone = zone
        covered = Self.first...Self.last
        var changes: [Double] = []
        var offsets = [zone.secondsFromGMT(for: Date(timeIntervalSince1970: Self.first))]
        var instant = Date(timeIntervalSince1970: Self.first)
        while let next = zone.nextDaylightSavingTimeTransition(after: instant), next > instant,
            next.timeIntervalSince1970 <= Self.last
        {
            let offset = zone.secondsFromGMT(for: next)
            if offset != offsets[offsets.count - 1] {
                changes.append(next.timeIntervalSince1970)
                offsets.append(offset)
            }
            instant = next
        }
        self.changes = changes
        self.offsets = offsets
    }

    /// 1900-01-01T00:00:00Z and 2100-01-01T00:00:00Z.
    private static let first: Double = -2_208_988_800
    private static let last: Double = 4_102_444_800

    /// The zone's offset from GMT at `instant`, in seconds.
    func secondsFromGMT(at instant: Double) -> Int {
        guard covered.contains(instant) else {
            return zone.secondsFromGMT(for: Date(timeIntervalSince1970: instant))
        }
        var (low, high) = (0, changes.count)
        while low < high {
            let middle = (low + high) / 2
            if changes[middle] <= instant { low = middle + 1 } else { high = middle }
        }
        return offsets[low]
    }

    /// The table of `zone`, read once per process and zone.
    static func of(_ zone: TimeZone) -> ZoneOffsets {
        tables.withLock { tables in
            if let table = tables[zone.identifier] { return table }
            let table = ZoneOffsets(zone: zone)
            tables[zone.identifier] = table
            return table
        }
    }

    private static let tables = Mutex<[String: ZoneOffsets]>([:])
}
