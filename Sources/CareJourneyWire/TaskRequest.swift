import CareJourneyCore
import Foundation

/// What a worker receives for a CareJourney task: the one body frame of an MDP REQUEST, as JSON.
///
/// A **contract** with workers in any language (docs/tasks.md): ids, the queue and kind, which attempt this is,
/// and only the personal data the worker needs for this kind of task (`brief`).
public struct TaskRequest: Sendable, Equatable {
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
    /// The last day `due` includes on the council's calendar, in `timeZone`: the day a reminder names.
    public var dueDay: LocalDate?
    /// The council's time zone (`Europe/London`), when there is a due date.
    public var timeZone: String?
    /// A short qualifier, such as the review's type; never personal data.
    public var detail: String?
    /// The personal data this kind of task needs, and no more.
    public var brief: [String: JSONValue]

    public init(
        task: String, caseID: String, queue: String, kind: String, attempt: Int, createdAt: Date, due: Date?,
        detail: String?, brief: [String: JSONValue], dueDay: LocalDate? = nil, timeZone: String? = nil
    ) {
        self.task = task
        self.caseID = caseID
        self.queue = queue
        self.kind = kind
        self.attempt = attempt
        self.createdAt = createdAt
        self.due = due
        self.dueDay = dueDay
        self.timeZone = timeZone
        self.detail = detail
        self.brief = brief
    }

    /// The request for one of a case's tasks, with the brief of its case: what the broker sends on `attempt`.
    public init(_ task: CareTask, brief: TaskBrief, attempt: Int) {
        self.init(
            task: task.id.description, caseID: task.id.caseID.rawValue, queue: task.queue, kind: task.kind.rawValue,
            attempt: attempt, createdAt: task.createdAt, due: brief.due, detail: task.detail, brief: brief.fields,
            dueDay: brief.dueDay, timeZone: brief.timeZone)
    }

    /// The JSON body.
    public func encoded() -> [UInt8] {
        JSONValue.serializedObject(sortedFields: [
            "attempt": .number(Double(attempt)), "brief": .object(brief), "case": .string(caseID),
            "createdAt": .string(ISO8601Text.format(createdAt)),
            "detail": detail.map(JSONValue.string) ?? .null,
            "due": due.map { .string(ISO8601Text.format($0)) } ?? .null,
            "dueDay": dueDay.map { .string($0.description) } ?? .null,
            "kind": .string(kind), "queue": .string(queue), "task": .string(task),
            "timeZone": timeZone.map(JSONValue.string) ?? .null,
        ])
    }

    /// Reads a request body.
    public static func decode(_ body: [UInt8]) throws(WireError) -> TaskRequest {
        let fields = try WireError.object(body, what: "a task request")
        let created = try fields.string("createdAt")
        guard let createdAt = ISO8601Text.parse(created) else {
            throw WireError("a task request's createdAt is not an ISO 8601 time: \(created)")
        }
        guard case .number(let attempt)? = fields["attempt"], attempt >= 1, attempt == attempt.rounded() else {
            throw WireError("a task request needs a whole number 'attempt' of 1 or more")
        }
        var brief: [String: JSONValue] = [:]
        if case .object(let given)? = fields["brief"] { brief = given }
        let dueDay = fields.optionalString("dueDay")
        if let dueDay, LocalDate(dueDay) == nil {
            throw WireError("a task request's dueDay is not a day (YYYY-MM-DD): \(dueDay)")
        }
        return TaskRequest(
            task: try fields.string("task"), caseID: try fields.string("case"), queue: try fields.string("queue"),
            kind: try fields.string("kind"), attempt: Int(attempt), createdAt: createdAt,
            due: fields.optionalString("due").flatMap(ISO8601Text.parse), detail: fields.optionalString("detail"),
            brief: brief, dueDay: dueDay.flatMap(LocalDate.init), timeZone: fields.optionalString("timeZone"))
    }
}

/// A worker's answer to a task: the body of an MDP PARTIAL (progress) or FINAL (the outcome), as JSON.
public struct TaskReply: Sendable, Equatable {
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

    /// The JSON body (fields that are not set are left out).
    public func encoded() -> [UInt8] {
        var fields: [String: JSONValue] = ["task": .string(task)]
        if let event { fields["event"] = .string(event) }
        if let data { fields["data"] = .object(data) }
        if let progress { fields["progress"] = .string(progress) }
        if let error { fields["error"] = .string(error) }
        if let retry { fields["retry"] = .bool(retry) }
        return JSONValue.object(fields).serialized()
    }

    /// Reads a reply body.
    public static func decode(_ body: [UInt8]) throws(WireError) -> TaskReply {
        let fields = try WireError.object(body, what: "a task reply")
        var data: [String: JSONValue]?
        switch fields["data"] {
        case .object(let given)?: data = given
        case nil, .null?: data = nil
        default: throw WireError("a task reply's 'data' must be an object of the event's fields")
        }
        var retry: Bool?
        if case .bool(let given)? = fields["retry"] { retry = given }
        return TaskReply(
            task: try fields.string("task"), event: fields.optionalString("event"), data: data,
            progress: fields.optionalString("progress"), error: fields.optionalString("error"), retry: retry)
    }
}

/// A task body that does not read: what is wrong with it.
public struct WireError: Error, Equatable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }

    /// The body's fields, or why it is not a JSON object.
    static func object(_ body: [UInt8], what: String) throws(WireError) -> [String: JSONValue] {
        let value: JSONValue
        do {
            value = try JSONValue.parse(body)
        } catch {
            throw WireError("\(what) is not JSON: \(error)")
        }
        guard case .object(let fields) = value else { throw WireError("\(what) must be a JSON object") }
        return fields
    }
}

extension [String: JSONValue] {
    func string(_ key: String) throws(WireError) -> String {
        guard case .string(let text)? = self[key] else { throw WireError("the field '\(key)' must be a string") }
        return text
    }

    func optionalString(_ key: String) -> String? {
        if case .string(let text)? = self[key] { text } else { nil }
    }
}
