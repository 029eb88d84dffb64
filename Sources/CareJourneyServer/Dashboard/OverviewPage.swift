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
                <p class="hint">Counts at \(UKTime.element(figures.at)); \(summaryTime(figures.summaryAt)).</p>
                <div class="grid">
                \(withoutNextStep(figures.withoutNextStep))
                <div class="panel"><span class="figure" data-figure="open-cases">\(open)</span> open cases</div>
                <div class="panel"><span class="figure" data-figure="overdue-reviews">\(figures.overdue)</span> \
                <a href="/cases?overdue=true">cases with an overdue review</a></div>
                <div class="panel"><span class="figure" data-figure="failed-tasks">\(figures.queues.reduce(0) { $0 + $1.failed })</span> \
                <a href="/queues">failed tasks</a> waiting for the operations team</div>
                </div>
                <h2>The journey</h2>
                \(mapSection)
                \(stageTable(figures))
                <h2>Reviews</h2>
                \(reviews(figures.reviews, overdue: figures.overdue))
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
                <td>\(wait(stage.averageWait))</td><td>\(wait(stage.longestWait))</td></tr>
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

    /// When the waits, the oldest tasks and the reviews were read, or that they are being read.
    private static func summaryTime(_ at: Date?) -> HTML {
        at.map { "waits, oldest tasks and reviews due as read at \(UKTime.element($0))" }
            ?? "waits, oldest tasks and reviews due are being read"
    }

    private static func wait(_ seconds: TimeInterval?) -> HTML {
        seconds.map { "\(UKTime.duration($0))" } ?? "<span class=\"hint\">being read</span>"
    }

    private static func reviews(_ reviews: ReviewFigures?, overdue: Int) -> HTML {
        let due = ["informal", "first-formal", "planned"].map { reviews?.dueThisWeek[$0] ?? 0 }
        let dueNow: HTML =
            reviews == nil
            ? "<p class=\"hint\">Being read.</p>"
            : """
            <p><span class="figure" data-figure="reviews-due">\(due.reduce(0, +))</span> \
            (\(due[0]) informal, \(due[1]) first formal, \(due[2]) planned)</p>
            """
        return """
            <div class="grid">
            <div class="panel"><h3>Due in the next 7 days</h3>
            \(dueNow)</div>
            <div class="panel"><h3>Overdue now</h3><p><span class="figure">\(overdue)</span> \
            <a href="/cases?overdue=true">see the cases</a></p></div>
            </div>
            """
    }
}
