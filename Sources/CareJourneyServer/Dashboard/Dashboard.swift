import CareJourneyBroker
import CareJourneyCore
import CareJourneyStore
import Foundation
import HTTPTypes
import Hummingbird
import Synchronization

/// The operations dashboard: plain HTML pages over the engine (overview, cases, a case, queues and workers),
/// live updates through server-sent events, and the actions operations staff take, each an audited event on its
/// case with who did it and why.
final class Dashboard: Sendable {
    let engine: Engine
    let clock: any CareClock
    let broker: Broker?
    let live: LiveEvents
    /// Review timeliness from the histories, made in the background.
    let reviews: ReviewTimelinessService
    private let map = Mutex<JourneyMap?>(nil)
    /// The last overview read, and when: pages that refresh live, many at once, share one read a second.
    private let lastFigures = Mutex<(read: ContinuousClock.Instant, figures: OverviewFigures)?>(nil)
    private static let figuresFreshFor = Duration.seconds(1)

    /// The dashboard over `engine`; the journey map is drawn in the background (it explores the machines).
    init(engine: Engine, clock: any CareClock, broker: Broker?, live: LiveEvents, reviews: ReviewTimelinessService) {
        self.engine = engine
        self.clock = clock
        self.broker = broker
        self.live = live
        self.reviews = reviews
        let policy = engine.policy
        Thread.detachNewThread { [self] in
            let drawn = JourneyMap(policy: policy)
            map.withLock { $0 = drawn }
        }
    }

    /// The largest form accepted.
    static let maxForm = 64 * 1024
    /// Failed tasks shown on the queues page, and acted on by one bulk action at most.
    static let failedShown = 200
    static let bulkLimit = 10_000

    /// Adds the pages, the live stream and the actions to `router`; `viewer` says who is asking.
    func addRoutes<Context: RequestContext>(
        to router: Router<Context>, viewer: @escaping @Sendable (Request, Context) -> Viewer
    ) {
        router.get("/") { request, context in await self.overview(viewer(request, context)) }
        router.get("/api/overview") { _, _ in await self.figures().map { Response.json($0) } ?? Self.unavailable }
        router.get("/api/reports/reviews") { _, _ in
            await self.reviews.figures(waitingUpTo: .seconds(5)).map { Response.json($0) }
                ?? Problem(503, "not-ready", "Review timeliness is still being read", "try again in a few seconds")
                .response
        }
        router.get("/cases") { request, context in
            await self.cases(FormData(request.uri.query ?? ""), viewer(request, context))
        }
        router.get("/cases/:id") { request, context in
            let query = FormData(request.uri.query ?? "")
            return await self.showCase(
                CaseID(context.parameters.get("id") ?? ""), viewer(request, context), notice: query["notice"],
                reason: query["reason"])
        }
        router.get("/cases/:id/access") { request, context in
            await self.showAccess(CaseID(context.parameters.get("id") ?? ""), viewer(request, context))
        }
        router.get("/queues") { request, context in
            await self.queues(FormData(request.uri.query ?? "")["queue"], viewer(request, context))
        }
        router.get("/live") { request, context in
            let viewer = viewer(request, context)
            do throws(LiveEvents.Refusal) {
                let stream = try self.live.subscribe(person: viewer.name, session: viewer.session)
                return Response(
                    status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-store"],
                    body: ResponseBody(asyncSequence: stream))
            } catch {
                var response = Problem(429, "too-many-streams", "Too many live pages", error.detail).response
                response.headers[.retryAfter] = "30"
                return response
            }
        }
        router.get("/assets/:name") { _, context in
            guard let asset = DashboardAssets.named(context.parameters.get("name") ?? "") else {
                return Response(status: .notFound)
            }
            var response = Response.raw(asset.data, status: 200, contentType: asset.contentType)
            response.headers[.cacheControl] = "max-age=300"
            return response
        }
        for action in CaseAction.allCases {
            router.post("/cases/:id/\(action.path)") { request, context in
                let id = CaseID(context.parameters.get("id") ?? "")
                let form = await Self.form(request)
                return await self.act(action, on: id, form: form, viewer(request, context))
            }
        }
        router.post("/bulk/tasks") { request, context in
            await self.bulk(await Self.form(request), viewer(request, context))
        }
        router.post("/api/bulk/tasks") { request, context in await self.bulkAPI(request, viewer(request, context)) }
    }

