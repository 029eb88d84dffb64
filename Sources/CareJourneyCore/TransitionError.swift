/// Why an event was not applied to a case. The case is unchanged.
public struct TransitionError: Error, Hashable, Sendable, Codable, CustomStringConvertible {
    /// What went wrong, for code to act on.
    public let code: Code
    /// What went wrong, where, and how to put it right, for people.
    public let message: String
    /// The stage the case was in.
    public let stage: Stage?
    /// The event that was refused.
    public let event: String?
    /// The events the case would have accepted (for `notAccepted`).
    public let accepted: [EventName]
    /// The items still missing (for `guardFailed`, such as sign-off's plan contents).
    public let missing: [String]
    /// The field of the event's data at fault (`weeklyCost`, `councilManaged.services`), for `invalidData`.
    public let field: String?
    /// The underlying error's description, such as a decoding failure.
    public let cause: String?

    /// The kinds of refusal. Extensible: new codes may be added.
    public struct Code: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        /// No event has this name.
        public static let unknownEvent = Code(rawValue: "unknown-event")
        /// The event's data is missing a field, has one of the wrong type, or one it does not know.
        public static let invalidData = Code(rawValue: "invalid-data")
        /// The case's state does not accept this event.
        public static let notAccepted = Code(rawValue: "not-accepted")
        /// The state accepts the event, but a rule refuses it now (plan incomplete, advocate not involved, …).
        public static let guardFailed = Code(rawValue: "guard-failed")
        /// A timer fired that is not pending with that due time (already fired, cancelled or moved).
        public static let staleTimer = Code(rawValue: "stale-timer")
        public var description: String { rawValue }
    }

    /// Creates an error.
    public init(
        _ code: Code, _ message: String, stage: Stage? = nil, event: String? = nil, accepted: [EventName] = [],
        missing: [String] = [], field: String? = nil, cause: String? = nil
    ) {
        self.code = code
        self.message = message
        self.stage = stage
        self.event = event
        self.accepted = accepted
        self.missing = missing
        self.field = field
        self.cause = cause
    }

    public var description: String { "\(code): \(message)" }
}

extension TransitionError.Code {
    /// An event named a task that is not open (already completed, withdrawn, or of another kind).
    public static let staleTask = TransitionError.Code(rawValue: "stale-task")
}
