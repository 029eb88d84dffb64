import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A plain TCP connection to a loopback port, for what an HTTP client library will not do: send half a request,
/// trickle bytes, send headers far too large, or read a stream as it comes. One task uses it at a time.
public final class RawConnection: @unchecked Sendable {
    private let socket: Int32

    /// Connects to 127.0.0.1:`port`.
    public init(port: Int) throws {
        socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            close(socket)
            throw POSIXError(.ECONNREFUSED)
        }
    }

    deinit { close(socket) }

    public func send(_ text: String) throws { try send(bytes: Array(text.utf8)) }

    public func send(bytes: [UInt8]) throws {
        let sent = bytes.withUnsafeBytes { Glibc.send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        guard sent == bytes.count else { throw POSIXError(.EPIPE) }
    }

    /// Whether the server has not closed the connection (nothing to read and no end of stream now).
    public var isOpen: Bool {
        var probe = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
        guard poll(&probe, 1, 0) > 0 else { return true }
        var byte: UInt8 = 0
        return recv(socket, &byte, 1, Int32(MSG_PEEK) | Int32(MSG_DONTWAIT)) > 0
    }

    /// Waits until the server closes the connection; whether it did within `limit`.
    public func waitForClose(upTo limit: Duration) -> Bool {
        let deadline = ContinuousClock.now + limit
        var buffer = [UInt8](repeating: 0, count: 4096)
        while ContinuousClock.now < deadline {
            var probe = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
            guard poll(&probe, 1, 50) > 0 else { continue }
            if recv(socket, &buffer, buffer.count, 0) <= 0 { return true }
        }
        return false
    }

    /// Waits until a chunked response's body ends (its last, empty chunk) or the connection closes; whether either
    /// happened within `limit`.
    public func waitForEndOfBody(upTo limit: Duration) -> Bool {
        let deadline = ContinuousClock.now + limit
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        let last = Array("0\r\n\r\n".utf8)
        while ContinuousClock.now < deadline {
            var probe = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
            guard poll(&probe, 1, 50) > 0 else { continue }
            let count = recv(socket, &buffer, buffer.count, 0)
            if count <= 0 { return true }
            received += buffer[0..<count]
            if received.count >= last.count, Array(received.suffix(last.count)) == last { return true }
        }
        return false
    }

    /// What the server sends until it closes the connection or `limit` passes.
    public func read(upTo limit: Duration) -> String {
        String(decoding: receive(upTo: limit, stopWhenQuiet: true) { _ in false }, as: UTF8.self)
    }

    /// What the server sends until it has sent `text` (or closes the connection, or `limit` passes), read on a thread
    /// of its own: the wait blocks none of the cooperative threads the servers under test answer on.
    public func read(until text: String, upTo limit: Duration) async -> String {
        let wanted = Array(text.utf8)
        let received = await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(
                    returning: self.receive(upTo: limit, stopWhenQuiet: false) { received in
                        received.count >= wanted.count
                            && (0...(received.count - wanted.count)).contains {
                                received[$0..<($0 + wanted.count)].elementsEqual(wanted)
                            }
                    })
            }
        }
        return String(decoding: received, as: UTF8.self)
    }

    /// Bytes received until `done` says so of them, the connection closes, `limit` passes, or (`stopWhenQuiet`)
    /// nothing more comes for 50 ms once something has.
    private func receive(upTo limit: Duration, stopWhenQuiet: Bool, done: ([UInt8]) -> Bool) -> [UInt8] {
        let deadline = ContinuousClock.now + limit
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while ContinuousClock.now < deadline {
            var probe = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
            guard poll(&probe, 1, 50) > 0 else {
                if stopWhenQuiet && !received.isEmpty { break }
                continue
            }
            let count = recv(socket, &buffer, buffer.count, 0)
            if count <= 0 { break }
            received += buffer[0..<count]
            if done(received) { break }
        }
        return received
    }
}
