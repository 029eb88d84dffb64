import Foundation

/// The broker's queues and workers at one moment: for the dashboard, metrics and tests.
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
    }

    public var queues: [String: Queue]
    public var workers: [Worker]
    public var dropped: [String: Int]

    public static let empty = BrokerSnapshot(queues: [:], workers: [], dropped: [:])
}
