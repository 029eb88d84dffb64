import CareJourneyCore
import Foundation
import GRDB

/// What a forecast starts from in a live store: the open cases as they stand and how many contacts came in the
/// last 12 months.
public struct PlanningStart: Sendable {
    /// When the store was read.
    public let asOf: Date
    /// Every open case's current state, in case-number order.
    public let openCases: [CaseState]
    /// Contacts recorded in the 365 days before `asOf` (re-referrals too).
    public let contactsInLastYear: Int

    /// New contacts a week over the last year.
    public var contactsPerWeek: Double { Double(contactsInLastYear) * 7 / 365 }
}

extension CaseStore {
    /// Reads the open cases and the last year's contacts, in one read transaction (a consistent picture).
    ///
    /// - Parameter now: the moment to read as of (the clock's now).
    /// - Throws: `StoreError` when the store cannot be read or a state cannot be rebuilt.
    public func planningStart(asOf now: Date) async throws(StoreError) -> PlanningStart {
        try await readAsync { db in
            let ids = try String.fetchAll(
                db, sql: "SELECT id FROM cases WHERE stage NOT IN ('closed', 'new') ORDER BY number")
            var states: [CaseState] = []
            states.reserveCapacity(ids.count)
            for id in ids {
                if let entry = try self.currentState(of: CaseID(id), in: db) { states.append(entry.state) }
            }
            let contacts =
                try Int.fetchOne(
                    db, sql: "SELECT COUNT(*) FROM events WHERE name = 'contact' AND at > ? AND at <= ?",
                    arguments: [now.timeIntervalSince1970 - 365 * 86_400, now.timeIntervalSince1970]) ?? 0
            return PlanningStart(asOf: now, openCases: states, contactsInLastYear: contacts)
        }
    }
}
