import CareJourneyClock
import CareJourneyCore
import CareJourneyStore
import Foundation
import HTTPTypes
import Hummingbird

/// The JSON API over HTTP, described by the committed `openapi.yaml` (served at `/openapi.yaml`).
///
/// Every POST honours an `Idempotency-Key` header: a retry with the same key gets the first answer and changes
/// nothing. Bad input is a 4xx `application/problem+json` naming the field; nothing malformed reaches the store.
public struct CaseAPI: Sendable {
    let engine: Engine
    let clock: any CareClock

    /// The largest request body accepted.
    static let maxBody = 1 << 20
    static let idempotencyKey = HTTPField.Name("Idempotency-Key")!
    static let replayed = HTTPField.Name("Idempotent-Replayed")!

    /// Creates the API over an engine, reading time from `clock`.
    public init(engine: Engine, clock: any CareClock) {
        self.engine = engine
        self.clock = clock
    }

    /// The routes, behind `access`: requests from other sites, and in no-token mode from other hosts or through a
    /// proxy, are refused (`RequestGuard`); every request is identified and refused unless its role allows its route
    /// (`RouteAccess`); forms must carry their session's CSRF token (`FormGuard`); every answer carries the
    /// security headers (`SecurityHeaders`). The sign-in pages come with them.
    public func router(access: AccessControl) -> Router<AppRequestContext> {
        let router = Router(context: AppRequestContext.self)
        // Outermost first: every answer's headers; requests no one may make; who is asking; forms' CSRF tokens.
        router.add(middleware: SecurityHeaders())
        router.add(middleware: RequestGuard(access: access))
        router.add(middleware: AccessMiddleware(access: access))
        router.add(middleware: FormGuard(access: access))
        SignInRoutes(access: access).add(to: router)
        router.get("/healthz") { _, _ in try await self.health() }
        router.get("/openapi.yaml") { _, _ in
            Response.raw(OpenAPIDocument.bytes, status: 200, contentType: "application/yaml")
        }
        router.get("/api/me") { _, context in Response.json(try context.require(.viewer)) }
        router.post("/api/cases") { request, context in
            try await self.command(
                request, by: try context.require(.practitioner), caseID: nil, defaultName: EventName.contact.rawValue,
                access: access)
        }
        router.post("/api/cases/:id/events") { request, context in
            try await self.command(
                request, by: try context.require(.practitioner), caseID: Self.caseID(context), defaultName: nil,
                access: access)
        }
        router.get("/api/cases/:id") { request, context in
            try await self.show(
                Self.caseID(context), to: try context.require(.viewer),
                reason: request.uri.queryParameters["reason"].map(String.init))
        }
        router.get("/api/cases/:id/access") { _, context in
            try context.require(.manager)
            return try await self.access(to: Self.caseID(context))
        }
        router.get("/api/cases") { request, context in
            try await self.list(
                request.uri.queryParameters.map { (String($0.key), String($0.value)) }, by: try context.require(.viewer),
                query: request.uri.query)
        }
        return router
    }

    private static func caseID(_ context: AppRequestContext) -> CaseID { CaseID(context.parameters.get("id") ?? "") }

    /// Cheap whatever the store's size: one indexed read.
    private func health() async throws(Problem) -> Response {
        do {
            _ = try await engine.store.isEmpty()
            return .json(["status": "ok", "policy": engine.policy.id])
        } catch {
            throw Problem(error)
        }
    }

    // MARK: Commands

    private func command(
        _ request: Request, by principal: Principal, caseID: CaseID?, defaultName: String?, access: AccessControl
    ) async throws(Problem) -> Response {
        var request = request
        let body: Data
        do {
            body = Data(buffer: try await request.collectBody(upTo: Self.maxBody))
        } catch {
            throw Problem(413, "too-large", "The body is too large", "bodies are at most \(Self.maxBody) bytes")
        }
        let key = request.headers[Self.idempotencyKey]
        if let key, key.isEmpty || key.count > 200 {
            throw Problem.badRequest("the Idempotency-Key must be 1 to 200 characters", field: "Idempotency-Key")
        }
        let input = try EventRequest(body: body, defaultName: defaultName, by: principal)
        let event: Event
        do {
            event = try Event(name: input.name, data: input.data)
        } catch {
            throw Problem(error)
        }
        let command = try PersonCommand.make(
            event, on: caseID, by: principal, actor: input.actor, reason: input.reason, at: clock.now(),
            policy: engine.policy, access: access)
        let idempotency = key.map {
            IdempotencyKey($0, fingerprint: "\(request.method) \(request.uri.path) \(StableHash.hex(input.canonical))")
        }
        let creating = caseID == nil
        let submitted: CommandResult
        do {
            if let idempotency {
                submitted = try await engine.submit(command, key: idempotency)
            } else {
                submitted = .done(try await engine.apply(command))
            }
        } catch {
            throw Problem(error)
        }
        switch submitted {
        case .done(let outcome):
            return try Self.answer(RecordedOutcome(outcome), creating: creating)
        case .replayed(let kept):
            do {
                var response = try Self.answer(kept, creating: creating)
                response.headers[Self.replayed] = "true"
                return response
            } catch {
                throw error.with(Self.replayed, "true")
            }
        case .keyReused:
            throw Problem(
                422, "key-reused", "Idempotency-Key reused",
                "this Idempotency-Key was used for a different request; use a new key for a new request",
                field: "Idempotency-Key")
        }
    }

