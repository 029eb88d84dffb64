import CareJourneyCore
import Foundation
import GRDB

/// A review that satisfied the review cycle: the first formal (6–8-week) review or a planned (12-month) one, and
/// whether it was done by its due date. The dashboard's on-time rates are read from these rows.
///
/// The rows are a projection like the `cases` columns: worked out by the writer from each transition (the case
/// before and after it), in the same transaction as the event.
public struct ReviewRecord: Codable, Sendable, Equatable {
    /// Which due review it satisfied: `first-formal` or `planned`.
    public let type: ReviewType
    public let completedAt: Date
    /// When it was due, where the case knew.
    public let due: Date?
    /// Done by its due date (before the due timer fired).
    public let onTime: Bool

    /// The review a transition completed, if it satisfied the cycle.
    package init?(from old: CaseState, to new: CaseState, at now: Date) {
        guard let completed = new.reviews.lastFormalCompletedAt, completed != old.reviews.lastFormalCompletedAt
        else { return nil }
        type = old.reviews.formalReviewDone ? .planned : .firstFormal
        let dueTimer: TimerName = type == .planned ? .reviewPlannedDue : .reviewFirstFormalDue
        due = old.timers[dueTimer] ?? old.reviews.overdue?.due
        onTime = old.reviews.overdue == nil
        completedAt = now
    }

    /// Writes the row for a case.
    func write(for id: CaseID, in db: Database) throws {
        try db.cachedStatement(
            sql: "INSERT INTO reviews_done (case_id, type, completed_at, due, on_time) VALUES (?, ?, ?, ?, ?)"
        ).run(id.rawValue, type.rawValue, completedAt.timeIntervalSince1970, due?.timeIntervalSince1970, onTime)
    }
}
