import Foundation

/// The engine's queue of submitted commands: any task adds to it; the writer thread takes whole batches,
/// sleeping while it is empty.
///
/// A condition variable rather than an async signal: the writer is a thread of its own (its commits block on
/// `fsync`), and it must wake as soon as work arrives, not wait for a turn in the cooperative pool behind the
/// very tasks that submit.
final class CommandQueue<Item>: @unchecked Sendable {
    // Every stored property is read and written only with `condition` locked.
    private let condition = NSCondition()
    private var items: [Item] = []
    private var accepting = true

    /// Adds an item; `false` (and the item is not added) once the queue is closed.
    func add(_ item: Item) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        guard accepting else { return false }
        items.append(item)
        if items.count == 1 { condition.signal() }
        return true
    }

    /// Takes up to `limit` items, waiting while there are none; `nil` once the queue is closed and empty.
    func take(upTo limit: Int) -> [Item]? {
        condition.lock()
        defer { condition.unlock() }
        while items.isEmpty && accepting { condition.wait() }
        if items.isEmpty { return nil }
        let batch = Array(items.prefix(limit))
        items.removeFirst(batch.count)
        return batch
    }

    /// Takes no more items; those already added are still taken.
    func close() {
        condition.lock()
        defer { condition.unlock() }
        accepting = false
        condition.broadcast()
    }
}
