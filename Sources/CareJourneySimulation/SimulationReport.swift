import Foundation

/// A manager's report of a run as one HTML page: the headline figures, and charts (inline SVG, no external assets,
/// no script) of reviews, each team's queue and cases by stage; with a what-if, both runs on each chart and the
/// differences per year and at the peak.
public struct SimulationReport: Sendable {
    public let figures: WeeklyFigures
    public let comparison: WeeklyFigures?

    /// A report of `figures`, beside `comparison` when given.
    public init(_ figures: WeeklyFigures, comparison: WeeklyFigures? = nil) {
        self.figures = figures
        self.comparison = comparison
    }

    /// The colour of the base run's lines.
    public static let baseColour = "#1d70b8"
    /// The colour of the compared run's lines.
    public static let compareColour = "#d4351c"

    /// The page.
    public var html: String {
        let title = "Simulation: \(figures.council)"
        var body = "<h1>\(escape(title))</h1>\n<p class=\"lede\">"
        body += "Policy <b>\(escape(figures.policy))</b>"
        if let comparison { body += " (blue) compared with <b>\(escape(comparison.policy))</b> (red)" }
        body += ", \(figures.weeks) weeks from \(day(0)), seed \(figures.seed). "
        body += "Each week ends on the day before the next week's date. Figures are for formal reviews "
        body += "(first formal, planned and unplanned); tasks are counted on the queue the policy sends them to.</p>\n"
        body += summaryTable()
        body += "<h2>Reviews</h2>\n<div class=\"grid\">\n"
        body += chart("Formal reviews due each week", { $0.reviews.due })
        body += chart("Formal reviews overdue at the week's end", { $0.reviews.overdue })
        body += chart("Formal reviews done on time each week", { $0.reviews.doneOnTime })
        body += chart("Formal reviews done late each week", { $0.reviews.doneLate })
        body += "</div>\n<h2>Queues and teams</h2>\n"
        body += "<p>Waiting: created and not yet started at the week's end (behind the team's capacity). Overdue: open "
        body += "longer than the team's limit at the week's end.</p>\n<div class=\"grid\">\n"
        for queue in figures.queueNames where figures.queues[queue]!.created.contains(where: { $0 > 0 }) {
            body += chart("\(queue): tasks created each week", { $0.queues[queue]?.created ?? [] })
            body += chart("\(queue): tasks waiting at the week's end", { $0.queues[queue]?.waiting ?? [] })
            body += chart("\(queue): tasks overdue at the week's end", { $0.queues[queue]?.overdue ?? [] })
        }
        body += "</div>\n<h2>Cases by stage at the week's end</h2>\n<div class=\"grid\">\n"
        for stage in figures.stageNames {
            body += chart("\(stage)", { $0.stages[stage] ?? [] })
        }
        body += "</div>\n"
        return """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>\(escape(title))</title>
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <style>
            body { font-family: system-ui, sans-serif; margin: 1.5rem; color: #0b0c0c; max-width: 1400px; }
            h1 { font-size: 1.6rem; margin: 0 0 .3rem; } h2 { font-size: 1.25rem; margin-top: 1.6rem; }
            .lede { color: #333; } table { border-collapse: collapse; margin: .5rem 0; }
            th, td { text-align: left; padding: .25rem .7rem; border-bottom: 1px solid #ccc; font-size: .92rem; }
            td.n { text-align: right; font-variant-numeric: tabular-nums; }
            .up { color: #942514; } .down { color: #005a30; }
            .grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(420px, 1fr)); gap: 1rem; }
            figure { margin: 0; } figcaption { font-size: .9rem; font-weight: 600; margin-bottom: .2rem; }
            svg text { font-size: 11px; fill: #505a5f; }
            </style></head>
            <body>
            \(body)</body></html>

            """
    }

