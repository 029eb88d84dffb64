import CareJourneyCore
import Foundation

/// Something the engine writes with its next commit that nobody waits for (see `Engine.record`): a note on a
/// task's dispatch, or a person's view of a case.
public enum StoreNote: Sendable, Equatable {
    /// How an attempt at a task ended, or how it is going.
    case task(TaskNote)
    /// `viewer` saw the case at `at`: who has looked at a person's record, for the audit trail.
    case caseViewed(CaseID, viewer: String, at: Date)
}
