import CareJourneyWire
import Logging
import ServiceLifecycle
import ZeroMQ

/// A worker for CareJourney's task queues: it reads each request as a `TaskRequest` and answers with a
/// `TaskReply`, so a handler deals only in tasks and outcomes.
public final class TaskWorker: Service, Sendable {
    private let worker: MDPWorker

    /// A worker for `options.service`. `handle` gets the task and a way to report progress.
    public convenience init(
        options: WorkerOptions, context: ZMQContext = ZMQContext(),
        logger: Logger = Logger(label: "carejourney.worker"),
        handle: @escaping @Sendable (TaskRequest, _ progress: @Sendable (String) -> Void) async -> TaskOutcome
    ) {
        self.init(
            options: options, context: context, logger: logger,
            handler: .async { request in
                guard let task = Self.task(in: request, logger: logger) else { return Self.notATask }
                return Self.reply(to: task, await handle(task) { request.progress(Self.progress($0, task)) })
            })
    }

    /// A worker for `options.service` whose `answer` runs on the worker's socket thread: for quick work that never
    /// blocks (no hop through the cooperative pool for each task).
    public convenience init(
        options: WorkerOptions, context: ZMQContext = ZMQContext(),
        logger: Logger = Logger(label: "carejourney.worker"),
        answer: @escaping @Sendable (TaskRequest, _ progress: @Sendable (String) -> Void) -> TaskOutcome
    ) {
        self.init(
            options: options, context: context, logger: logger,
            handler: .onSocketThread { request in
                guard let task = Self.task(in: request, logger: logger) else { return Self.notATask }
                return Self.reply(to: task, answer(task) { request.progress(Self.progress($0, task)) })
            })
    }

    private init(options: WorkerOptions, context: ZMQContext, logger: Logger, handler: MDPWorker.Handler) {
        worker = MDPWorker(options: options, context: context, logger: logger, answering: handler)
    }

    private static func task(in request: WorkerRequest, logger: Logger) -> TaskRequest? {
        guard let body = request.body.first, let task = try? TaskRequest.decode(body) else {
            logger.warning("a request that is not a CareJourney task: answered with an error")
            return nil
        }
        return task
    }

    private static let notATask = [TaskReply(task: "", error: "not a CareJourney task request", retry: false).encoded()]

    private static func progress(_ note: String, _ task: TaskRequest) -> [[UInt8]] {
        [TaskReply(task: task.task, progress: note).encoded()]
    }

    private static func reply(to task: TaskRequest, _ outcome: TaskOutcome) -> [[UInt8]] {
        [outcome.reply(to: task).encoded()]
    }

    /// Requests and replies so far.
    public var statistics: MDPWorker.Statistics { worker.statistics }

    public func run() async throws { try await worker.run() }

    /// Finishes the task in hand, says DISCONNECT and stops.
    public func stop() { worker.stop() }
}
