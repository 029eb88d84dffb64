import CareJourneyCore
import Foundation

/// What became of a command, as the store keeps it for the command's idempotency key and gives it back to a retry:
/// enough for the caller to answer the retry as it answered the first time, in its own terms (the API renders it as
/// HTTP; the store knows nothing of HTTP). Written in the same transaction as the command's event.
public enum RecordedOutcome: Codable, Sendable, Equatable {
    /// The event was accepted and committed.
    case applied(Applied)
    /// The case refused the event; nothing changed.
    case rejected(TransitionError, caseID: CaseID?)
    /// No case has this id.
    case notFound(CaseID)
    /// An answer kept by a version before schema v13, which kept the API's answer itself: its HTTP status and body,
    /// given back as they were.
    case earlier(status: Int, body: Data)

    /// An accepted event: where it went and what it did.
    public struct Applied: Codable, Sendable, Equatable {
        public let caseID: CaseID
        /// The case's version after it.
        public let version: Int
        public let event: EventName
        /// The stages before and after it.
        public let from: Stage
        public let to: Stage
        public let effects: [Effect]
        /// Cases it opened (a carer's case).
        public let opened: [CaseID]
    }

    /// The outcome of a command as it is kept.
    public init(_ outcome: CommandOutcome) {
        switch outcome {
        case .applied(let committed):
            self = .applied(
                Applied(
                    caseID: committed.state.id, version: committed.version, event: committed.event.name,
                    from: committed.from, to: committed.state.stage, effects: committed.effects,
                    opened: committed.opened))
        case .rejected(let error, let id): self = .rejected(error, caseID: id)
        case .notFound(let id): self = .notFound(id)
        }
    }
}