    // MARK: Pages

    private static var unavailable: Response {
        Problem(503, "unavailable", "The store could not be read", "try again shortly").response
    }

    /// The overview's figures: read again once those last read are a second old (on a store of a million cases
    /// the stage figures are a pass over the cases table).
    private func figures() async -> OverviewFigures? {
        if let last = lastFigures.withLock({ $0 }), ContinuousClock.now - last.read < Self.figuresFreshFor {
            return last.figures
        }
        let started = ContinuousClock.now
        guard let figures = try? await OverviewFigures.read(store: engine.store, broker: broker?.snapshot, at: clock.now())
        else { return nil }
        lastFigures.withLock { $0 = (started, figures) }
        return figures
    }

    private func overview(_ viewer: Viewer) async -> Response {
        guard let figures = await figures() else { return Self.unavailable }
        return .html(
            OverviewPage.render(figures, map: map.withLock { $0 }, timeliness: reviews.figures, viewer: viewer))
    }

    private var reads: CaseReads { CaseReads(engine: engine, clock: clock) }

    private func cases(_ query: FormData, _ viewer: Viewer) async -> Response {
        let given = query.fields.compactMap { key, _ in query[key].map { (key, $0) } }
        var errors: [String] = []
        var filter = CaseFilter()
        do {
            filter = try CaseAPI.filter(given)
        } catch {
            errors.append(error.detail)
        }
        guard let principal = viewer.principal else { return Self.unavailable }
        do {
            let page = try await engine.store.cases(matching: filter)
            let asked = given.sorted { $0.0 < $1.0 }.map { "\($0.0)=\($0.1)" }.joined(separator: "&")
            do {
                try await reads.recordList(page.cases.map(\.id), by: principal, through: .search, query: asked)
            } catch {
                return Self.unrecorded(viewer)
            }
            let queues = Set(engine.policy.queues.values).sorted()
            return .html(
                CasesPage.render(page, filter: filter, queues: queues, viewer: viewer, errors: errors),
                status: errors.isEmpty ? 200 : 400)
        } catch {
            return Self.unavailable
        }
    }

    private func showCase(
        _ id: CaseID, _ viewer: Viewer, notice: String? = nil, reason: String? = nil, errors: [String] = [],
        status: Int = 200
    ) async -> Response {
        guard let principal = viewer.principal else { return Self.unavailable }
        switch await reads.read(id, by: principal, through: .page, reason: reason) {
        case .read(let record):
            return .html(
                CaseDetailPage.render(
                    record, accepts: Journey.acceptedEvents(in: record.state), viewer: viewer, notice: notice,
                    errors: errors), status: status)
        case .notFound:
            return .html(
                PageLayout.page(
                    title: "No case \(id.rawValue)", section: .cases, viewer: viewer,
                    main: "<p>There is no case with this id. <a href=\"/cases\">Find a case</a>.</p>"),
                status: 404)
        case .needsReason(let why):
            return .html(CaseAccessPage.reasonNeeded(id, why: why, viewer: viewer), status: 403)
        case .unrecorded:
            return Self.unrecorded(viewer)
        }
    }

    /// Who has read a case (managers): when, who, how, why.
    private func showAccess(_ id: CaseID, _ viewer: Viewer) async -> Response {
        guard viewer.canSeeAccess else {
            return forbidden(viewer, "Only managers and above can see who has read a case.")
        }
        do {
            guard try await engine.store.record(of: id) != nil else {
                return .html(
                    PageLayout.page(
                        title: "No case \(id.rawValue)", section: .cases, viewer: viewer,
                        main: "<p>There is no case with this id.</p>"), status: 404)
            }
            let log = try await engine.store.accessLog(matching: AccessQuery(cases: [id], limit: Self.accessShown))
            return .html(CaseAccessPage.render(id, reads: log, viewer: viewer))
        } catch {
            return Self.unavailable
        }
    }

    /// Reads shown on a case's access page (the API and `carejourney audit reads` give them all).
    static let accessShown = 500

    /// The page shown instead of personal data whose read could not be recorded.
    private static func unrecorded(_ viewer: Viewer) -> Response {
        .html(
            PageLayout.page(
                title: "This could not be shown", section: nil, viewer: viewer,
                main: """
                    <p>Every read of a person's record is recorded before it is shown, and this one could not be \
                    recorded, so nothing is shown. Try again shortly; if it goes on, tell the service's operators.</p>
                    """),
            status: 503)
    }

