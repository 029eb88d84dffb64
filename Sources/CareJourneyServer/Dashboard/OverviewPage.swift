import CareJourneyCore
import CareJourneyReports
import CareJourneyStore
import Foundation

/// The overview: the journey map with open cases and waits, the queues, and the reviews (due, overdue, and their
/// timeliness over the last 12 months).
enum OverviewPage {
    static func render(
        _ figures: OverviewFigures, map: JourneyMap?, timeliness: ReviewTimeliness?, ascof: ASCOFMeasures? = nil,
        viewer: Viewer
    ) -> HTML {
        let open = figures.stages.reduce(0) { $0 + $1.cases }
        let mapSection: HTML =
            map.map { map in
                """
                \(map.svg(figures: figures.stages, closed: figures.closed))
                <p class="legend"><strong>Average wait:</strong> \(JourneyMap.legend)</p>
                """
            } ?? "<p class=\"hint\">The journey map is being drawn; it appears on the next update.</p>"
        return PageLayout.page(
            title: "Overview", section: .overview, viewer: viewer,
            main: """
                <div id="overview-figures" data-live>
                <p class="hint">Figures at \(UKTime.element(figures.at)).</p>
                <div class="grid">
                \(withoutNextStep(figures.withoutNextStep))
                <div class="panel"><span class="figure" data-figure="open-cases">\(open)</span> open cases</div>
                <div class="panel"><span class="figure" data-figure="overdue-reviews">\(figures.reviews.overdue)</span> \
                <a href="/cases?overdue=true">cases with an overdue review</a></div>
                <div class="panel"><span class="figure" data-figure="failed-tasks">\(figures.queues.reduce(0) { $0 + $1.failed })</span> \
                <a href="/queues">failed tasks</a> waiting for the operations team</div>
                </div>
                <h2>The journey</h2>
                \(mapSection)
                \(stageTable(figures))
                <h2>Reviews</h2>
                \(reviews(figures.reviews))
                \(ReviewTimelinessSection.render(timeliness))
                <h2>ASCOF measures</h2>
                \(ASCOFSection.render(ascof))
                <h2>Queues</h2>
                \(QueuesPage.queueTable(figures.queues))
                </div>
                """)
    }

    /// Open cases with no next step, in red, linking to their list: shown only when there are any.
    private static func withoutNextStep(_ count: Int?) -> HTML? {
        guard let count, count > 0 else { return nil }
        return """
            <div class="panel alarm"><span class="figure" data-figure="cases-without-next-step">\(count)</span> \
            <a href="/doctor">open cases with no next step</a>: no timer and no task will move them on</div>
            """
    }

    private static func stageTable(_ figures: OverviewFigures) -> HTML {
        let rows = HTML(
            joining: figures.stages.map { stage in
                """
                <tr><th scope="row"><a href="/cases?state=\(stage.stage.rawValue)">\(stage.stage.rawValue)</a></th>\
                <td class="num" data-stage="\(stage.stage.rawValue)">\(stage.cases)</td>\
                <td>\(UKTime.duration(stage.averageWait))</td><td>\(UKTime.duration(stage.longestWait))</td></tr>
                """
            })
        return """
            <div class="table-wrap"><table>
            <caption>Open cases by stage (wait: time since the case's last event)</caption>
            <thead><tr><th scope="col">Stage</th><th scope="col" class="num">Open cases</th>\
            <th scope="col">Average wait</th><th scope="col">Longest wait</th></tr></thead>
            <tbody>\(rows)</tbody></table></div>
            """
    }

    private static func reviews(_ reviews: ReviewFigures) -> HTML {
        let due = ["informal", "first-formal", "planned"].map { reviews.dueThisWeek[$0] ?? 0 }
        return """
            <div class="grid">
            <div class="panel"><h3>Due in the next 7 days</h3>
            <p><span class="figure" data-figure="reviews-due">\(due.reduce(0, +))</span> \
            (\(due[0]) informal, \(due[1]) first formal, \(due[2]) planned)</p></div>
            <div class="panel"><h3>Overdue now</h3><p><span class="figure">\(reviews.overdue)</span> \
            <a href="/cases?overdue=true">see the cases</a></p></div>
            </div>
            """
    }
}
