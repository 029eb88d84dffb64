/// Why a report could not be made: what, and how to put it right.
public struct ReportError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong, for code to act on.
    public let code: Code
    /// What went wrong and how to put it right, for people.
    public let message: String

    /// The kinds of failure.
    public enum Code: String, Sendable {
        /// A period's day is not a date, or the period runs backwards.
        case invalidPeriod = "invalid-period"
        /// A required option is missing or malformed.
        case invalidOption = "invalid-option"
    }

    /// Creates an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code.rawValue): \(message)" }
}