    private func queues(_ queue: String?, _ viewer: Viewer) async -> Response {
        guard let figures = await figures(), let principal = viewer.principal,
            let failed = try? await engine.store.tasks(on: queue, status: "failed", limit: Self.failedShown)
        else { return Self.unavailable }
        do {
            try await reads.recordList(
                failed.map(\.caseID), by: principal, through: .list, query: queue.map { "queue=\($0)" },
                detail: "failed tasks")
        } catch {
            return Self.unrecorded(viewer)
        }
        return .html(
            QueuesPage.render(
                figures, failed: failed, workers: broker?.snapshot.workers ?? [], queue: queue, viewer: viewer))
    }

    // MARK: Actions

    /// What staff do to one case, each an event with who and why.
    enum CaseAction: String, CaseIterable, Sendable {
        case reassign, review, retryTask, cancelTask

        var path: String {
            switch self {
            case .reassign: "reassign"
            case .review: "review"
            case .retryTask: "tasks/retry"
            case .cancelTask: "tasks/cancel"
            }
        }

        /// The event the form asks for.
        func event(_ form: FormData) throws(TransitionError) -> Event {
            switch self {
            case .reassign:
                return .reassign(Reassignment(team: form["team"] ?? "", worker: form["worker"] ?? ""))
            case .review:
                return try Event(
                    name: EventName.startReview.rawValue,
                    data: ["type": "unplanned", "reason": .string(form["kind"] ?? "")])
            case .retryTask, .cancelTask:
                let name = self == .retryTask ? EventName.retryTask : .cancelTask
                return try Event(name: name.rawValue, data: ["task": .string(form["task"] ?? "")])
            }
        }

        var done: String {
            switch self {
            case .reassign: "The case was reassigned."
            case .review: "The unplanned review has started."
            case .retryTask: "The task is on its queue again."
            case .cancelTask: "The task was cancelled."
            }
        }
    }

    private func act(_ action: CaseAction, on id: CaseID, form: FormData, _ viewer: Viewer) async -> Response {
        guard viewer.canAct else { return forbidden(viewer, "Only practitioners and above can act on a case.") }
        guard let reason = form["reason"] else {
            return await showCase(id, viewer, errors: ["Say why: the reason is recorded on the case."], status: 422)
        }
        let event: Event
        do {
            event = try action.event(form)
        } catch {
            return await showCase(id, viewer, errors: [error.message], status: 422)
        }
        switch await submit(event, to: id, reason: reason, viewer) {
        case .success:
            return Response(
                status: .seeOther,
                headers: [.location: "/cases/\(id.rawValue)?notice=\(FormData.encode(action.done))"])
        case .failure(let message):
            return await showCase(id, viewer, errors: [message], status: 409)
        }
    }

    private enum Outcome { case success, failure(String) }

    private func submit(_ event: Event, to id: CaseID, reason: String, _ viewer: Viewer) async -> Outcome {
        guard let principal = viewer.principal else { return .failure("Sign in to act on a case.") }
        let command: Command
        do {
            command = try PersonCommand.make(
                event, on: id, by: principal, actor: principal.name, reason: reason, at: clock.now(),
                policy: engine.policy)
        } catch {
            return .failure(error.detail)
        }
        do {
            switch try await engine.submit(command) {
            case .done(.applied, _): return .success
            case .done(.rejected(let error, _), _): return .failure(error.message)
            case .done(.notFound, _): return .failure("There is no case \(id.rawValue).")
            case .replayed, .keyReused: return .failure("This was done already.")
            }
        } catch {
            return .failure(error.message)
        }
    }

