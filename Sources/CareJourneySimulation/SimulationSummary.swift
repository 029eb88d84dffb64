import Foundation

/// A run's headline figures in words, and with a comparison the difference each way: per year and at the peak
/// week (for example "+3,120 reviews a year, +60 a week at peak").
public struct SimulationSummary: Sendable {
    /// The figures summarised.
    public let figures: WeeklyFigures
    /// The what-if compared with them, if any.
    public let comparison: WeeklyFigures?

    /// Summarises `figures`, against `comparison` when given.
    public init(_ figures: WeeklyFigures, comparison: WeeklyFigures? = nil) {
        self.figures = figures
        self.comparison = comparison
    }

    /// One line per measure: the base's yearly total and, with a comparison, the difference.
    public struct Line: Sendable, Hashable {
        public let measure: String
        /// A year's worth (52 weeks) of a weekly count, or the peak of a week-end count.
        public let base: Int
        public let compared: Int?
        /// `"+3,120 a year, +60 a week at peak"`, or empty without a comparison.
        public let difference: String
    }

    /// The measures: reviews, then each queue with tasks.
    public var lines: [Line] {
        var lines: [Line] = []
        func flow(_ measure: String, _ unit: String, _ pick: (WeeklyFigures) -> [Int]) {
            let a = pick(figures)
            let b = comparison.map(pick)
            lines.append(
                Line(
                    measure: measure, base: perYear(a), compared: b.map(perYear),
                    difference: b.map { Self.flowDifference(a, $0, unit: unit, weeks: figures.weeks) } ?? ""))
        }
        func level(_ measure: String, _ pick: (WeeklyFigures) -> [Int]) {
            let a = pick(figures)
            let b = comparison.map(pick)
            lines.append(
                Line(
                    measure: measure, base: a.max() ?? 0, compared: b.map { $0.max() ?? 0 },
                    difference: b.map { Self.levelDifference(a, $0) } ?? ""))
        }
        flow("formal reviews due a year", "reviews") { $0.reviews.due }
        flow("formal reviews done on time a year", "reviews") { $0.reviews.doneOnTime }
        flow("formal reviews done late a year", "reviews") { $0.reviews.doneLate }
        level("formal reviews overdue, peak week", { $0.reviews.overdue })
        for queue in figures.queueNames where figures.queues[queue]!.created.contains(where: { $0 > 0 }) {
            flow("\(queue): tasks created a year", "tasks") { $0.queues[queue]?.created ?? [] }
            level("\(queue): tasks waiting, peak week", { $0.queues[queue]?.waiting ?? [] })
            level("\(queue): tasks overdue, peak week", { $0.queues[queue]?.overdue ?? [] })
        }
        return lines
    }

    private func perYear(_ values: [Int]) -> Int {
        Int((Double(values.reduce(0, +)) * 52 / Double(max(figures.weeks, 1))).rounded())
    }

    /// `"+3,120 reviews a year, +60 a week at peak"`: the yearly difference, and the weekly difference largest in size.
    static func flowDifference(_ a: [Int], _ b: [Int], unit: String, weeks: Int) -> String {
        let yearly = Int((Double(b.reduce(0, +) - a.reduce(0, +)) * 52 / Double(max(weeks, 1))).rounded())
        let peak = zip(a, b).map { $1 - $0 }.max { abs($0) < abs($1) } ?? 0
        return "\(signed(yearly)) \(unit) a year, \(signed(peak)) a week at peak"
    }

    /// `"+120 at peak (week 30)"`: the week-end difference largest in size.
    static func levelDifference(_ a: [Int], _ b: [Int]) -> String {
        let differences = zip(a, b).map { $1 - $0 }
        guard let week = differences.indices.max(by: { abs(differences[$0]) < abs(differences[$1]) }) else { return "" }
        return "\(signed(differences[week])) at peak (week \(week))"
    }

    /// A number with its sign and thousands separated: `+3,120`, `-60`, `0`.
    public static func signed(_ n: Int) -> String { (n > 0 ? "+" : "") + n.grouped }

    /// The summary as text for a terminal.
    public var text: String {
        var out = "\(figures.council) under '\(figures.policy)'"
        if let comparison { out += " compared with '\(comparison.policy)'" }
        out +=
            ", \(figures.weeks) weeks from \(figures.start.formatted(.iso8601.year().month().day())), seed \(figures.seed)\n"
        for line in lines {
            out += "  \(line.measure): \(line.base.grouped)"
            if let compared = line.compared { out += " → \(compared.grouped) (\(line.difference))" }
            out += "\n"
        }
        out += "  events applied through the core: \(figures.eventsApplied.grouped)"
        if figures.refusals > 0 { out += "; refused: \(figures.refusals)" }
        return out
    }
}
