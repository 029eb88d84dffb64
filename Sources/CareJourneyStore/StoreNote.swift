import CareJourneyCore
import Foundation

/// Something the engine writes with its next commit that nobody waits for (see `Engine.record`): a note on a
/// task's dispatch. (Reads of personal data are waited for: `Engine.recordRead`.)
public enum StoreNote: Sendable, Equatable {
    /// How an attempt at a task ended, or how it is going.
    case task(TaskNote)
}
