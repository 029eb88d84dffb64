import CareJourneyCore
import Foundation

/// Recently written case states, so the engine need not read and decode a case it has just written.
///
/// The engine is the only writer (the data-folder lock keeps others out), and an entry is used only when its
/// version equals the version in the store, so a stale entry is never used: at worst it is read again.
/// Bounded: when full, the oldest entries go first.
struct StateCache: Sendable {
    struct Entry: Sendable {
        let number: Int64
        let version: Int
        /// The version of the case's last stored snapshot.
        let snapshotVersion: Int
        let state: CaseState
    }

    let capacity: Int
    private var entries: [CaseID: Entry] = [:]
    private var order: [CaseID] = []
    private var oldest = 0

    init(capacity: Int) { self.capacity = capacity }

    /// The cached state of `id` at exactly `version`, if held.
    func state(of id: CaseID, at version: Int) -> Entry? {
        guard let entry = entries[id], entry.version == version else { return nil }
        return entry
    }

    /// Forgets these cases (disposed of: their states must not outlive their rows).
    mutating func forget(_ ids: [CaseID]) {
        for id in ids { entries[id] = nil }
    }

    /// Holds these states, dropping the oldest entries beyond capacity.
    mutating func store(_ written: [CaseID: Entry]) {
        guard capacity > 0 else { return }
        for (id, entry) in written {
            if entries.updateValue(entry, forKey: id) == nil { order.append(id) }
        }
        while entries.count > capacity, oldest < order.count {
            entries[order[oldest]] = nil
            oldest += 1
        }
        if oldest > capacity {
            order.removeFirst(oldest)
            oldest = 0
        }
    }
}
