/// A first-in, first-out queue that takes from the front in constant time, and gives its memory back as it drains.
struct FIFO<Element> {
    private var items: [Element] = []
    private var head = 0

    var count: Int { items.count - head }
    var isEmpty: Bool { head == items.count }
    var first: Element? { isEmpty ? nil : items[head] }

    mutating func append(_ element: Element) { items.append(element) }

    /// Puts an element back in front (a task offered again goes first).
    mutating func pushFront(_ element: Element) {
        if head > 0 {
            head -= 1
            items[head] = element
        } else {
            items.insert(element, at: 0)
        }
    }

    mutating func popFirst() -> Element? {
        guard head < items.count else { return nil }
        defer {
            head += 1
            compact()
        }
        return items[head]
    }

    /// Removes and returns the first element that matches.
    mutating func removeFirst(where matches: (Element) -> Bool) -> Element? {
        guard let index = items[head...].firstIndex(where: matches) else { return nil }
        defer { compact() }
        return items.remove(at: index)
    }

    private mutating func compact() {
        if head == items.count {
            items = []
            head = 0
        } else if head > 1024 && head * 2 > items.count {
            items.removeFirst(head)
            head = 0
        }
    }
}
