import CZeroMQ
import Foundation

/// One libzmq socket. Not thread-safe: it may be handed to the thread that owns it (libzmq allows a socket to
/// move between threads), but never used from two threads at once.
public final class ZMQSocket: @unchecked Sendable {
    /// The socket types used here.
    public enum Kind: Int32, Sendable {
        case router, dealer, pub, sub, req, rep, push, pull, pair

        var value: Int32 {
            switch self {
            case .router: ZMQ_ROUTER
            case .dealer: ZMQ_DEALER
            case .pub: ZMQ_PUB
            case .sub: ZMQ_SUB
            case .req: ZMQ_REQ
            case .rep: ZMQ_REP
            case .push: ZMQ_PUSH
            case .pull: ZMQ_PULL
            case .pair: ZMQ_PAIR
            }
        }
    }

    let handle: UnsafeMutableRawPointer
    private var closed = false
    /// The descriptor libzmq signals when commands come for the socket (`ZMQ_FD`): a message, a peer gone.
    let descriptor: Int32
    /// Whether a message may wait that the descriptor no longer signals: libzmq signals commands, not messages, and
    /// any use of the socket may take the command that said a message came. True after any use but a receive that
    /// found nothing, and after `hasInput` says so; `ZMQPoller` asks `hasInput` only of such sockets.
    var mayHoldInput = true
    /// The context, kept alive while the socket is open.
    private let context: ZMQContext

    /// A new socket of `kind`; it lingers for no time on close (unsent messages are dropped, never waited for).
    public init(_ context: ZMQContext, _ kind: Kind) throws(ZMQError) {
        guard let handle = zmq_socket(context.handle, kind.value) else { throw ZMQError("zmq_socket") }
        self.handle = handle
        self.context = context
        var descriptor: Int32 = -1
        var size = MemoryLayout<Int32>.size
        guard zmq_getsockopt(handle, ZMQ_FD, &descriptor, &size) == 0 else {
            let error = ZMQError("zmq_getsockopt(ZMQ_FD)")
            zmq_close(handle)
            throw error
        }
        self.descriptor = descriptor
        try set(ZMQ_LINGER, Int32(0))
    }

    /// Whether a message can be received now (`ZMQ_EVENTS`), taking the commands that came for the socket.
    func hasInput() throws(ZMQError) -> Bool {
        var events: UInt32 = 0
        var size = MemoryLayout<UInt32>.size
        guard zmq_getsockopt(handle, ZMQ_EVENTS, &events, &size) == 0 else {
            throw ZMQError("zmq_getsockopt(ZMQ_EVENTS)")
        }
        mayHoldInput = events & UInt32(ZMQ_POLLIN) != 0
        return mayHoldInput
    }

    deinit { close() }

    /// Closes the socket (again is harmless).
    public func close() {
        guard !closed else { return }
        closed = true
        zmq_close(handle)
    }

    /// Closes the socket, giving what it has queued (a farewell) up to `milliseconds` to leave in the background:
    /// a socket otherwise drops it (it lingers for no time).
    public func close(lingering milliseconds: Int32) {
        guard !closed else { return }
        try? set(ZMQ_LINGER, milliseconds)
        close()
    }

    public func bind(_ endpoint: String) throws(ZMQError) {
        mayHoldInput = true
        guard zmq_bind(handle, endpoint) == 0 else { throw ZMQError("cannot bind \(endpoint)") }
    }

    public func connect(_ endpoint: String) throws(ZMQError) {
        mayHoldInput = true
        guard zmq_connect(handle, endpoint) == 0 else { throw ZMQError("cannot connect to \(endpoint)") }
    }

    /// The endpoint actually bound (with the port chosen for `tcp://host:*` or `:0`).
    public var lastEndpoint: String {
        var buffer = [CChar](repeating: 0, count: 256)
        var size = buffer.count
        zmq_getsockopt(handle, ZMQ_LAST_ENDPOINT, &buffer, &size)
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Sends one message of several frames. With `dontWait`, throws an error that `wouldBlock` when it cannot
    /// be queued now; a ROUTER with `.routerMandatory` throws `EHOSTUNREACH` for an unknown peer.
    public func send(_ frames: [[UInt8]], dontWait: Bool = false) throws(ZMQError) {
        mayHoldInput = true
        for (index, frame) in frames.enumerated() {
            var flags: Int32 = dontWait ? ZMQ_DONTWAIT : 0
            if index < frames.count - 1 { flags |= ZMQ_SNDMORE }
            let sent = frame.withUnsafeBytes { zmq_send(handle, $0.baseAddress, $0.count, flags) }
            guard sent >= 0 else { throw ZMQError("cannot send") }
        }
    }

    /// A message as received: its frames, and the peer's authenticated user id (from ZAP) when there is one.
    public struct Message {
        public var frames: [[UInt8]]
        public var userID: String?
        /// Bytes in all frames.
        public var size: Int
        /// More than `limit` bytes arrived: the frames were dropped (only their count and size are known).
        public var oversized: Bool
    }

    /// Receives one whole message. Returns `nil` when nothing is waiting and `dontWait` is set. Frames beyond
    /// `limit` bytes in all are read and dropped, so the message is consumed whole and marked `oversized`.
    public func receive(dontWait: Bool = false, limit: Int = .max) throws(ZMQError) -> Message? {
        mayHoldInput = true
        var message = Message(frames: [], userID: nil, size: 0, oversized: false)
        // An MDP message through a ROUTER has up to 7 frames: room for them at once, not grown frame by frame.
        message.frames.reserveCapacity(8)
        var part = zmq_msg_t()
        zmq_msg_init(&part)
        defer { zmq_msg_close(&part) }
        var first = true
        while true {
            let received = zmq_msg_recv(&part, handle, first && dontWait ? ZMQ_DONTWAIT : 0)
            if received < 0 {
                // Nothing waits, and libzmq took the commands that came while finding so: the descriptor signals
                // the next message.
                if first && zmq_errno() == EAGAIN {
                    mayHoldInput = false
                    return nil
                }
                throw ZMQError("cannot receive")
            }
            // A ROUTER's identity frame carries no metadata: the user id is read from the first frame that has it.
            if message.userID == nil, let user = zmq_msg_gets(&part, "User-Id") {
                message.userID = String(cString: user)
            }
            first = false
            let size = zmq_msg_size(&part)
            message.size += size
            if message.size > limit {
                message.oversized = true
                message.frames = []
            } else if size > 0 {
                let bytes = zmq_msg_data(&part).assumingMemoryBound(to: UInt8.self)
                message.frames.append(Array(UnsafeBufferPointer(start: bytes, count: size)))
            } else {
                message.frames.append([])
            }
            if zmq_msg_more(&part) == 0 { return message }
        }
    }
}
