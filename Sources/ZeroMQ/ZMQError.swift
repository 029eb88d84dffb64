import CZeroMQ

/// A libzmq call that failed: which call, on what, and libzmq's own reason.
public struct ZMQError: Error, CustomStringConvertible, Sendable {
    /// libzmq's error number (`EAGAIN`, `EHOSTUNREACH`, `ETERM`, …).
    public let code: Int32
    /// What was being done, with the endpoint or option where there is one.
    public let message: String

    /// The error libzmq reports for the call just made.
    init(_ message: String) {
        code = zmq_errno()
        self.message = message
    }

    /// Whether the call would have blocked (a non-blocking send or receive with nothing to do).
    public var wouldBlock: Bool { code == EAGAIN }

    /// Whether the context is being terminated (every socket must close).
    public var isTerminated: Bool { code == ETERM }

    public var description: String { "\(message): \(String(cString: zmq_strerror(code)))" }
}
