import CareJourneyCore
import CareJourneySimulation
import CareJourneyStore
import Foundation

/// One worklist — "My work", a team's work, or a people's queue — with its filters, order and page as the query
/// string gives them, and the table that shows it: each task's case, age, due date (overdue ones stand out) and who
/// holds it, with the take, hand-back and allocate buttons the viewer may use.
struct Worklist: Sendable, Equatable {
    /// Whose tasks the list holds.
    enum Scope: Sendable, Equatable {
        /// Tasks the viewer holds.
        case mine
        /// Tasks of cases of a team.
        case team(String)
        /// Tasks on a people's queue.
        case queue(String)
    }

    /// Who holds the tasks shown.
    enum Holder: String, Sendable, CaseIterable {
        case anyone, nobody, me

        var label: String {
            switch self {
            case .anyone: "Anyone or nobody"
            case .nobody: "Nobody (waiting to be taken)"
            case .me: "Me"
            }
        }
    }

    let scope: Scope
    var order: WorklistQuery.Order = .due
    var kind: TaskKind? = nil
    var holder: Holder = .anyone
    var overdueOnly = false
    /// The page shown, from 1.
    var page = 1

    /// Tasks a page shows.
    static let pageSize = 25

    /// The list `scope` with the filters, order and page `form` gives; a word it does not know is ignored.
    init(_ scope: Scope, _ form: FormData) {
        self.scope = scope
        order = form["sort"].flatMap(WorklistQuery.Order.init(rawValue:)) ?? .due
        kind = form["kind"].flatMap(TaskKind.init(rawValue:))
        holder = form["held"].flatMap(Holder.init(rawValue:)) ?? .anyone
        overdueOnly = form["overdue"] == "true"
        page = max(1, min(10_000, form["page"].flatMap(Int.init) ?? 1))
    }

    /// The store's query for this list, for `viewer`, under `policy`, at `now`.
    func query(for viewer: String, policy: Policy, at now: Date) -> WorklistQuery {
        var query = WorklistQuery(queues: policy.peopleQueues)
        switch scope {
        case .mine: query.heldBy = viewer
        case .team(let team): query.team = team
        case .queue(let queue): query.queues = policy.peopleQueues.filter { $0 == queue }
        }
        switch holder {
        case .anyone: break
        case .nobody: query.unheld = true
        case .me: query.heldBy = viewer
        }
        query.kind = kind
        query.overdueAt = overdueOnly ? now : nil
        query.order = order
        query.offset = (page - 1) * Self.pageSize
        query.limit = Self.pageSize
        return query
    }

    /// The list's own page (`/work`, `/work/team?team=…`, `/work/queues/practice`).
    var path: String {
        switch scope {
        case .mine: "/work"
        case .team: "/work/team"
        case .queue(let queue): "/work/queues/\(FormData.encode(queue))"
        }
    }

    /// A link to this list with `change` made to it.
    func link(_ change: (inout Worklist) -> Void = { _ in }) -> String {
        var list = self
        change(&list)
        var parts: [(String, String)] = []
        if case .team(let team) = scope { parts.append(("team", team)) }
        if list.order != .due { parts.append(("sort", list.order.rawValue)) }
        if let kind = list.kind { parts.append(("kind", kind.rawValue)) }
        if list.holder != .anyone { parts.append(("held", list.holder.rawValue)) }
        if list.overdueOnly { parts.append(("overdue", "true")) }
        if list.page > 1 { parts.append(("page", String(list.page))) }
        let query = parts.map { "\($0)=\(FormData.encode($1))" }.joined(separator: "&")
        return query.isEmpty ? path : "\(path)?\(query)"
    }

    /// The filters, the table and the pager, in a region that updates live.
    func render(
        _ found: WorklistPage, id: String, caption: String, now: Date, viewer: Viewer, policy: Policy
    ) -> HTML {
        let rows = HTML(joining: found.items.map { row($0, now: now, viewer: viewer, policy: policy) })
        let table: HTML =
            found.items.isEmpty
            ? "<p class=\"empty\" data-empty>No tasks here\(filtered ? " with these filters" : "").</p>"
            : """
            <div class="table-wrap"><table id="\(id)-table" class="worklist">
            <caption>\(caption): \(Self.count(found))\(pageNote(found))</caption>
            <thead><tr><th scope="col">Task</th><th scope="col">Case</th><th scope="col">Stage</th>\
            <th scope="col">Queue</th>\(sortHeader(.age, "Age"))\(sortHeader(.due, "Due"))\
            <th scope="col">Held by</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
            <tbody>\(rows)</tbody></table></div>
            """
        return """
            \(filters(id: id))
            <div id="\(id)" data-live>\(table)\(pager(found))</div>
            """
    }

    private var filtered: Bool { kind != nil || holder != .anyone || overdueOnly }

    /// "1 task", "120 tasks", or "1,000 or more tasks" when the count stopped there.
    static func count(_ found: WorklistPage) -> String {
        if found.totalIsAtLeast { return "\(found.total.grouped) or more tasks" }
        return "\(found.total) \(found.total == 1 ? "task" : "tasks")"
    }

