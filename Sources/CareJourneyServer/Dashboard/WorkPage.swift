import CareJourneyCore
import CareJourneyStore
import Foundation

/// The worklists' pages: "My work" (the tasks I hold and the cases allocated to me), a team's work, and each
/// people's queue, with links between them.
enum WorkPage {
    /// "My work".
    static func mine(
        _ list: Worklist, tasks: WorklistPage, cases: [AllocatedCase], now: Date, viewer: Viewer, policy: Policy,
        notice: String?, errors: HTML?
    ) -> HTML {
        let rows = HTML(
            joining: cases.map { item in
                """
                <tr><td><a href="/cases/\(item.id.rawValue)">\(item.id.rawValue)</a></td><td>\(item.personName ?? "")</td>\
                <td>\(item.stage)</td><td>\(item.nextDue.map { UKTime.element($0, dayOnly: true) } ?? "—")</td></tr>
                """
            })
        let allocated: HTML =
            cases.isEmpty
            ? "<p data-empty>No open cases are allocated to you.</p>"
            : """
            <div class="table-wrap"><table id="my-cases-table"><caption>Open cases allocated to you</caption>
            <thead><tr><th scope="col">Case</th><th scope="col">Name</th><th scope="col">Stage</th>\
            <th scope="col">Next due</th></tr></thead><tbody>\(rows)</tbody></table></div>
            """
        return PageLayout.page(
            title: "My work", section: .work, viewer: viewer,
            main: """
                \(errors)\(PageLayout.notice(notice))
                \(links(policy, viewer: viewer, current: "/work"))
                <h2>Tasks you hold</h2>
                \(list.render(tasks, id: "my-tasks", caption: "Tasks you hold", now: now, viewer: viewer, policy: policy))
                <h2>Cases allocated to you</h2>
                <div id="my-cases" data-live>\(allocated)</div>
                """)
    }

    /// A team's work, or a people's queue.
    static func list(
        _ list: Worklist, title: String, tasks: WorklistPage, now: Date, viewer: Viewer, policy: Policy,
        notice: String?, errors: HTML?
    ) -> HTML {
        PageLayout.page(
            title: title, section: .work, viewer: viewer,
            main: """
                \(errors)\(PageLayout.notice(notice))
                \(links(policy, viewer: viewer, current: list.path))
                \(list.render(tasks, id: "worklist", caption: title, now: now, viewer: viewer, policy: policy))
                """)
    }

    /// The worklists there are: mine, my team's, and each people's queue.
    private static func links(_ policy: Policy, viewer: Viewer, current: String) -> HTML {
        func item(_ path: String, _ label: String) -> HTML {
            let here: HTML? = path == current ? " aria-current=\"page\"" : nil
            return "<li><a href=\"\(path)\"\(here)>\(label)</a></li>"
        }
        let team = viewer.principal?.team
        let mine = [item("/work", "My work"), item("/work/team", team.map { "My team's work (\($0))" } ?? "A team's work")]
        let queues = policy.peopleQueues.map { item("/work/queues/\(FormData.encode($0))", "Queue: \($0)") }
        return "<nav class=\"worklists\" aria-label=\"Worklists\"><ul>\(HTML(joining: mine + queues))</ul></nav>"
    }
}
