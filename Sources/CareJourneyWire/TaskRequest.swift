import CareJourneyCore
import Foundation

/// What a worker receives for a CareJourney task: the one body frame of an MDP REQUEST, as JSON.
///
/// A **contract** with workers in any language (docs/tasks.md): ids, the queue and kind, which attempt this is,
/// and only the personal data the worker needs for this kind of task (`brief`).
public struct TaskRequest: Codable, Sendable, Equatable {
    /// The task's id; a reply names it.
    public var task: String
    /// The case the task belongs to.
    public var caseID: String
    /// The queue (MDP service) it was sent on.
    public var queue: String
    /// What it asks (`find-provider`, `refer-advocacy`, `dp-audit`, `review-reminder`, …).
    public var kind: String
    /// 1 for the first dispatch; more when an earlier worker died, disconnected or ran out of lease.
    public var attempt: Int
    /// When the task was created.
    public var createdAt: Date
    /// When the work is due, where the journey says (a review's due date for its reminder).
    public var due: Date?
    /// A short qualifier, such as the review's type; never personal data.
    public var detail: String?
    /// The personal data this kind of task needs, and no more.
    public var brief: [String: JSONValue]

    enum CodingKeys: String, CodingKey {
        case task, caseID = "case", queue, kind, attempt, createdAt, due, detail, brief
    }

    public init(
        task: String, caseID: String, queue: String, kind: String, attempt: Int, createdAt: Date, due: Date?,
        detail: String?, brief: [String: JSONValue]
    ) {
        self.task = task
        self.caseID = caseID
        self.queue = queue
        self.kind = kind
        self.attempt = attempt
        self.createdAt = createdAt
        self.due = due
        self.detail = detail
        self.brief = brief
    }

    /// The JSON body.
    public func encoded() -> [UInt8] { Array((try? WireJSON.encoder.encode(self)) ?? Data()) }

    /// Reads a request body.
    public static func decode(_ body: [UInt8]) throws -> TaskRequest {
        try WireJSON.decoder.decode(TaskRequest.self, from: Data(body))
    }
}

/// A worker's answer to a task: the body of an MDP PARTIAL (progress) or FINAL (the outcome), as JSON.
public struct TaskReply: Codable, Sendable, Equatable {
    /// The task answered.
    public var task: String
    /// The event the outcome is, if not the task kind's own reply event (`provider-found` for `find-provider`).
    public var event: String?
    /// The event's data (for `find-provider`: `provider` and `weeklyCost`).
    public var data: [String: JSONValue]?
    /// For a partial reply: how it is going, in words (recorded on the task).
    public var progress: String?
    /// The worker could not do it: why. The task is offered again if `retry` is true, otherwise it is marked
    /// failed for the operations team.
    public var error: String?
    public var retry: Bool?

    public init(
        task: String, event: String? = nil, data: [String: JSONValue]? = nil, progress: String? = nil,
        error: String? = nil, retry: Bool? = nil
    ) {
        self.task = task
        self.event = event
        self.data = data
        self.progress = progress
        self.error = error
        self.retry = retry
    }

    /// The JSON body.
    public func encoded() -> [UInt8] { Array((try? WireJSON.encoder.encode(self)) ?? Data()) }

    /// Reads a reply body.
    public static func decode(_ body: [UInt8]) throws -> TaskReply {
        try WireJSON.decoder.decode(TaskReply.self, from: Data(body))
    }
}

/// JSON as task bodies use it: ISO 8601 dates, sorted keys.
public enum WireJSON {
    public static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    public static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()
}
