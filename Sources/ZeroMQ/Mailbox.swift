import Foundation
import Synchronization

/// Hands items from any thread to a socket thread: `post` queues an item and wakes the thread, whose poller
/// watches `fileDescriptor`; the thread then takes everything with `drain`.
///
/// A pipe, not an inproc socket, so that any thread can post without a socket of its own.
public final class Mailbox<Item: Sendable>: Sendable {
    private let items = Mutex<[Item]>([])
    private let pipe: (read: Int32, write: Int32)

    public init() {
        var fds: [Int32] = [0, 0]
        // A pipe fails only when the process is out of file descriptors.
        guard Glibc.pipe(&fds) == 0 else { fatalError("pipe failed: errno \(errno)") }
        _ = fcntl(fds[0], F_SETFL, fcntl(fds[0], F_GETFL) | O_NONBLOCK)
        _ = fcntl(fds[1], F_SETFL, fcntl(fds[1], F_GETFL) | O_NONBLOCK)
        pipe = (fds[0], fds[1])
    }

    deinit {
        Glibc.close(pipe.read)
        Glibc.close(pipe.write)
    }

    /// What the socket thread's poller watches.
    public var fileDescriptor: Int32 { pipe.read }

    /// Queues an item and wakes the socket thread.
    public func post(_ item: Item) {
        let wasEmpty = items.withLock { items in
            items.append(item)
            return items.count == 1
        }
        if wasEmpty {
            var byte: UInt8 = 1
            _ = Glibc.write(pipe.write, &byte, 1)
        }
    }

    /// Whether an item is queued: a look without the system call of `drain`, for a thread that was not woken for it.
    public var isEmpty: Bool { items.withLock { $0.isEmpty } }

    /// Takes every queued item (on the socket thread).
    public func drain() -> [Item] {
        var buffer = [UInt8](repeating: 0, count: 64)
        while Glibc.read(pipe.read, &buffer, buffer.count) > 0 {}
        return items.withLock { items in
            defer { items.removeAll(keepingCapacity: true) }
            return items
        }
    }
}
