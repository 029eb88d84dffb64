import Foundation

/// The task broker's queues and workers at one moment: what the dashboard, `/metrics` and tests show of it, without
/// knowing the broker (or ZeroMQ).
public struct BrokerSnapshot: Sendable, Equatable, Codable {
    public struct Queue: Sendable, Equatable, Codable {
        /// Tasks ready for a worker (loaded; more may wait in the store).
        public var waitingTasks: Int
        /// Client requests waiting for a worker.
        public var waitingRequests: Int
        /// Tasks leased to a worker now.
        public var leased: Int
        public var workers: Int
        public var idleWorkers: Int

        public init(waitingTasks: Int, waitingRequests: Int, leased: Int, workers: Int, idleWorkers: Int) {
            self.waitingTasks = waitingTasks
            self.waitingRequests = waitingRequests
            self.leased = leased
            self.workers = workers
            self.idleWorkers = idleWorkers
        }
    }

    public struct Worker: Sendable, Equatable, Codable {
        public var name: String
        public var service: String
        public var protocolVersion: String
        /// The task it holds, if any, and when its lease runs out.
        public var task: String?
        public var leaseExpires: Date?
        /// When the broker last heard from it (a heartbeat or any other message).
        public var lastHeard: Date
        /// When it is taken for dead without a heartbeat.
        public var expires: Date

        public init(
            name: String, service: String, protocolVersion: String, task: String?, leaseExpires: Date?,
            lastHeard: Date, expires: Date
        ) {
            self.name = name
            self.service = service
            self.protocolVersion = protocolVersion
            self.task = task
            self.leaseExpires = leaseExpires
            self.lastHeard = lastHeard
            self.expires = expires
        }
    }

    public var queues: [String: Queue]
    public var workers: [Worker]
    public var dropped: [String: Int]

    public init(queues: [String: Queue], workers: [Worker], dropped: [String: Int]) {
        self.queues = queues
        self.workers = workers
        self.dropped = dropped
    }

    public static let empty = BrokerSnapshot(queues: [:], workers: [], dropped: [:])
}
