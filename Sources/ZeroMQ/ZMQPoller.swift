import CZeroMQ
import Glibc

/// Waits until one of several sockets (or plain file descriptors) can be read.
///
/// Not through `zmq_poll`: for each socket it asks libzmq twice a call whether a message waits (`ZMQ_EVENTS`), and
/// each asking costs two system calls when nothing does (a `getpid` for libzmq's fork check and a `poll` of the
/// socket's command pipe) — for a worker thread of eight connections, most of its processor time went there. A
/// socket's descriptor (`ZMQ_FD`) says only that commands came (edge-triggered, not level), so this asks
/// `ZMQ_EVENTS` only of the sockets whose descriptor was signalled and of those used since they were last found empty
/// (`ZMQSocket.mayHoldInput`: a send or a receive can take the command that said a message came), then polls every
/// descriptor at once.
public struct ZMQPoller {
    /// Each item's socket, or nil for a plain file descriptor.
    private var sockets: [ZMQSocket?] = []
    private var descriptors: [pollfd] = []

    public init() {}

    /// Watches `socket` for messages; returns its index in `wait`'s answer.
    @discardableResult
    public mutating func add(_ socket: ZMQSocket) -> Int {
        append(socket.descriptor, socket)
    }

    /// Watches a ZAP handler for requests; returns its index in `wait`'s answer.
    @discardableResult
    public mutating func add(_ handler: ZAPHandler) -> Int {
        add(handler.socket)
    }

    /// Watches a file descriptor (a wake-up pipe) for input.
    @discardableResult
    public mutating func add(fileDescriptor: Int32) -> Int {
        append(fileDescriptor, nil)
    }

    private mutating func append(_ descriptor: Int32, _ socket: ZMQSocket?) -> Int {
        sockets.append(socket)
        descriptors.append(pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0))
        return sockets.count - 1
    }

    /// Waits up to `milliseconds` (-1: forever) and returns which items can be read.
    public mutating func wait(milliseconds: Int) throws(ZMQError) -> [Bool] {
        var ready = [Bool](repeating: false, count: sockets.count)
        var found = false
        for (index, socket) in sockets.enumerated() {
            guard let socket, socket.mayHoldInput else { continue }
            if try socket.hasInput() {
                ready[index] = true
                found = true
            }
        }
        let count = nfds_t(descriptors.count)
        let timeout = found ? 0 : Int32(clamping: milliseconds)
        let result = descriptors.withUnsafeMutableBufferPointer { Glibc.poll($0.baseAddress, count, timeout) }
        if result < 0 {
            if errno == EINTR { return ready }
            throw ZMQError("poll")
        }
        guard result > 0 else { return ready }
        for index in descriptors.indices where descriptors[index].revents != 0 && !ready[index] {
            if let socket = sockets[index] {
                // The descriptor says commands came: libzmq takes them while answering whether a message waits.
                ready[index] = try socket.hasInput()
            } else {
                ready[index] = descriptors[index].revents & Int16(POLLIN) != 0
            }
        }
        return ready
    }
}
