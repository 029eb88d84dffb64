import CareJourneyCore
import CareJourneyStore
import Foundation
import HTTPTypes
import Hummingbird

/// The worklists' routes: "My work", a team's work, each people's queue, and taking, handing back and allocating
/// tasks — each an event on the task's case through `CaseCommands`, as every other command.
extension Dashboard {
    /// Open cases "My work" lists at most.
    static let allocatedShown = 200

    func addWorkRoutes<Context: RequestContext>(
        to router: Router<Context>, viewer: @escaping @Sendable (Request, Context) -> Viewer
    ) {
        router.get("/work") { request, context in
            let query = FormData(request.uri.query ?? "")
            return try await self.work(Worklist(.mine, query), viewer(request, context), query)
        }
        router.get("/work/team") { request, context -> Response in
            let query = FormData(request.uri.query ?? "")
            let viewer = viewer(request, context)
            guard let team = query["team"] ?? viewer.principal?.team else {
                return .html(
                    PageLayout.page(
                        title: "A team's work", section: .work, viewer: viewer,
                        main: """
                            <p>You are in no team. Name one to see its work.</p>
                            <form class="filters" method="get" action="/work/team"><div><label for="team">Team</label>\
                            <input type="text" id="team" name="team" required></div>\
                            <div><button type="submit">Show its work</button></div></form>
                            """))
            }
            return try await self.work(Worklist(.team(team), query), viewer, query)
        }
        router.get("/work/queues/:queue") { request, context -> Response in
            let queue = context.parameters.get("queue") ?? ""
            let viewer = viewer(request, context)
            guard self.engine.policy.peopleQueues.contains(queue) else {
                return .html(
                    PageLayout.page(
                        title: "No people's queue \(queue)", section: .work, viewer: viewer,
                        main: "<p>People serve no queue of that name. <a href=\"/work\">My work</a> lists those they do.</p>"),
                    status: 404)
            }
            let query = FormData(request.uri.query ?? "")
            return try await self.work(Worklist(.queue(queue), query), viewer, query)
        }
        for event in [EventName.takeTask, .handBackTask, .allocateTask] {
            router.post("/work/tasks/\(event.rawValue)") { request, context in
                try await self.holding(event, form: await Self.form(request), viewer(request, context))
            }
        }
    }

    private func work(_ list: Worklist, _ viewer: Viewer, _ query: FormData) async throws(Problem) -> Response {
        guard let principal = viewer.principal else { throw Problem.storeUnreadable }
        let now = clock.now()
        let policy = engine.policy
        do {
            let tasks = try await engine.store.worklist(list.query(for: viewer.name, policy: policy, at: now))
            let cases = list.scope == .mine
                ? try await engine.store.cases(allocatedTo: viewer.name, limit: Self.allocatedShown) : []
            do {
                try await reads.recordList(
                    tasks.items.map(\.task.caseID) + cases.map(\.id), by: principal, through: .list,
                    query: list.link(), detail: "worklist")
            } catch {
                return Self.unrecorded(viewer)
            }
            let notice = query["notice"]
            let errors = PageLayout.errors(query["error"].map { [$0] } ?? [], linkedTo: query["field"])
            switch list.scope {
            case .mine:
                return .html(
                    WorkPage.mine(
                        list, tasks: tasks, cases: cases, now: now, viewer: viewer, policy: policy, notice: notice,
                        errors: errors))
            case .team(let team):
                return .html(
                    WorkPage.list(
                        list, title: "Work of the team \(team)", tasks: tasks, now: now, viewer: viewer,
                        policy: policy, notice: notice, errors: errors))
            case .queue(let queue):
                return .html(
                    WorkPage.list(
                        list, title: "Queue: \(queue)", tasks: tasks, now: now, viewer: viewer, policy: policy,
                        notice: notice, errors: errors))
            }
        } catch {
            throw Problem.storeUnreadable
        }
    }

    /// Takes, hands back or allocates the form's task, then goes back to the page it came from, saying what was
    /// done or why not.
    private func holding(_ name: EventName, form: FormData, _ viewer: Viewer) async throws(Problem) -> Response {
        let back = Self.safeReturn(form["back"])
        func answer(_ key: String, _ message: String, field: String? = nil) -> Response {
            let separator = back.contains("?") ? "&" : "?"
            let anchor = field.map { "&field=\(FormData.encode($0))" } ?? ""
            return Response(
                status: .seeOther,
                headers: [.location: "\(back)\(separator)\(key)=\(FormData.encode(message))\(anchor)"])
        }
        guard let principal = viewer.principal else { throw Problem.storeUnreadable }
        guard let text = form["task"], let task = TaskID(text) else {
            return answer("error", "Choose a task: '\(form["task"] ?? "")' is not a task id like C-12#3.")
        }
        var data: [String: JSONValue] = ["task": .string(task.description)]
        if name == .allocateTask { data["to"] = .string(form["to"] ?? "") }
        let event: Event
        do {
            event = try Event(name: name.rawValue, data: .object(data))
        } catch {
            return answer("error", error.message)
        }
        if let refusal = await commands.attempt(event, on: task.caseID, reason: form["reason"], by: principal) {
            // A person the service does not know is put right in the allocate field, which the summary links to.
            let field = refusal.field == "to" ? TaskButtons.allocateFieldID(task.description) : nil
            return answer("error", refusal.message, field: field)
        }
        switch name {
        case .takeTask: return answer("notice", "You hold task \(task) now.")
        case .handBackTask: return answer("notice", "Task \(task) is back on its queue for anyone to take.")
        default: return answer("notice", "Task \(task) is allocated to \(form["to"] ?? "").")
        }
    }

    /// Where a form may send the browser back to: a worklist or a case page of this service, else "My work" (never
    /// another site).
    static func safeReturn(_ path: String?) -> String {
        guard let path, path.hasPrefix("/work") || path.hasPrefix("/cases/"), !path.hasPrefix("//"),
            !path.contains("\\"), !path.contains("\r"), !path.contains("\n")
        else { return "/work" }
        // A notice or an error already in the address is replaced, not repeated.
        guard var parts = URLComponents(string: path) else { return "/work" }
        parts.queryItems = parts.queryItems?.filter { !["notice", "error", "field"].contains($0.name) }
        if parts.queryItems?.isEmpty == true { parts.queryItems = nil }
        return parts.string ?? "/work"
    }
}
