import CareJourneyCore
import Foundation

/// A simulation's weekly figures, week 0 first: by queue (tasks created, done, waiting and overdue at the week's
/// end), reviews (due, done on time, done late, overdue at the week's end) and cases by stage at the week's end.
public struct WeeklyFigures: Codable, Sendable, Hashable {
    /// The first instant of week 0.
    public var start: Date
    /// How many weeks.
    public var weeks: Int
    /// The council the profile describes, and the policy.
    public var council: String
    public var policy: String
    /// The seed the run used.
    public var seed: UInt64
    /// Figures for each queue, by queue name.
    public var queues: [String: QueueFigures]
    /// Formal reviews (first formal, planned and unplanned ones that re-base the cycle).
    public var reviews: ReviewFigures
    /// Open cases at each week's end, by stage.
    public var stages: [String: [Int]]
    /// New contacts each week.
    public var arrivals: [Int]
    /// Cases closed each week.
    public var closures: [Int]
    /// Events the core refused (0 unless the simulator sends something a case does not accept), with the first few
    /// reasons.
    public var refusals: Int
    public var refusalExamples: [String]
    /// Events the core refused on cases taken from a live store: their plans and choices are people's own, and the
    /// simulator cannot always move them on (a plan over the high-cost threshold waits for a panel it does not
    /// ask, say); such a case stays where it stands.
    public var liveRefusals: Int
    /// Events applied through the core.
    public var eventsApplied: Int

    /// One queue's figures.
    public struct QueueFigures: Codable, Sendable, Hashable {
        public var created: [Int]
        /// Finished by the team (or, for a task no one answers, completed by the journey) in the week.
        public var done: [Int]
        /// Created and not yet started by anyone at the week's end (waiting behind the team's capacity).
        public var waiting: [Int]
        /// Open longer than the team's `overdue-after-days` at the week's end.
        public var overdue: [Int]
    }

    /// The review cycle's figures.
    public struct ReviewFigures: Codable, Sendable, Hashable {
        /// Formal reviews whose due date falls in the week (done by then, or missed).
        public var due: [Int]
        /// Formal reviews done in the week by their due date.
        public var doneOnTime: [Int]
        /// Formal reviews done in the week after their due date.
        public var doneLate: [Int]
        /// Cases with a formal review overdue at the week's end.
        public var overdue: [Int]
    }

    /// The queues, in name order.
    public var queueNames: [String] { queues.keys.sorted() }

    /// A sample's figures as the whole council's: every count of cases, tasks and reviews multiplied by `factor`
    /// (the whole caseload over the sample's) and rounded. The refusals and events applied stay the run's own.
    public func scaled(by factor: Double) -> WeeklyFigures {
        func scale(_ values: [Int]) -> [Int] { values.map { Int((Double($0) * factor).rounded()) } }
        var figures = self
        figures.queues = queues.mapValues { queue in
            QueueFigures(
                created: scale(queue.created), done: scale(queue.done), waiting: scale(queue.waiting),
                overdue: scale(queue.overdue))
        }
        figures.reviews = ReviewFigures(
            due: scale(reviews.due), doneOnTime: scale(reviews.doneOnTime), doneLate: scale(reviews.doneLate),
            overdue: scale(reviews.overdue))
        figures.stages = stages.mapValues(scale)
        figures.arrivals = scale(arrivals)
        figures.closures = scale(closures)
        return figures
    }

    /// The stages with any case in any week, in the journey's order.
    public var stageNames: [String] {
        Stage.allCases.map(\.rawValue).filter { stages[$0]?.contains(where: { $0 != 0 }) == true }
    }

    /// The figures as JSON (keys sorted, so that two runs of a seed compare byte for byte).
    public func json() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        // Encoding plain arrays and dictionaries of numbers cannot fail.
        return (try? encoder.encode(self)) ?? Data()
    }

    /// The figures as CSV, one row per week and measure: `week,week_start,group,name,measure,value`.
    public func csv() -> String {
        var out = "week,week_start,group,name,measure,value\n"
        let day = ISO8601DateFormatter()
        day.formatOptions = [.withFullDate]
        for week in 0..<weeks {
            let prefix = "\(week),\(day.string(from: start.addingTimeInterval(Double(week) * 604_800)))"
            for name in queueNames {
                let q = queues[name]!
                for (measure, values) in [
                    ("created", q.created), ("done", q.done), ("waiting", q.waiting),
                    ("overdue", q.overdue),
                ] {
                    out += "\(prefix),queue,\(name),\(measure),\(values[week])\n"
                }
            }
            for (measure, values) in [
                ("due", reviews.due), ("done-on-time", reviews.doneOnTime),
                ("done-late", reviews.doneLate), ("overdue", reviews.overdue),
            ] {
                out += "\(prefix),reviews,formal,\(measure),\(values[week])\n"
            }
            for stage in stageNames { out += "\(prefix),stage,\(stage),open,\(stages[stage]![week])\n" }
            out += "\(prefix),cases,all,arrivals,\(arrivals[week])\n"
            out += "\(prefix),cases,all,closures,\(closures[week])\n"
        }
        return out
    }
}
