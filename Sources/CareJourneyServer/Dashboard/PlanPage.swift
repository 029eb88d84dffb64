import CareJourneySimulation
import Foundation

/// Plan: the next 12 weeks per team, forecast from the live caseload by `carejourney simulate`'s simulator (the
/// same journey core), made in the background; the page says as of when. Figures only, no person's data.
enum PlanPage {
    static func render(_ state: PlanForecastService.State, viewer: Viewer) -> HTML {
        let main: HTML
        switch state {
        case .waiting:
            main = "<p id=\"plan-waiting\">The first forecast is being made in the background; reload in a moment.</p>"
        case .failed(let message):
            main = """
                <p id="plan-failed">No forecast: \(message)</p>
                <p>The forecast uses a simulation profile's mix, step durations and staff (docs/simulation.md): start \
                <code>carejourney serve</code> with <code>--plan-profile FILE</code> naming the policy's queues.</p>
                """
        case .made(let forecast):
            main = made(forecast)
        }
        return PageLayout.page(title: "Plan: the next 12 weeks", section: .plan, viewer: viewer, main: main)
    }

    private static func made(_ forecast: PlanForecastService.Forecast) -> HTML {
        let figures = forecast.figures
        let weeks = 0..<figures.weeks
        let header = HTML(
            joining: weeks.map { week -> HTML in
                "<th scope=\"col\" class=\"num\">\(SimulationReport.day(figures.start, week))</th>"
            })
        func row(_ label: String, _ values: [Int], _ measure: String) -> HTML {
            let cells = HTML(joining: values.map { value -> HTML in "<td class=\"num\">\(value)</td>" })
            return "<tr data-measure=\"\(measure)\"><th scope=\"row\">\(label)</th>\(cells)</tr>"
        }
        var sections: [HTML] = []
        sections.append(
            """
            <h2>Reviews</h2>
            <div class="table-wrap"><table id="plan-reviews"><caption>Formal reviews by week (week starting)</caption>
            <thead><tr><th scope="col">Measure</th>\(header)</tr></thead><tbody>
            \(row("Due", figures.reviews.due, "due"))\(row("Done on time", figures.reviews.doneOnTime, "done-on-time"))\
            \(row("Done late", figures.reviews.doneLate, "done-late"))\(row("Overdue at the week's end", figures.reviews.overdue, "overdue"))
            </tbody></table></div>
            """)
        for queue in figures.queueNames {
            guard let q = figures.queues[queue], (q.created + q.waiting).contains(where: { $0 > 0 }) else { continue }
            let chart = SimulationReport.lineChart(
                title: "\(queue): waiting at the week's end", series: [(q.waiting, SimulationReport.baseColour)],
                start: figures.start, weeks: figures.weeks)
            sections.append(
                """
                <h2>\(queue)</h2>
                <div class="table-wrap"><table data-queue="\(queue)"><caption>Tasks on \(queue) by week</caption>
                <thead><tr><th scope="col">Measure</th>\(header)</tr></thead><tbody>
                \(row("Created", q.created, "created"))\(row("Done", q.done, "done"))\
                \(row("Waiting at the week's end", q.waiting, "waiting"))\(row("Overdue at the week's end", q.overdue, "overdue"))
                </tbody></table></div>
                <div class="plan-chart">\(HTML(stringLiteral: chart))</div>
                """)
        }
        let sampled: HTML? =
            forecast.simulatedCases < forecast.openCases
            ? """
             — an even sample of \(forecast.simulatedCases) of them simulated, with new contacts and each team's \
            staff in the same proportion, and the figures scaled up to the whole caseload
            """ : nil
        return """
            <p id="plan-as-of">Forecast as of \(UKTime.element(forecast.asOf)), from \(forecast.openCases) open \
            case(s)\(sampled) and \(String(format: "%.1f", forecast.contactsPerWeek)) new contacts a week (the last 12 \
            months' rate), simulated in \(String(format: "%.1f", forecast.seconds)) s. It is remade every hour in \
            the background.</p>
            \(HTML(joining: sections))
            """
    }
}
