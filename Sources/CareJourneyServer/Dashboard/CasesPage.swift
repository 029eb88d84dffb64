import CareJourneyCore
import CareJourneyStore
import Foundation

/// The list of cases: search and filters (state, queue, overdue, team, allocated worker, name or id), paged,
/// each row with its next due milestone.
enum CasesPage {
    static func render(
        _ page: CasePage, filter: CaseFilter, queues: [String], viewer: Viewer, errors: [String] = []
    ) -> HTML {
        let rows = HTML(joining: page.cases.map(row))
        let next: HTML? = page.nextCursor.map { cursor in
            "<a href=\"/cases?\(query(filter, cursor: cursor))\" rel=\"next\">Next page</a>"
        }
        let first: HTML? =
            filter.cursor == nil ? nil : "<a href=\"/cases?\(query(filter, cursor: nil))\">First page</a>"
        let table: HTML =
            page.cases.isEmpty
            ? "<p id=\"no-cases\">No cases match these filters.</p>"
            : """
            <div class="table-wrap"><table id="case-table">
            <caption>Cases, oldest first</caption>
            <thead><tr><th scope="col">Case</th><th scope="col">Name</th><th scope="col">Stage</th>\
            <th scope="col">Team</th><th scope="col">Allocated to</th><th scope="col">Next due</th>\
            <th scope="col">Last change</th></tr></thead>
            <tbody>\(rows)</tbody></table></div>
            """
        let newContact: HTML? =
            viewer.canAct ? "<p><a href=\"/cases/new\" id=\"new-contact\">Record a new contact</a></p>" : nil
        return PageLayout.page(
            title: "Cases", section: .cases, viewer: viewer,
            main: """
                \(PageLayout.errors(errors))
                \(newContact)
                \(form(filter, queues: queues))
                <div id="case-list" data-live>
                <p class="hint" id="case-count">\(page.cases.count) \(page.cases.count == 1 ? "case" : "cases") on this page.</p>
                \(table)
                <nav class="pager" aria-label="Pages">\(first)\(next)</nav>
                </div>
                """)
    }

    private static func row(_ summary: CaseSummary) -> HTML {
        let overdue: HTML? = summary.overdue ? " <span class=\"tag overdue\">review overdue</span>" : nil
        let next: HTML =
            summary.nextDue.map { due in
                let timer = summary.nextTimer.flatMap(TimerName.init(rawValue:))
                return "\(summary.nextTimer ?? "") \(UKTime.due(due, timer: timer, dayOnly: true))"
            } ?? "—"
        return """
            <tr><td><a href="/cases/\(summary.id.rawValue)">\(summary.id.rawValue)</a></td><td>\(summary.name)</td>\
            <td>\(summary.stage.rawValue)\(overdue)</td><td>\(summary.team ?? "—")</td><td>\(summary.worker ?? "—")</td>\
            <td>\(next)</td><td>\(UKTime.element(summary.updatedAt))</td></tr>
            """
    }

    private static func form(_ filter: CaseFilter, queues: [String]) -> HTML {
        func option(_ value: String, _ label: String, selected: Bool) -> HTML {
            let chosen: HTML? = selected ? " selected" : nil
            return "<option value=\"\(value)\"\(chosen)>\(label)</option>"
        }
        let stages = HTML(
            joining: [option("", "Any stage", selected: filter.stage == nil)]
                + Stage.allCases.filter { $0 != .new }.map {
                    option($0.rawValue, $0.rawValue, selected: filter.stage == $0)
                })
        let queueOptions = HTML(
            joining: [option("", "Any queue", selected: filter.queue == nil)]
                + queues.map { option($0, $0, selected: filter.queue == $0) })
        let overdue: HTML? = filter.overdue == true ? " checked" : nil
        return """
            <form class="filters" method="get" action="/cases" role="search" aria-label="Find cases">
            <div><label for="q">Name or case id</label>\
            <input type="search" id="q" name="q" value="\(filter.query ?? "")"></div>
            <div><label for="state">Stage</label><select id="state" name="state">\(stages)</select></div>
            <div><label for="queue">Open task on queue</label><select id="queue" name="queue">\(queueOptions)</select></div>
            <div><label for="team">Team</label><input type="text" id="team" name="team" value="\(filter.team ?? "")"></div>
            <div><label for="worker">Allocated to</label>\
            <input type="text" id="worker" name="worker" value="\(filter.worker ?? "")"></div>
            <div><input type="checkbox" id="overdue" name="overdue" value="true"\(overdue)> \
            <label for="overdue" class="inline">Overdue review only</label></div>
            <div><button type="submit">Find cases</button> <a href="/cases">Clear filters</a></div>
            </form>
            """
    }

    /// The filter as a query string, for paging links.
    static func query(_ filter: CaseFilter, cursor: String?) -> String {
        var parts: [(String, String)] = []
        if let query = filter.query { parts.append(("q", query)) }
        if let stage = filter.stage { parts.append(("state", stage.rawValue)) }
        if let queue = filter.queue { parts.append(("queue", queue)) }
        if let team = filter.team { parts.append(("team", team)) }
        if let worker = filter.worker { parts.append(("worker", worker)) }
        if let overdue = filter.overdue { parts.append(("overdue", String(overdue))) }
        if let cursor { parts.append(("cursor", cursor)) }
        return parts.map { "\($0)=\(FormData.encode($1))" }.joined(separator: "&")
    }
}
