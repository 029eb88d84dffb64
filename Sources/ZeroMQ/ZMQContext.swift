import CZeroMQ

/// A libzmq context: its I/O threads and every socket made from it. Thread-safe.
public final class ZMQContext: @unchecked Sendable {
    let handle: UnsafeMutableRawPointer

    /// A new context with `ioThreads` I/O threads.
    public init(ioThreads: Int32 = 1) {
        // zmq_ctx_new fails only when the process is out of file descriptors or memory.
        guard let handle = zmq_ctx_new() else { fatalError("zmq_ctx_new failed: \(ZMQError("zmq_ctx_new"))") }
        zmq_ctx_set(handle, ZMQ_IO_THREADS, ioThreads)
        self.handle = handle
    }

    deinit {
        zmq_ctx_term(handle)
    }

    /// Whether this libzmq was built with CURVE security.
    public static var hasCurve: Bool { zmq_has("curve") == 1 }

    /// libzmq's version, as `major.minor.patch`.
    public static var version: String {
        var major: Int32 = 0
        var minor: Int32 = 0
        var patch: Int32 = 0
        zmq_version(&major, &minor, &patch)
        return "\(major).\(minor).\(patch)"
    }
}
