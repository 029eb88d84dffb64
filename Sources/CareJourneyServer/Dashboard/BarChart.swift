import Foundation

/// A simple horizontal bar chart in SVG: one row a label, each bar of one or more coloured segments, the figures
/// written beside it. Colours come from CSS classes; the chart carries its summary as its accessible name, and the
/// page puts the same figures in a table.
struct BarChart: Sendable {
    /// One part of a bar: a count and the class that colours it.
    struct Segment: Sendable {
        let value: Int
        let style: String
    }

    /// One bar.
    struct Row: Sendable {
        let label: String
        let segments: [Segment]
        /// What is written after the bar (the figures in words).
        let note: String
    }

    let title: String
    let rows: [Row]

    private static let labelWidth = 190.0
    private static let barWidth = 300.0
    private static let rowHeight = 26.0
    private static let width = 760.0

    /// The chart; with no rows, a line saying there is nothing to show.
    var svg: HTML {
        let largest = max(1, rows.map { $0.segments.reduce(0) { $0 + $1.value } }.max() ?? 0)
        let height = Double(max(rows.count, 1)) * Self.rowHeight + 8
        let bars = HTML(
            joining: rows.enumerated().map { index, row in
                let y = 4 + Double(index) * Self.rowHeight
                var x = Self.labelWidth
                var parts: [HTML] = []
                for segment in row.segments where segment.value > 0 {
                    let length = Self.barWidth * Double(segment.value) / Double(largest)
                    parts.append(
                        """
                        <rect class="\(segment.style)" x="\(format(x))" y="\(format(y + 3))" \
                        width="\(format(length))" height="18"/>
                        """)
                    x += length
                }
                return """
                    <text x="\(format(Self.labelWidth - 8))" y="\(format(y + 17))" text-anchor="end">\(row.label)</text>\
                    \(HTML(joining: parts))\
                    <text x="\(format(x + 8))" y="\(format(y + 17))">\(row.note)</text>
                    """
            })
        let empty: HTML? =
            rows.isEmpty ? "<text x=\"\(format(Self.labelWidth))\" y=\"21\">none in the period</text>" : nil
        return """
            <svg class="chart" viewBox="0 0 \(format(Self.width)) \(format(height))" role="img" \
            aria-label="\(title)"><title>\(title)</title>\(bars)\(empty)</svg>
            """
    }

    private func format(_ value: Double) -> String {
        value.rounded() == value ? String(Int(value)) : String(format: "%.1f", value)
    }
}