    /// The answer to an outcome: the same for a command carried out now and for a retry given the outcome kept for
    /// its key, so a retry is answered as the first time.
    ///
    /// - Throws: `Problem` for an event the case refused or a case that is not there.
    static func answer(_ outcome: RecordedOutcome, creating: Bool) throws(Problem) -> Response {
        switch outcome {
        case .applied(let applied):
            return .json(
                EventAnswer(
                    id: applied.caseID, version: applied.version, event: applied.event.rawValue, from: applied.from,
                    to: applied.to, effects: applied.effects.map(EffectView.init), opened: applied.opened),
                status: creating ? 201 : 200)
        case .rejected(let error, _):
            throw Problem(error)
        case .notFound(let id):
            throw Problem.noSuchCase(id.rawValue)
        case .earlier(let status, let body):
            return .raw(body, status: status, contentType: status >= 400 ? "application/problem+json" : "application/json")
        }
    }

    // MARK: Reads

    private var reads: CaseReads { CaseReads(engine: engine, clock: clock) }

    /// The case, for `principal`: the read is recorded before it is returned (503 and nothing shown if it cannot
    /// be); a case with an open safeguarding enquiry outside their team needs a `reason`.
    private func show(_ id: CaseID, to principal: Principal, reason: String?) async throws(Problem) -> Response {
        switch await reads.read(id, by: principal, through: .api, reason: reason) {
        case .read(let record): return .json(CaseView(record))
        case .notFound: throw Problem.noSuchCase(id.rawValue)
        case .needsReason(let why): throw Problem.reasonNeeded(why, caseID: id)
        case .unrecorded(let error): throw Problem.unrecorded(error)
        }
    }

    /// Who has read the case, newest first: when, how, why, and the query that found it.
    private func access(to id: CaseID) async throws(Problem) -> Response {
        let found: Bool
        let log: [AccessRecord]
        do {
            found = try await engine.store.record(of: id) != nil
            log = found ? try await engine.store.accessLog(matching: AccessQuery(cases: [id])) : []
        } catch {
            throw Problem(error)
        }
        guard found else { throw Problem.noSuchCase(id.rawValue) }
        return .json(CaseAccess(id: id, reads: log))
    }

    /// A page of cases; the cases it returns are recorded as read by `principal`, with the query, first.
    private func list(_ parameters: [(String, String)], by principal: Principal, query: String?) async
        throws(Problem) -> Response
    {
        let filter = try Self.filter(parameters)
        let page: CasePage
        do {
            page = try await engine.store.cases(matching: filter)
        } catch {
            throw Problem(error)
        }
        do {
            try await reads.recordList(page.cases.map(\.id), by: principal, through: .search, query: query)
        } catch {
            throw Problem.unrecorded(error)
        }
        return .json(page)
    }

    static let listParameters = ["state", "overdue", "queue", "q", "team", "worker", "limit", "cursor"]

    /// Reads the list's query parameters, refusing any it does not know or cannot read.
    static func filter(_ query: [(String, String)]) throws(Problem) -> CaseFilter {
        var filter = CaseFilter()
        for (key, value) in query {
            switch key {
            case "state":
                guard let stage = Stage(rawValue: value) else {
                    throw Problem.badRequest(
                        "'\(value)' is not a stage; stages are: \(Stage.allowedWords)", field: "state")
                }
                filter.stage = stage
            case "overdue":
                guard let overdue = Bool(value) else {
                    throw Problem.badRequest("overdue is true or false", field: "overdue")
                }
                filter.overdue = overdue
            case "queue": filter.queue = value
            case "q": filter.query = value
            case "team": filter.team = value
            case "worker": filter.worker = value
            case "limit":
                guard let limit = Int(value), (1...500).contains(limit) else {
                    throw Problem.badRequest("limit is a whole number from 1 to 500", field: "limit")
                }
                filter.limit = limit
            case "cursor":
                guard Int64(value) != nil else {
                    throw Problem.badRequest("cursor is the nextCursor of the previous page", field: "cursor")
                }
                filter.cursor = value
            default:
                throw Problem.badRequest(
                    "unknown parameter '\(key)'; the parameters are: \(listParameters.joined(separator: ", "))",
                    field: key)
            }
        }
        return filter
    }
}
