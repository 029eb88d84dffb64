import CareJourneyCore
import Foundation

/// Recently written case states, so the engine need not read and decode a case it has just written.
///
/// The engine is the only writer (the data-folder lock keeps others out) and stores an entry only once its batch
/// has committed, so the writer takes an entry as the case's current state; a reader of an older snapshot takes
/// one only at the version it read. Bounded: when full, the oldest entries go first.
struct StateCache: Sendable {
    struct Entry: Sendable {
        let number: Int64
        let version: Int
        /// The version of the case's last stored snapshot.
        let snapshotVersion: Int
        /// The state, held once: entries are copied into the batch's and the cache's dictionaries on every write,
        /// and a state is a large value (copying it inline cost ~1 µs a transition, `carejourney-bench transitions`).
        private let held: Held
        var state: CaseState { held.state }

        init(number: Int64, version: Int, snapshotVersion: Int, state: CaseState) {
            self.number = number
            self.version = version
            self.snapshotVersion = snapshotVersion
            self.held = Held(state: state)
        }

        private final class Held: Sendable {
            let state: CaseState
            init(state: CaseState) { self.state = state }
        }
    }

    let capacity: Int
    private var entries: [CaseID: Entry] = [:]
    private var order: [CaseID] = []
    private var oldest = 0

    init(capacity: Int) { self.capacity = capacity }

    /// The last committed state of `id`, if held.
    func entry(of id: CaseID) -> Entry? { entries[id] }

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
