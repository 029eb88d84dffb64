/// The simulation's event order: a binary min-heap of the next instant each case must be woken at.
///
/// An entry names the case's slot and the slot's generation when it was pushed; a case that is woken earlier or
/// freed bumps its generation, so older entries are skipped when they come up (cheaper than removing them).
struct InstantQueue {
    struct Entry {
        var at: Double
        var slot: Int32
        var generation: UInt32

        func precedes(_ other: Entry) -> Bool { at < other.at || (at == other.at && slot < other.slot) }
    }

    private var heap: [Entry] = []

    init(capacity: Int) { heap.reserveCapacity(capacity) }

    var isEmpty: Bool { heap.isEmpty }
    var first: Entry? { heap.first }

    mutating func push(_ entry: Entry) {
        heap.append(entry)
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child].precedes(heap[parent]) else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    mutating func pop() -> Entry? {
        guard let top = heap.first else { return nil }
        let last = heap.removeLast()
        if !heap.isEmpty {
            heap[0] = last
            var parent = 0
            while true {
                let left = 2 * parent + 1
                guard left < heap.count else { break }
                var child = left
                if left + 1 < heap.count && heap[left + 1].precedes(heap[left]) { child = left + 1 }
                guard heap[child].precedes(heap[parent]) else { break }
                heap.swapAt(child, parent)
                parent = child
            }
        }
        return top
    }
}
