import CareJourneyCore
import Foundation

/// A request to change a case: an event, who sends it, when and why. (An API request's idempotency key goes beside
/// it: `Engine.submit(_:key:)`.)
public struct Command: Sendable {
    /// The case, or `nil` to open a new case (the event must then be `contact`).
    public var caseID: CaseID?
    /// What happened.
    public let event: Event
    /// The event's data as the store writes it, encoded when the command is made, by the caller's task, so the
    /// single writer does not spend its time encoding.
    package let eventData: String
    /// Who did it (a user, a worker, `timer`, `policy`).
    public var actor: String
    /// Why, for the audit trail.
    public var reason: String?
    /// When it happened, from the engine's clock.
    public var at: Date
    /// How late a timer fired, in seconds, when it was late.
    public var late: TimeInterval?
    /// For a worker's reply: the task it answers and which attempt it is, written on the task as it is resolved.
    public var answers: Answer?

    /// The task a worker's reply answers, and the attempt that answered it.
    public struct Answer: Sendable {
        public let task: String
        public let attempt: Int
        public init(task: String, attempt: Int) {
            self.task = task
            self.attempt = attempt
        }
    }

    /// Creates a command. `eventData` is the event's data as JSON text when the caller already has it (the text
    /// the event was read from); otherwise it is encoded here.
    public init(
        caseID: CaseID?, event: Event, eventData: String? = nil, actor: String, reason: String? = nil, at: Date,
        late: TimeInterval? = nil, answers: Answer? = nil
    ) {
        self.caseID = caseID
        self.event = event
        self.eventData = eventData ?? StateCodec.eventData(event)
        self.actor = actor
        self.reason = reason
        self.at = at
        self.late = late
        self.answers = answers
    }
}

extension Command {
    /// The command as the engine writes it: its time in whole seconds. Event data carries times as ISO 8601 text,
    /// which must read back to exactly the times the state holds (a timer fire names its due time), so no time the
    /// engine writes has a fraction of a second.
    package var inWholeSeconds: Command {
        var command = self
        command.at = Date(timeIntervalSince1970: at.timeIntervalSince1970.rounded(.down))
        return command
    }
}

/// What became of a command.
public enum CommandOutcome: Sendable {
    /// The event was accepted and committed.
    case applied(CommittedEvent)
    /// The case refused the event; nothing changed.
    case rejected(TransitionError, CaseID?)
    /// No case has this id.
    case notFound(CaseID)
}

extension CommandOutcome {
    /// The case the command was for, or opened.
    var caseID: CaseID? {
        switch self {
        case .applied(let event): event.state.id
        case .rejected(_, let id): id
        case .notFound(let id): id
        }
    }
}

/// An event as committed: where it went and what it did. A class, so that handing it to the command's caller
/// and to every observer shares one copy of the case's state.
public final class CommittedEvent: Sendable {
    /// The event's place in the whole history.
    public let seq: Int64
    /// The case's version after it (its number of events).
    public let version: Int
    /// The case's state after it.
    public let state: CaseState
    /// The stage before it.
    public let from: Stage
    /// The event.
    public let event: Event
    /// The event's data as stored: JSON text.
    public let data: String
    /// Who sent it, and why (for the audit trail).
    public let actor: String
    public let reason: String?
    /// Its effects.
    public let effects: [Effect]
    /// When it happened.
    public let at: Date
    /// Cases it opened (a carer's case), committed in the same transaction.
    public let opened: [CaseID]
    /// Whether another node of a store shared by several committed it (read from the nodes' feed, replayed here):
    /// its tasks are that node's to hand out, its events this node's to show and publish.
    public let fromAnotherNode: Bool

    package init(
        seq: Int64, version: Int, state: CaseState, from: Stage, event: Event, data: String, actor: String,
        reason: String?, effects: [Effect], at: Date, opened: [CaseID], fromAnotherNode: Bool = false
    ) {
        self.seq = seq
        self.version = version
        self.state = state
        self.from = from
        self.event = event
        self.data = data
        self.actor = actor
        self.reason = reason
        self.effects = effects
        self.at = at
        self.opened = opened
        self.fromAnotherNode = fromAnotherNode
    }
}

/// A client's key for a request (the API's `Idempotency-Key`), and what the request was: a retry with the same key
/// and request is answered with the first outcome and changes nothing; the same key with another request is refused.
public struct IdempotencyKey: Sendable, Hashable {
    public let key: String
    /// What the request was (its method, path and body, canonically): a key reused for a different one is caught.
    public let fingerprint: String

    public init(_ key: String, fingerprint: String) {
        self.key = key
        self.fingerprint = fingerprint
    }
}

/// What `Engine.submit(_:key:)` returns.
public enum CommandResult: Sendable {
    /// The command was carried out now.
    case done(CommandOutcome)
    /// A command with this key was carried out before; this is its outcome, and nothing changed now.
    case replayed(RecordedOutcome)
    /// The key was used before for a different request; nothing changed.
    case keyReused
}
