import CareJourneyWorker
import Foundation
import Logging
import Synchronization

/// In-process MDP workers of the worker SDK serving the `safeguarding` queue, answering every task at once
/// ("no enquiry"): the tasks benchmarks' workers.
final class WorkerPool: Sendable {
    private let endpoints: [String]
    private let running = Mutex<[(TaskWorker, Task<Void, any Error>)]>([])

    /// Workers of the brokers at `endpoints` (every node's, as a worker of several nodes is given them).
    init(endpoints: [String]) {
        self.endpoints = endpoints
    }

    /// Starts `count` MDP workers, `slots` to a thread (each thread a `TaskWorker` with its own libzmq context). The
    /// SDK starts slot `i` on endpoint `i` modulo their number; each thread's list starts one endpoint further on,
    /// as the cluster drill's workers do, so that the slots spread over every node.
    func start(_ count: Int, slots: Int) {
        var remaining = count
        var thread = 0
        while remaining > 0 {
            let mine = min(slots, remaining)
            remaining -= mine
            let first = thread % endpoints.count
            thread += 1
            let worker = TaskWorker(
                options: WorkerOptions(
                    brokers: Array(endpoints[first...] + endpoints[..<first]), service: "safeguarding", slots: mine),
                logger: Logger(label: "bench.worker"),
                // Answered on each worker's socket thread: the work is instant.
                answer: { _, _ in .done(["enquiry": false]) })
            let serving = Task { try await worker.run() }
            running.withLock { $0.append((worker, serving)) }
        }
    }

    /// Stops every worker started and waits for each to end.
    func stop() async {
        let started = running.withLock { workers in
            defer { workers = [] }
            return workers
        }
        for (worker, serving) in started {
            worker.stop()
            try? await serving.value
        }
    }
}
