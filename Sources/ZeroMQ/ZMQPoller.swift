import CZeroMQ

/// Waits until one of several sockets (or plain file descriptors) can be read.
public struct ZMQPoller {
    private var items: [zmq_pollitem_t] = []

    public init() {}

    /// Watches `socket` for messages; returns its index in `wait`'s answer.
    @discardableResult
    public mutating func add(_ socket: ZMQSocket) -> Int {
        items.append(zmq_pollitem_t(socket: socket.handle, fd: -1, events: Int16(ZMQ_POLLIN), revents: 0))
        return items.count - 1
    }

    /// Watches a ZAP handler for requests; returns its index in `wait`'s answer.
    @discardableResult
    public mutating func add(_ handler: ZAPHandler) -> Int {
        add(handler.socket)
    }

    /// Watches a file descriptor (a wake-up pipe) for input.
    @discardableResult
    public mutating func add(fileDescriptor: Int32) -> Int {
        items.append(zmq_pollitem_t(socket: nil, fd: fileDescriptor, events: Int16(ZMQ_POLLIN), revents: 0))
        return items.count - 1
    }

    /// Waits up to `milliseconds` (-1: forever) and returns which items can be read.
    public mutating func wait(milliseconds: Int) throws(ZMQError) -> [Bool] {
        let count = Int32(items.count)
        let result = items.withUnsafeMutableBufferPointer { zmq_poll($0.baseAddress, count, milliseconds) }
        if result < 0 {
            if zmq_errno() == EINTR { return Array(repeating: false, count: items.count) }
            throw ZMQError("zmq_poll")
        }
        return items.map { $0.revents & Int16(ZMQ_POLLIN) != 0 }
    }
}
