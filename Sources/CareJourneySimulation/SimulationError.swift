/// Why a simulation could not run: a profile that does not add up, or a policy the simulator cannot drive.
///
/// The message says what is wrong, where (the profile's key) and how to put it right.
public struct SimulationError: Error, CustomStringConvertible, Sendable {
    /// What kind of problem it is.
    public enum Code: String, Sendable {
        /// A value in the profile is out of range or the shares of a mix do not add up.
        case invalidProfile = "invalid-profile"
        /// The dates asked for cannot be simulated.
        case invalidPeriod = "invalid-period"
    }

    /// What kind of problem it is.
    public let code: Code
    /// The problem in words: what, where and how to fix it.
    public let message: String

    /// Creates an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
