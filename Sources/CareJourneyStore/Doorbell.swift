import Synchronization

/// Wakes a waiting loop early: `wait` returns when `ring` is called or when its own deadline passes.
final class Doorbell: Sendable {
    private struct State {
        var rung = false
        var released = false
        var waiter: CheckedContinuation<Void, Never>?
    }
    private let state = Mutex(State())

    /// Wakes the waiter, or the next one if none is waiting.
    func ring() {
        let waiter = state.withLock { state in
            if let waiter = state.waiter {
                state.waiter = nil
                return Optional(waiter)
            }
            state.rung = true
            return nil
        }
        waiter?.resume()
    }

    /// Returns after `deadline` returns or the bell rings, whichever is first.
    func wait(orUntil deadline: @escaping @Sendable () async -> Void) async {
        let rung = state.withLock { state in
            state.released = false
            defer { state.rung = false }
            return state.rung
        }
        if rung { return }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await deadline() }
            group.addTask {
                await withCheckedContinuation { continuation in
                    let now = self.state.withLock { state in
                        if state.rung || state.released {
                            state.rung = false
                            return true
                        }
                        state.waiter = continuation
                        return false
                    }
                    if now { continuation.resume() }
                }
            }
            await group.next()
            group.cancelAll()
            let waiter = state.withLock { state in
                state.released = true
                defer { state.waiter = nil }
                return state.waiter
            }
            waiter?.resume()
        }
    }
}
