import CareJourneyCore
import CareJourneyStore
import Foundation
import Synchronization

/// When the outcome of each task a tasks benchmark waits for is committed (a safeguarding decision, the reply of the
/// safeguarding queue's workers), as the engines watched announce their commits: on several nodes, whichever node's
/// broker the reply came through.
final class TaskOutcomes: Sendable {
    private let state = Mutex(State())

    private struct State {
        var waiting: Set<CaseID> = []
        var done: [CaseID: ContinuousClock.Instant] = [:]
        var whenAllDone: CheckedContinuation<Void, Never>?
    }

    /// Watches the commits of `engines`.
    init(watching engines: [Engine]) {
        for engine in engines {
            engine.observe { [self] events in
                let now = ContinuousClock.now
                let resume = state.withLock { state -> CheckedContinuation<Void, Never>? in
                    for event in events where event.event.name == .s42Decision {
                        state.done[event.state.id] = now
                        state.waiting.remove(event.state.id)
                    }
                    guard state.waiting.isEmpty, let waiter = state.whenAllDone else { return nil }
                    state.whenAllDone = nil
                    return waiter
                }
                resume?.resume()
            }
        }
    }

    /// Waits for the outcomes of the cases in `ids` from now on.
    func expect(_ ids: some Sequence<CaseID>) {
        state.withLock { $0.waiting = Set(ids) }
    }

    /// Returns once the outcome of every case expected is committed.
    func allDone() async {
        await withCheckedContinuation { continuation in
            let now = state.withLock { state in
                if state.waiting.isEmpty { return true }
                state.whenAllDone = continuation
                return false
            }
            if now { continuation.resume() }
        }
    }

    /// When the outcome of `id` was committed, if it was.
    func committed(_ id: CaseID) -> ContinuousClock.Instant? {
        state.withLock { $0.done[id] }
    }

    /// Seconds from `start` until the outcome of every case in `ids` is committed.
    func time(_ ids: [CaseID], start: () async throws -> Void) async throws -> Double {
        expect(ids)
        let began = ContinuousClock.now
        try await start()
        await allDone()
        return elapsed(since: began)
    }
}
