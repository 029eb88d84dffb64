import CareJourneyBroker
import CareJourneyWire
import CareJourneyWorker
import Logging
import ServiceLifecycle
import ZeroMQ

/// A worker served inside the service's process (the demo's example workers): the queue it serves, how many tasks
/// at once, and its answer.
public struct InProcessWorker: Sendable {
    /// The queue (MDP service) served.
    public var service: String
    /// Tasks answered at once.
    public var slots: Int
    /// The answer to a task; `progress` reports how it is going.
    public var answer: @Sendable (TaskRequest, _ progress: @Sendable (String) -> Void) async -> TaskOutcome

    /// Creates a worker for `service`.
    public init(
        service: String, slots: Int = 1,
        answer: @escaping @Sendable (TaskRequest, _ progress: @Sendable (String) -> Void) async -> TaskOutcome
    ) {
        self.service = service
        self.slots = slots
        self.answer = answer
    }
}

/// The in-process workers as one service: they connect to the broker once it listens, over MDP like any other
/// worker, and on graceful shutdown finish the tasks in hand and say DISCONNECT.
final class InProcessWorkers: Service, Sendable {
    private let broker: Broker
    private let workers: [InProcessWorker]
    private let logger: Logger

    init(broker: Broker, workers: [InProcessWorker], logger: Logger) {
        self.broker = broker
        self.workers = workers
        self.logger = logger
    }

    func run() async throws {
        guard let endpoint = await broker.boundEndpoints()?.mdp else { return }
        let context = ZMQContext()
        let logger = self.logger
        try await withThrowingDiscardingTaskGroup { group in
            for worker in workers {
                let served = TaskWorker(
                    options: WorkerOptions(brokers: [endpoint], service: worker.service, slots: worker.slots),
                    context: context, logger: logger, handle: worker.answer)
                group.addTask { try await served.run() }
            }
            logger.info(
                "in-process workers started", metadata: ["broker": "\(endpoint)", "workers": "\(workers.count)"])
        }
    }
}
