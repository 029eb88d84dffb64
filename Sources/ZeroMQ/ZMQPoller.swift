import CZeroMQ
import Glibc

/// Waits until one of several sockets (or plain file descriptors) can be read. Made once for a set of sockets and
/// waited on again and again (its `epoll` set is kept); make a new one when the set changes.
///
/// Not through `zmq_poll`: for each socket it asks libzmq twice a call whether a message waits (`ZMQ_EVENTS`), and
/// each asking costs two system calls when nothing does (a `getpid` for libzmq's fork check and a `poll` of the
/// socket's command pipe) — for a worker thread of eight connections, most of its processor time went there. A
/// socket's descriptor (`ZMQ_FD`) says only that commands came (edge-triggered, not level), so this asks
/// `ZMQ_EVENTS` only of the sockets whose descriptor was signalled and of those used since they were last found empty
/// (`ZMQSocket.mayHoldInput`: a send or a receive can take the command that said a message came), then waits on
/// every descriptor at once. With `epoll`, not `poll`: the kernel keeps the set, so a wait costs it the descriptors
/// that are ready, not a look at (and a wait queue on) every one of them.
public final class ZMQPoller {
    /// Each item's socket, or nil for a plain file descriptor.
    private var sockets: [ZMQSocket?] = []
    private let epoll: Int32
    /// Room for what one wait reports: one for each item, and at least one (`epoll_wait` refuses none).
    private var events = [epoll_event()]
    private var ready: [Bool] = []

    /// An empty poller.
    ///
    /// - Throws: `ZMQError` when the kernel refuses an `epoll` set (out of descriptors).
    public init() throws(ZMQError) {
        epoll = epoll_create1(Int32(EPOLL_CLOEXEC))
        guard epoll >= 0 else { throw ZMQError("epoll_create1") }
    }

    deinit { close(epoll) }

    /// Watches `socket` for messages; returns its index in `wait`'s answer.
    @discardableResult
    public func add(_ socket: ZMQSocket) throws(ZMQError) -> Int {
        try append(socket.descriptor, socket)
    }

    /// Watches a ZAP handler for requests; returns its index in `wait`'s answer.
    @discardableResult
    public func add(_ handler: ZAPHandler) throws(ZMQError) -> Int {
        try add(handler.socket)
    }

    /// Watches a file descriptor (a wake-up pipe) for input.
    @discardableResult
    public func add(fileDescriptor: Int32) throws(ZMQError) -> Int {
        try append(fileDescriptor, nil)
    }

    private func append(_ descriptor: Int32, _ socket: ZMQSocket?) throws(ZMQError) -> Int {
        var event = epoll_event()
        event.events = EPOLLIN.rawValue
        event.data.u64 = UInt64(sockets.count)
        guard epoll_ctl(epoll, EPOLL_CTL_ADD, descriptor, &event) == 0 else { throw ZMQError("epoll_ctl") }
        sockets.append(socket)
        if sockets.count > events.count { events.append(epoll_event()) }
        ready.append(false)
        return sockets.count - 1
    }

    /// Waits up to `milliseconds` (-1: forever) and returns which items can be read, by the index `add` gave them.
    public func wait(milliseconds: Int) throws(ZMQError) -> [Bool] {
        for index in ready.indices { ready[index] = false }
        var found = false
        for (index, socket) in sockets.enumerated() {
            guard let socket, socket.mayHoldInput else { continue }
            if try socket.hasInput() {
                ready[index] = true
                found = true
            }
        }
        let timeout = found ? 0 : Int32(clamping: milliseconds)
        let count = events.withUnsafeMutableBufferPointer {
            epoll_wait(epoll, $0.baseAddress, Int32($0.count), timeout)
        }
        if count < 0 {
            if errno == EINTR { return ready }
            throw ZMQError("epoll_wait")
        }
        for event in events.prefix(Int(count)) {
            let index = Int(event.data.u64)
            guard !ready[index] else { continue }
            if let socket = sockets[index] {
                // The descriptor says commands came: libzmq takes them while answering whether a message waits.
                ready[index] = try socket.hasInput()
            } else {
                ready[index] = true
            }
        }
        return ready
    }
}
