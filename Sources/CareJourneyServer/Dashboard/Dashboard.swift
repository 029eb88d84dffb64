import CareJourneyClock
import CareJourneyWire
import CareJourneyCore
import CareJourneyKit
import CareJourneyStore
import Foundation
import Logging
import HTTPTypes
import Hummingbird
import Synchronization

/// The operations dashboard: plain HTML pages over the engine (overview, cases, a case, queues and workers),
/// live updates through server-sent events, and the actions operations staff take, each an audited event on its
/// case with who did it and why.
final class Dashboard: Sendable {
    let engine: Engine
    let clock: any CareClock
    /// The task broker's queues and workers now, when a broker runs.
    let workers: (@Sendable () -> BrokerSnapshot)?
    let live: LiveEvents
    /// Review timeliness from the histories, made in the background.
    let reviews: ReviewTimelinessService
    /// The Plan page's forecast, made in the background.
    let plan: PlanForecastService
    /// The overview's figures, shared with `GET /api/overview`.
    let overview: OverviewReader
    /// People's commands on cases, shared with the bulk API.
    let commands: CaseCommands
    private let map = Mutex<JourneyMap?>(nil)

    /// The dashboard over `engine`; the journey map is drawn in the background, from its transitions kept beside the
    /// store when the policy has not changed, else by exploring the machines (once a policy: `JourneyMap.Kept`; once
    /// a policy in the process: `JourneyMapExplorations`).
    init(
        engine: Engine, clock: any CareClock, overview: OverviewReader, commands: CaseCommands, live: LiveEvents,
        reviews: ReviewTimelinessService, plan: PlanForecastService
    ) {
        self.engine = engine
        self.clock = clock
        self.workers = overview.workers
        self.overview = overview
        self.commands = commands
        self.live = live
        self.reviews = reviews
        self.plan = plan
        let policy = engine.policy
        let kept = KeptFile<JourneyMap.Kept>("journey-map.json", beside: engine.store)
        Thread.detachNewThread { [self] in
            let drawn = JourneyMap.Kept.map(of: policy, in: kept, logger: Logger(label: "carejourney.dashboard"))
            map.withLock { $0 = drawn }
        }
    }

    /// Failed tasks shown on the queues page.
    static let failedShown = 200

    /// Adds the pages, the live stream and the actions to `router`; `viewer` says who is asking.
    func addRoutes<Context: RequestContext>(
        to router: Router<Context>, viewer: @escaping @Sendable (Request, Context) -> Viewer
    ) {
        router.add(middleware: UKTime.Middleware(calendar: engine.policy.councilCalendar))
        router.get("/") { request, context in try await self.overview(viewer(request, context)) }
        router.get("/cases") { request, context in
            try await self.cases(FormData(request.uri.query ?? ""), viewer(request, context))
        }
        router.get("/cases/:id") { request, context in
            let query = FormData(request.uri.query ?? "")
            return try await self.showCase(
                CaseID(context.parameters.get("id") ?? ""), viewer(request, context), notice: query["notice"],
                reason: query["reason"], errors: query["error"].map { [$0] } ?? [], errorField: query["field"])
        }
        router.get("/cases/:id/plan") { request, context in
            try await self.showPlan(CaseID(context.parameters.get("id") ?? ""), viewer(request, context))
        }
        router.get("/cases/:id/access") { request, context in
            try await self.showAccess(CaseID(context.parameters.get("id") ?? ""), viewer(request, context))
        }
        router.get("/doctor") { request, context in try await self.doctor(viewer(request, context)) }
        router.get("/queues") { request, context in
            try await self.queues(FormData(request.uri.query ?? "")["queue"], viewer(request, context))
        }
        router.get("/plan") { request, context in
            Response.html(PlanPage.render(self.plan.state, viewer: viewer(request, context)))
        }
        router.get("/live") { request, context in
            let viewer = viewer(request, context)
            do throws(LiveEvents.Refusal) {
                let stream = try self.live.subscribe(person: viewer.name, session: viewer.session)
                return Response(
                    status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-store"],
                    body: ResponseBody(asyncSequence: stream))
            } catch {
                throw Problem(429, "too-many-streams", "Too many live pages", error.detail).with(.retryAfter, "30")
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
                return try await self.act(action, on: id, form: form, viewer(request, context))
            }
        }
        router.post("/bulk/tasks") { request, context in
            try await self.bulk(await Self.form(request), viewer(request, context))
        }
        addWorkRoutes(to: router, viewer: viewer)
        addFormRoutes(to: router, viewer: viewer)
    }

