import CareJourneyCore
import Foundation

/// Recently written case states, so the engine need not read and decode a case it has just written.
///
/// The engine is the only writer (the data-folder lock keeps others out) and stores an entry only once its batch
/// has committed, so the writer takes an entry as the case's current state; a reader of an older snapshot takes
/// one only at the version it read. Bounded: when full, the oldest entries go first.
package struct StateCache: Sendable {
    /// A case's state as committed, with what its next write needs.
    package struct Entry: Sendable {
        package let number: Int64
        package let version: Int
        /// The version of the case's last stored snapshot.
        package let snapshotVersion: Int
        /// The state (a copy-on-write value: holding it here costs a reference count, not a copy of its fields).
        package let state: CaseState
        /// The state's projection columns, as the writer wrote them: its next write compares with them.
        package let columns: ProjectionColumns

        package init(
            number: Int64, version: Int, snapshotVersion: Int, state: CaseState, columns: ProjectionColumns? = nil
        ) {
            self.number = number
            self.version = version
            self.snapshotVersion = snapshotVersion
            self.state = state
            self.columns = columns ?? ProjectionColumns(state)
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
