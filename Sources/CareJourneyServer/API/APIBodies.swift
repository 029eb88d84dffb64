import CareJourneyCore
import CareJourneyStore
import Foundation

/// The body of `POST /api/cases` and `POST /api/cases/{id}/events`, read strictly: a field the API does not
/// know is refused, naming it.
struct EventRequest: Sendable {
    /// The event's name (`contact` for a new case).
    var name: String
    var data: JSONValue
    /// Who is acting, for the audit trail: the signed-in name (see `Principal.actor(stated:)`).
    var actor: String
    /// Why, for the audit trail.
    var reason: String?
    /// The body in a canonical form (sorted keys, with its actor), so a retry is recognised whatever order its keys
    /// come in, and another person's request with the same key and body is not taken for a retry.
    var canonical: Data

    static let fields = ["name", "data", "actor", "reason"]

    /// Reads a request body from `principal`; `defaultName` is the event when the body may leave `name` out.
    init(body: Data, defaultName: String?, by principal: Principal) throws(Problem) {
        let json: JSONValue
        do {
            json = try JSONDecoder().decode(JSONValue.self, from: body.isEmpty ? Data("{}".utf8) : body)
        } catch {
            throw Problem.badRequest("the body is not JSON: \(error.localizedDescription)")
        }
        guard case .object(var fields) = json else {
            throw Problem.badRequest("the body must be a JSON object like {\"name\": …, \"data\": {…}}")
        }
        if let unknown = fields.keys.sorted().first(where: { !Self.fields.contains($0) }) {
            throw Problem.badRequest(
                "unknown field '\(unknown)'; the body's fields are: \(Self.fields.joined(separator: ", "))",
                field: unknown)
        }
        func text(_ key: String) throws(Problem) -> String? {
            switch fields[key] {
            case nil, .null?: return nil
            case .string(let value)?: return value
            default: throw Problem.badRequest("'\(key)' must be text", field: key)
            }
        }
        guard let name = try text("name") ?? defaultName else {
            throw Problem.badRequest("'name' is missing: which event happened?", field: "name")
        }
        if let defaultName, name != defaultName {
            throw Problem.badRequest("a new case begins with '\(defaultName)', not '\(name)'", field: "name")
        }
        self.name = name
        data = fields["data"] ?? .null
        let stated = try text("actor")
        do {
            actor = try principal.actor(stated: stated)
        } catch {
            throw Problem(error)
        }
        reason = try text("reason")
        fields["actor"] = .string(actor)
        canonical = (try? APIJSON.encoder.encode(JSONValue.object(fields))) ?? body
    }
}

/// The answer to an accepted event.
struct EventAnswer: Codable, Sendable {
    let id: CaseID
    let version: Int
    let event: String
    let from: Stage
    let to: Stage
    let effects: [EffectView]
    /// Cases the event opened (a carer's case).
    let opened: [CaseID]
}

/// An effect, as the API shows it.
struct EffectView: Codable, Sendable, Equatable {
    /// `timer-set`, `timer-cancelled`, `task`, `task-resolved`, `notice`, `closed` or `case-opened`.
    let kind: String
    let name: String
    var due: Date?
    var queue: String?
    var task: String?
    var resolution: String?
    var message: String?

    init(_ effect: Effect) {
        switch effect {
        case .setTimer(let name, let due):
            self.init(kind: "timer-set", name: name.rawValue)
            self.due = due
        case .cancelTimer(let name): self.init(kind: "timer-cancelled", name: name.rawValue)
        case .enqueue(let task):
            self.init(kind: "task", name: task.kind.rawValue)
            queue = task.queue
            self.task = task.id.description
        case .resolveTask(let id, let resolution):
            self.init(kind: "task-resolved", name: id.description)
            task = id.description
            self.resolution = resolution.rawValue
        case .holdTask(let id, let holder):
            self.init(kind: "task-held", name: id.description)
            task = id.description
            message = holder.map { "held by \($0)" } ?? "handed back to its queue"
        case .notify(let notice):
            self.init(kind: "notice", name: notice.kind.rawValue)
            message = notice.message
        case .close(let reason): self.init(kind: "closed", name: reason.rawValue)
        case .openCase(let contact): self.init(kind: "case-opened", name: contact.clientType.rawValue)
        }
    }

    private init(kind: String, name: String) {
        self.kind = kind
        self.name = name
    }
}

/// `GET /api/cases/{id}/access`: who has read the case, newest first — when, how (page, API, search, list,
/// export), why, and the query that found it.
struct CaseAccess: Codable, Sendable {
    let id: CaseID
    let reads: [AccessRecord]
}

/// `GET /api/cases/{id}`: the case's state, next steps and whole history.
struct CaseView: Codable, Sendable {
    let id: CaseID
    let version: Int
    let stage: Stage
    let person: Person?
    let closure: Closure?
    let overdue: OverdueReview?
    let timers: [TimerView]
    let tasks: [TaskRecord]
    let accepts: [EventName]
    let state: CaseState
    let history: [HistoryEntry]

    init(_ record: CaseRecord) {
        let state = record.state
        id = state.id
        version = record.version
        stage = state.stage
        person = state.person
        closure = state.closure
        overdue = state.reviews.overdue
        timers = state.pendingTimers.map { TimerView(name: $0.name, due: $0.due) }
        tasks = record.tasks
        accepts = Journey.acceptedEvents(in: state)
        self.state = state
        history = record.history
    }
}

/// A pending timer.
struct TimerView: Codable, Sendable {
    let name: TimerName
    let due: Date
}