    // MARK: Pages

    private func overview(_ viewer: Viewer) async throws(Problem) -> Response {
        guard let figures = await overview.figures() else { throw Problem.storeUnreadable }
        return .html(
            OverviewPage.render(figures, map: map.withLock { $0 }, timeliness: reviews.figures, ascof: reviews.ascof, viewer: viewer))
    }

    var reads: CaseReads { CaseReads(engine: engine, clock: clock) }

    private func cases(_ query: FormData, _ viewer: Viewer) async throws(Problem) -> Response {
        let given = query.fields.compactMap { key, _ in query[key].map { (key, $0) } }
        var errors: [String] = []
        var filter = CaseFilter()
        do {
            filter = try CaseAPI.filter(given)
        } catch {
            errors.append(error.detail)
        }
        guard let principal = viewer.principal else { throw Problem.storeUnreadable }
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
            throw Problem.storeUnreadable
        }
    }

    private func showCase(
        _ id: CaseID, _ viewer: Viewer, notice: String? = nil, reason: String? = nil, errors: [String] = [],
        errorField: String? = nil, status: Int = 200
    ) async throws(Problem) -> Response {
        try await read(id, viewer, reason: reason) { record in
            .html(
                CaseDetailPage.render(
                    record, accepts: Journey.acceptedEvents(in: record.state), viewer: viewer, policy: engine.policy,
                    now: clock.now(), notice: notice, errors: errors, errorField: errorField), status: status)
        }
    }

    /// Reads a case for a page, recorded as a page view, and `show`s it; or the page for a case that is not there,
    /// that needs a reason to be read, or whose reading could not be recorded.
    ///
    /// - Throws: `Problem.storeUnreadable` (503) when there is no one to record the read under.
    func read(
        _ id: CaseID, _ viewer: Viewer, reason: String?, show: (CaseRecord) -> Response
    ) async throws(Problem) -> Response {
        guard let principal = viewer.principal else { throw Problem.storeUnreadable }
        switch await reads.read(id, by: principal, through: .page, reason: reason) {
        case .read(let record):
            return show(record)
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

    /// The person's copy of the signed-off plan (`PlanDocument`): the document a `send-plan-copy` task carries, as it
    /// stands now, to read or print. Reading it is reading the case, and is recorded so.
    private func showPlan(_ id: CaseID, _ viewer: Viewer) async throws(Problem) -> Response {
        let now = clock.now()
        return try await read(id, viewer, reason: nil) { record in
            guard let copy = PlanCopy(of: record.state, at: now) else {
                return .html(
                    PageLayout.page(
                        title: "No plan signed off for \(id.rawValue)", section: .cases, viewer: viewer,
                        main: "<p>This case has no signed-off plan yet. <a href=\"/cases/\(id.rawValue)\">Back to the case</a>.</p>"),
                    status: 404)
            }
            return .raw(
                Data(PlanDocument(copy, calendar: engine.policy.councilCalendar).html.utf8), status: 200,
                contentType: "text/html; charset=utf-8")
        }
    }

    /// Who has read a case (managers): when, who, how, why.
    private func showAccess(_ id: CaseID, _ viewer: Viewer) async throws(Problem) -> Response {
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
            throw Problem.storeUnreadable
        }
    }

    /// Reads shown on a case's access page (the API and `carejourney audit reads` give them all).
    static let accessShown = 500

    /// The page shown instead of personal data whose read could not be recorded.
    static func unrecorded(_ viewer: Viewer) -> Response {
        .html(
            PageLayout.page(
                title: "This could not be shown", section: nil, viewer: viewer,
                main: """
                    <p>Every read of a person's record is recorded before it is shown, and this one could not be \
                    recorded, so nothing is shown. Try again shortly; if it goes on, tell the service's operators.</p>
                    """),
            status: 503)
    }

    /// What `store doctor` finds; the cases it lists are recorded as read, as a list.
    private func doctor(_ viewer: Viewer) async throws(Problem) -> Response {
        guard let principal = viewer.principal, let report = try? await engine.store.doctor() else {
            throw Problem.storeUnreadable
        }
        do {
            try await reads.recordList(
                report.findings.map { CaseID($0.caseID) }, by: principal, through: .list, query: nil,
                detail: "cases without a next step")
        } catch {
            return Self.unrecorded(viewer)
        }
        return .html(DoctorPage.render(report, viewer: viewer))
    }

    private func queues(_ queue: String?, _ viewer: Viewer) async throws(Problem) -> Response {
        guard let figures = await overview.figures(), let principal = viewer.principal,
            let failed = try? await engine.store.tasks(on: queue, status: "failed", limit: Self.failedShown)
        else { throw Problem.storeUnreadable }
        do {
            try await reads.recordList(
                failed.map(\.caseID), by: principal, through: .list, query: queue.map { "queue=\($0)" },
                detail: "failed tasks")
        } catch {
            return Self.unrecorded(viewer)
        }
        return .html(
            QueuesPage.render(
                figures, failed: failed, workers: workers?().workers ?? [], queue: queue, viewer: viewer))
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

    private func act(_ action: CaseAction, on id: CaseID, form: FormData, _ viewer: Viewer) async throws(Problem) -> Response {
        guard viewer.canAct else { return forbidden(viewer, "Only practitioners and above can act on a case.") }
        guard let reason = form["reason"] else {
            return try await showCase(id, viewer, errors: ["Say why: the reason is recorded on the case."], status: 422)
        }
        let event: Event
        do {
            event = try action.event(form)
        } catch {
            return try await showCase(id, viewer, errors: [error.message], status: 422)
        }
        guard let principal = viewer.principal else { throw Problem.storeUnreadable }
        if let refusal = await commands.carryOut(event, on: id, reason: reason, by: principal) {
            return try await showCase(id, viewer, errors: [refusal], status: 409)
        }
        return Response(
            status: .seeOther, headers: [.location: "/cases/\(id.rawValue)?notice=\(FormData.encode(action.done))"])
    }

    /// A bulk retry or cancel of a queue's failed tasks: first the count and a confirmation, then the events.
    private func bulk(_ form: FormData, _ viewer: Viewer) async throws(Problem) -> Response {
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
        guard let tasks = try? await commands.failedTasks(on: queue), let principal = viewer.principal else {
            throw Problem.storeUnreadable
        }
        guard form["confirmed"] == "yes", form["expected"] == String(tasks.count) else {
            return .html(
                QueuesPage.confirm(action: action, queue: queue, reason: reason, count: tasks.count, viewer: viewer))
        }
        let outcome = await commands.bulk(
            action == "retry" ? .retryTask : .cancelTask, on: tasks, reason: reason, by: principal)
        return .html(
            QueuesPage.done(
                action: action, queue: queue, applied: outcome.applied, refused: outcome.refused, viewer: viewer))
    }

    func forbidden(_ viewer: Viewer, _ message: String) -> Response {
        .html(
            PageLayout.page(
                title: "Not allowed", section: nil, viewer: viewer,
                main: "<p>\(message) You are signed in as \(viewer.name) (\(viewer.role)).</p>"),
            status: 403)
    }

    static func form(_ request: Request) async -> FormData {
        var request = request
        guard let body = try? await request.collectBody(upTo: FormGuard.maxForm) else { return FormData("") }
        return FormData(String(buffer: body))
    }
}

extension Response {
    /// An HTML page.
    static func html(_ page: HTML, status: Int = 200) -> Response {
        raw(Data(page.description.utf8), status: status, contentType: "text/html; charset=utf-8")
    }
}
