import CareJourneyClock
import Foundation

/// The engine's queue of submitted commands: any task adds to it; the writer thread takes whole batches,
/// sleeping while it is empty.
///
/// A condition variable rather than an async signal: the writer is a thread of its own (its commits block on
/// `fsync`), and it must wake as soon as work arrives, not wait for a turn in the cooperative pool behind the
/// very tasks that submit.
///
/// Under a steady stream, the writer gathers (`Gathering`): items found already waiting when it comes back from
/// a commit arrived while that commit was written, and more are on their way; taking a handful at once would
/// spend a commit (its statements and its `fsync`) on each handful, and that processor time is taken from the
/// very tasks that submit. An item that finds the writer idle is taken at once: a lone command waits no longer.
final class CommandQueue<Item>: @unchecked Sendable {
    /// How long the writer may wait for a batch to fill when items were already waiting.
    struct Gathering: Sendable {
        /// Gather only when at least this many were waiting: fewer is no stream (a command and a task's note
        /// written beside it, say), and they go at once.
        var from = 1
        /// Take at once when this many are waiting.
        var atLeast: Int
        /// Otherwise wait at most this long for them.
        var within: Duration

        /// The writer's: from 16 waiting, until 256, or 2 ms.
        static var writer: Gathering { Gathering(from: 16, atLeast: 256, within: .milliseconds(2)) }
    }

    // Every stored property is read and written only with `condition` locked.
    private let condition = NSCondition()
    private var items: [Item] = []
    private var accepting = true
    /// While the writer gathers: the count that wakes it.
    private var wakeAt = 1

    /// Adds an item; `false` (and the item is not added) once the queue is closed.
    func add(_ item: Item) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        guard accepting else { return false }
        items.append(item)
        if items.count == wakeAt { condition.signal() }
        return true
    }

    /// Takes up to `limit` items, waiting while there are none; `nil` once the queue is closed and empty. With
    /// `gathering`, when `gathering.from` items or more (but fewer than `gathering.atLeast`) were already waiting as
    /// it was called, it first waits up to `gathering.within` for `atLeast`.
    func take(upTo limit: Int, gathering: Gathering? = nil) -> [Item]? {
        condition.lock()
        defer { condition.unlock() }
        if let gathering, items.count >= max(1, gathering.from), items.count < gathering.atLeast, accepting {
            let deadline = WaitDeadline.after(gathering.within)
            wakeAt = gathering.atLeast
            while items.count < gathering.atLeast && accepting && condition.wait(until: deadline) {}
            wakeAt = 1
        }
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
