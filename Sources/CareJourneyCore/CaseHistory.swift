import Foundation

/// A case's history replayed: every accepted event, in order, with when it happened and the case just after it.
/// Reports read it; the store and the scenario runner build it through the same `Journey.apply`.
public struct CaseHistory: Sendable {
    /// One accepted event and the case after it.
    public struct Step: Sendable {
        /// The event's number in the case's history, from 1.
        public let version: Int
        public let at: Date
        public let event: Event
        /// The case just after the event.
        public let state: CaseState
    }

    public let id: CaseID
    /// The events in the order they were applied.
    public private(set) var steps: [Step] = []

    /// A history with no events yet.
    public init(id: CaseID) { self.id = id }

    /// Adds the next event and the case after it.
    ///
    /// - Parameter version: the event's number in the case's history; by default the one after the last step's.
    public mutating func append(_ event: Event, at: Date, state: CaseState, version: Int? = nil) {
        steps.append(Step(version: version ?? (steps.last?.version ?? 0) + 1, at: at, event: event, state: state))
    }

    /// The case as it is now: after its last event.
    public var latest: CaseState { steps.last?.state ?? CaseState(id: id) }

    /// The case as it was at `date`: after the last event at or before it.
    public func state(at date: Date) -> CaseState {
        steps.last { $0.at <= date }?.state ?? CaseState(id: id)
    }

    /// The case before step `index`.
    public func state(before index: Int) -> CaseState {
        index > 0 ? steps[index - 1].state : CaseState(id: id)
    }
}