    private func pageNote(_ found: WorklistPage) -> String {
        if found.totalIsAtLeast { return ", page \(page)" }
        let pages = max(1, (found.total + Self.pageSize - 1) / Self.pageSize)
        return pages > 1 ? ", page \(page) of \(pages)" : ""
    }

    private func sortHeader(_ column: WorklistQuery.Order, _ label: String) -> HTML {
        let sorted = order == column
        let ariaSort: HTML? = sorted ? " aria-sort=\"ascending\"" : nil
        let hint = column == .due ? "soonest due first" : "oldest first"
        return """
            <th scope="col"\(ariaSort)><a href="\(link { $0.order = column; $0.page = 1 })">\(label)\
            <span class="visually-hidden">\(sorted ? ", sorted \(hint)" : ", sort \(hint)")</span></a></th>
            """
    }

    private func row(_ item: WorklistItem, now: Date, viewer: Viewer, policy: Policy) -> HTML {
        let task = item.task
        let kind = TaskKind(rawValue: task.kind)
        let overdue = TaskDue.isOverdue(task.due, at: now)
        let due: HTML =
            task.due.map { due in
                overdue
                    ? "\(UKTime.element(due, dayOnly: true)) <span class=\"tag overdue\">overdue</span>"
                    : UKTime.element(due, dayOnly: true)
            } ?? "—"
        let holder: HTML =
            task.heldBy.map { $0 == viewer.name ? "<strong>you</strong> (\($0))" : "\($0)" } ?? "<span class=\"hint\">nobody</span>"
        let rowClass: HTML? = overdue ? " class=\"overdue\"" : nil
        return """
            <tr data-task="\(task.id)"\(rowClass)><td><a href="/cases/\(task.caseID.rawValue)#task-\(task.id)">\
            \(kind?.summary ?? task.kind)</a><br><span class="hint">\(task.kind) \(task.id)</span></td>\
            <td><a href="/cases/\(task.caseID.rawValue)">\(task.caseID.rawValue)</a> \(item.personName ?? "")</td>\
            <td>\(item.stage)</td><td>\(task.queue)</td><td>\(UKTime.duration(now.timeIntervalSince(task.createdAt)))</td>\
            <td data-column="due">\(due)</td><td data-column="held-by">\(holder)</td>\
            <td>\(TaskButtons.render(task.id, kind: kind, heldBy: task.heldBy, viewer: viewer, policy: policy, back: link()))</td></tr>
            """
    }

    private func filters(id: String) -> HTML {
        func option(_ value: String, _ label: String, _ selected: Bool) -> HTML {
            "<option value=\"\(value)\"\(selected ? HTML(" selected") : nil)>\(label)</option>"
        }
        let kinds = HTML(
            joining: [option("", "Any kind", kind == nil)]
                + TaskKind.allCases.map { option($0.rawValue, $0.summary, kind == $0) })
        let holders = HTML(joining: Holder.allCases.map { option($0.rawValue, $0.label, holder == $0) })
        let team: HTML? = {
            guard case .team(let team) = scope else { return nil }
            return "<div><label for=\"\(id)-team\">Team</label><input type=\"text\" id=\"\(id)-team\" name=\"team\" value=\"\(team)\"></div>"
        }()
        let holderField: HTML? =
            scope == .mine
            ? nil
            : "<div><label for=\"\(id)-held\">Held by</label><select id=\"\(id)-held\" name=\"held\">\(holders)</select></div>"
        return """
            <form class="filters" method="get" action="\(path)" aria-label="Filter the list">\(team)
            <div><label for="\(id)-kind">Kind of task</label><select id="\(id)-kind" name="kind">\(kinds)</select></div>
            \(holderField)
            <div><label for="\(id)-sort">Order</label><select id="\(id)-sort" name="sort">\
            \(option("due", "Soonest due first", order == .due))\(option("age", "Oldest first", order == .age))</select></div>
            <div><input type="checkbox" id="\(id)-overdue" name="overdue" value="true"\(overdueOnly ? HTML(" checked") : nil)> \
            <label for="\(id)-overdue" class="inline">Overdue only</label></div>
            <div><button type="submit">Apply</button> <a href="\(Worklist(scope, FormData("")).link())">Clear filters</a></div>
            </form>
            """
    }

    private func pager(_ found: WorklistPage) -> HTML {
        let previous: HTML? =
            page > 1 ? "<a href=\"\(link { $0.page -= 1 })\" rel=\"prev\">Previous page</a>" : nil
        let more = found.totalIsAtLeast ? found.items.count == Self.pageSize : page * Self.pageSize < found.total
        let next: HTML? = more ? "<a href=\"\(link { $0.page += 1 })\" rel=\"next\">Next page</a>" : nil
        guard previous != nil || next != nil else { return "" }
        return "<nav class=\"pager\" aria-label=\"Pages\">\(previous) \(next)</nav>"
    }
}