    private func summaryTable() -> String {
        let summary = SimulationSummary(figures, comparison: comparison)
        var out = "<table><thead><tr><th>Measure</th><th>\(escape(figures.policy))</th>"
        if let comparison { out += "<th>\(escape(comparison.policy))</th><th>Difference</th>" }
        out += "</tr></thead><tbody>\n"
        for line in summary.lines {
            out += "<tr><td>\(escape(line.measure))</td><td class=\"n\">\(line.base.grouped)</td>"
            if let compared = line.compared {
                let css = compared > line.base ? "up" : compared < line.base ? "down" : ""
                out += "<td class=\"n\">\(compared.grouped)</td>"
                out += "<td class=\"\(css)\">\(escape(line.difference))</td>"
            }
            out += "</tr>\n"
        }
        return out + "</tbody></table>\n"
    }

    /// One line chart: the base run in blue and the comparison in red, weeks along, counts up.
    private func chart(_ title: String, _ pick: (WeeklyFigures) -> [Int]) -> String {
        let series = [(pick(figures), Self.baseColour)] + (comparison.map { [(pick($0), Self.compareColour)] } ?? [])
        return Self.lineChart(title: title, series: series, start: figures.start, weeks: figures.weeks)
    }

    /// A line chart as inline SVG in a `<figure>` with `title` as its caption: each series a line of its colour,
    /// one point a week from `start`, the counts up the side.
    public static func lineChart(title: String, series: [([Int], String)], start: Date, weeks: Int) -> String {
        let (width, height, left, bottom, top, right) = (440.0, 190.0, 48.0, 24.0, 8.0, 10.0)
        let plotW = width - left - right
        let plotH = height - top - bottom
        let top0 = max(series.flatMap(\.0).max() ?? 0, 1)
        let maxY = Self.niceCeiling(Double(top0))
        let span = max(weeks, 2)
        func x(_ w: Int) -> Double { left + plotW * Double(w) / Double(span - 1) }
        func y(_ v: Int) -> Double { top + plotH * (1 - Double(v) / maxY) }
        func f(_ v: Double) -> String { String(format: "%.1f", v) }
        var svg = "<svg viewBox=\"0 0 \(Int(width)) \(Int(height))\" width=\"100%\" role=\"img\" "
        svg += "aria-label=\"\(escape(title))\" xmlns=\"http://www.w3.org/2000/svg\">"
        for step in 0...4 {
            let value = maxY * Double(step) / 4
            let yy = top + plotH * (1 - Double(step) / 4)
            svg +=
                "<line x1=\"\(f(left))\" x2=\"\(f(width - right))\" y1=\"\(f(yy))\" y2=\"\(f(yy))\" stroke=\"#e5e5e5\"/>"
            svg +=
                "<text x=\"\(f(left - 4))\" y=\"\(f(yy + 4))\" text-anchor=\"end\">\(Int(value).grouped)</text>"
        }
        let every = weeks <= 16 ? 2 : max(13, weeks / 6 / 13 * 13)
        for w in stride(from: 0, to: weeks, by: every) {
            svg += "<text x=\"\(f(x(w)))\" y=\"\(f(height - 6))\" text-anchor=\"middle\">\(day(start, w))</text>"
        }
        for (values, colour) in series where !values.isEmpty {
            let points = values.enumerated().map { "\(f(x($0.offset))),\(f(y($0.element)))" }.joined(separator: " ")
            svg += "<polyline fill=\"none\" stroke=\"\(colour)\" stroke-width=\"1.6\" points=\"\(points)\"/>"
        }
        svg += "</svg>"
        return "<figure><figcaption>\(escape(title))</figcaption>\(svg)</figure>\n"
    }

    static func niceCeiling(_ value: Double) -> Double {
        let magnitude = pow(10, floor(log10(value)))
        for step in [1.0, 2, 2.5, 5, 10] where step * magnitude >= value { return step * magnitude }
        return 10 * magnitude
    }

    private func day(_ week: Int) -> String { Self.day(figures.start, week) }

    /// The first day of week `week` from `start`, as YYYY-MM-DD.
    public static func day(_ start: Date, _ week: Int) -> String {
        start.addingTimeInterval(Double(week) * 604_800).formatted(.iso8601.year().month().day())
    }

    private func escape(_ text: String) -> String { Self.escape(text) }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