    /// A bulk retry or cancel of a queue's failed tasks: first the count and a confirmation, then the events.
    private func bulk(_ form: FormData, _ viewer: Viewer) async -> Response {
        guard viewer.canBulk else { return forbidden(viewer, "Only managers and above can act on many tasks at once.") }
        guard let queue = form["queue"], let action = form["action"], ["retry", "cancel"].contains(action),
            let reason = form["reason"]
        else {
            return .html(
                PageLayout.page(
                    title: "Bulk action", section: .queues, viewer: viewer,
                    main:
                        "\(PageLayout.errors(["Choose a queue and what to do, and say why."]))<p><a href=\"/queues\">Back</a></p>"
                ),
                status: 422)
        }
        guard let tasks = try? await engine.store.tasks(on: queue, status: "failed", limit: Self.bulkLimit) else {
            return Self.unavailable
        }
        guard form["confirmed"] == "yes", form["expected"] == String(tasks.count) else {
            return .html(
                QueuesPage.confirm(action: action, queue: queue, reason: reason, count: tasks.count, viewer: viewer))
        }
        let (applied, refused) = await carryOut(action == "retry" ? .retryTask : .cancelTask, on: tasks, reason, viewer)
        return .html(
            QueuesPage.done(action: action, queue: queue, applied: applied, refused: refused, viewer: viewer))
    }

    /// `POST /api/bulk/tasks`: the same as the page's bulk action, for scripts. Without `expected` (or with a
    /// count that no longer matches) nothing is done and the answer says how many tasks it would affect.
    private func bulkAPI(_ request: Request, _ viewer: Viewer) async -> Response {
        guard viewer.canBulk else {
            return Problem(403, "forbidden", "Not allowed", "bulk actions need the manager role or above").response
        }
        var request = request
        guard let body = try? await request.collectBody(upTo: Self.maxForm),
            let input = try? JSONDecoder().decode(BulkRequest.self, from: Data(buffer: body))
        else {
            return Problem.badRequest(
                "the body is {\"queue\": …, \"action\": \"retry\" or \"cancel\", \"reason\": …, \"expected\": N}"
            ).response
        }
        guard input.action == "retry" || input.action == "cancel" else {
            return Problem.badRequest("action is retry or cancel", field: "action").response
        }
        guard !input.reason.trimmingCharacters(in: .whitespaces).isEmpty else {
            return Problem.badRequest("say why: the reason is recorded on every case", field: "reason").response
        }
        guard let tasks = try? await engine.store.tasks(on: input.queue, status: "failed", limit: Self.bulkLimit) else {
            return Self.unavailable
        }
        guard input.expected == tasks.count else {
            var problem = Problem(
                409, "confirm-count", "Confirm the number of tasks",
                "\(tasks.count) failed tasks on '\(input.queue)' would be affected; send \"expected\": \(tasks.count) to go ahead",
                field: "expected")
            problem.count = tasks.count
            return problem.response
        }
        let (applied, refused) = await carryOut(
            input.action == "retry" ? .retryTask : .cancelTask, on: tasks, input.reason, viewer)
        return .json(BulkAnswer(applied: applied, refused: refused))
    }

    private struct BulkRequest: Decodable {
        let queue: String
        let action: String
        let reason: String
        let expected: Int?
    }

    private struct BulkAnswer: Encodable {
        let applied: Int
        let refused: [String]
    }

    /// Retries or cancels each task as an event on its case (many at once, through the engine's group commit);
    /// returns how many were done and why the others were not.
    private func carryOut(_ name: EventName, on tasks: [TaskListing], _ reason: String, _ viewer: Viewer) async
        -> (applied: Int, refused: [String])
    {
        let outcomes = await withTaskGroup(of: (String, Outcome).self) { group in
            for task in tasks {
                group.addTask {
                    guard let event = try? Event(name: name.rawValue, data: ["task": .string(task.id)]) else {
                        return (task.id, .failure("not a task id"))
                    }
                    return (task.id, await self.submit(event, to: task.caseID, reason: reason, viewer))
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        let refused = outcomes.compactMap { id, outcome -> String? in
            if case .failure(let message) = outcome { "\(id): \(message)" } else { nil }
        }
        return (outcomes.count - refused.count, refused.sorted())
    }

    private func forbidden(_ viewer: Viewer, _ message: String) -> Response {
        .html(
            PageLayout.page(
                title: "Not allowed", section: nil, viewer: viewer,
                main: "<p>\(message) You are signed in as \(viewer.name) (\(viewer.role)).</p>"),
            status: 403)
    }

    private static func form(_ request: Request) async -> FormData {
        var request = request
        guard let body = try? await request.collectBody(upTo: maxForm) else { return FormData("") }
        return FormData(String(buffer: body))
    }
}

extension Response {
    /// An HTML page.
    static func html(_ page: HTML, status: Int = 200) -> Response {
        raw(Data(page.description.utf8), status: status, contentType: "text/html; charset=utf-8")
    }
}
