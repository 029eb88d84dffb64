import CareJourneyStore
import Dispatch
import Synchronization

/// Runs async work from a thread of its own (the engine's writer thread, a tool's thread), never from a task: the
/// work runs as a task on the cooperative pool while the calling thread waits on a semaphore, so a pool thread is
/// never the one blocked.
enum ThreadWait {
    /// Runs `body` as a task and waits for its outcome on this thread. While it waits, `watch` is called four times
    /// a second: what it throws is the outcome (the task is left to end on its own).
    ///
    /// - Throws: what `body` or `watch` throws.
    static func outcome<T: Sendable>(
        of body: @escaping @Sendable () async throws(StoreError) -> T,
        watch: () throws(StoreError) -> Void = {}
    ) throws(StoreError) -> T {
        let done = DispatchSemaphore(value: 0)
        let result = Mutex<Result<T, StoreError>?>(nil)
        Task {
            let outcome: Result<T, StoreError>
            do throws(StoreError) {
                outcome = .success(try await body())
            } catch {
                outcome = .failure(error)
            }
            result.withLock { $0 = outcome }
            done.signal()
        }
        while done.wait(timeout: .now() + .milliseconds(250)) == .timedOut { try watch() }
        return try result.withLock { $0! }.get()
    }
}
