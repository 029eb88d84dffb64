import CareJourneyReports

/// The overview's review timeliness over the last 12 months, from the case histories: the figures of
/// `carejourney report reviews` as charts, with a table of the same numbers.
enum ReviewTimelinessSection {
    static func render(_ figures: ReviewTimeliness?) -> HTML {
        guard let figures else {
            return "<p class=\"hint\">Review timeliness is being read from the case histories; it appears shortly.</p>"
        }
        let teams =
            [("All teams", figures.total)] + figures.byTeam.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        let first = BarChart(
            title: "6–8-week reviews due \(figures.period): on time, late and missing, by team",
            rows: teams.map { team, counts in
                BarChart.Row(
                    label: team,
                    segments: [
                        .init(value: counts.firstOnTime, style: "on-time"),
                        .init(value: counts.firstLate, style: "late"),
                        .init(value: counts.firstMissing, style: "missing"),
                    ],
                    note: "\(counts.firstOnTime) on time, \(counts.firstLate) late, \(counts.firstMissing) missing")
            })
        let yearly = BarChart(
            title: "12-month reviews overdue on \(figures.period.lastDay), by team",
            rows: teams.map { team, counts in
                BarChart.Row(
                    label: team, segments: [.init(value: counts.yearlyOverdue, style: "missing")],
                    note: "\(counts.yearlyOverdue)"
                        + (counts.oldestOverdue.map { ", oldest \($0.caseID) (\($0.daysOverdue) days)" } ?? ""))
            })
        let unplanned = BarChart(
            title: "Unplanned reviews started \(figures.period), by reason",
            rows: figures.total.unplannedByReason.sorted { $0.key < $1.key }.map { reason, count in
                BarChart.Row(label: reason, segments: [.init(value: count, style: "bar")], note: "\(count)")
            })
        return """
            <p class="hint" id="reviews-as-of">From the case histories for \(figures.period) as of \
            \(UKTime.element(figures.asOf)), as <code>carejourney report reviews</code> gives them \
            (<a href="/api/reports/reviews">JSON</a>); read again every few minutes.</p>
            <div class="legend"><span><span class="swatch on-time"></span>on time</span>\
            <span><span class="swatch late"></span>late</span>\
            <span><span class="swatch missing"></span>missing or overdue</span></div>
            <h3>6–8-week reviews</h3>\(first.svg)
            <h3>12-month reviews overdue</h3>\(yearly.svg)
            <h3>Unplanned reviews</h3>\(unplanned.svg)
            \(table(teams))
            """
    }

    private static func table(_ teams: [(String, ReviewTimeliness.Figures)]) -> HTML {
        let rows = HTML(
            joining: teams.map { team, counts in
                let reasons = counts.unplannedByReason.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
                return """
                    <tr data-team="\(team)"><th scope="row">\(team)</th><td class="num">\(counts.firstDue)</td>\
                    <td class="num">\(counts.firstOnTime)</td><td class="num">\(counts.firstLate)</td>\
                    <td class="num">\(counts.firstMissing)</td><td class="num">\(counts.yearlyOverdue)</td>\
                    <td>\(counts.oldestOverdue.map { "\($0.caseID), due \($0.due)" } ?? "–")</td>\
                    <td>\(reasons.isEmpty ? "none" : reasons.joined(separator: ", "))</td></tr>
                    """
            })
        return """
            <div class="table-wrap"><table id="review-timeliness">
            <caption>Review timeliness by team (the figures of the charts)</caption>
            <thead><tr><th scope="col">Team</th><th scope="col" class="num">6–8-week reviews due</th>\
            <th scope="col" class="num">On time</th><th scope="col" class="num">Late</th>\
            <th scope="col" class="num">Missing</th><th scope="col" class="num">12-month overdue</th>\
            <th scope="col">Oldest overdue</th><th scope="col">Unplanned, by reason</th></tr></thead>
            <tbody>\(rows)</tbody></table></div>
            """
    }
}
