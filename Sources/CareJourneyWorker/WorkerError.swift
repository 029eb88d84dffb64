/// Why a worker cannot serve — a command line it cannot run, or options with no broker — in words that say what
/// is wrong and how to put it right.
public struct WorkerError: Error, CustomStringConvertible, Sendable {
    /// What kind of problem it is.
    public enum Code: String, Sendable {
        /// The command line cannot be run (an unknown flag, a flag without its value, a key given on it).
        case usage
        /// `WorkerOptions.brokers` is empty: there is no broker to connect to.
        case noBroker
    }

    public let code: Code
    /// What is wrong, where, and how to put it right.
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }

    /// The worker for `service` was given no broker.
    static func noBroker(service: String) -> WorkerError {
        WorkerError(
            .noBroker,
            "the worker for '\(service)' has no broker to connect to: give WorkerOptions.brokers at least one "
                + "endpoint (tcp://HOST:PORT), or --broker on the command line")
    }
}
