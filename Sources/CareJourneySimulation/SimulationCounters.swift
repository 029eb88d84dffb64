import CareJourneyCore
import Foundation

/// The weekly counters, in flat arrays: `(row × (weeks + 1)) + week`. Snapshots (waiting, overdue, stages) are kept
/// as changes in the week they happen and summed at the end; the extra last column holds changes after the horizon
/// (and a change before week 0 counts in week 0).
struct SimulationCounters {
    let weeks: Int
    let start: Double
    let queueCount: Int
    private var width: Int { weeks + 1 }

    var created: [Int]
    var done: [Int]
    var waitingChange: [Int]
    var overdueChange: [Int]
    var reviewsDue: [Int]
    var reviewsOnTime: [Int]
    var reviewsLate: [Int]
    var reviewsOverdueChange: [Int]
    var stageChange: [Int]
    var arrivals: [Int]
    var closures: [Int]

    init(weeks: Int, start: Double, queues: Int) {
        self.weeks = weeks
        self.start = start
        queueCount = queues
        let row = Array(repeating: 0, count: weeks + 1)
        created = Array(repeating: 0, count: queues * (weeks + 1))
        done = created
        waitingChange = created
        overdueChange = created
        reviewsDue = row
        reviewsOnTime = row
        reviewsLate = row
        reviewsOverdueChange = row
        stageChange = Array(repeating: 0, count: Stage.allCases.count * (weeks + 1))
        arrivals = row
        closures = row
    }

    /// The week of `t`, if it is within the horizon.
    func week(_ t: Double) -> Int? {
        guard t >= start else { return nil }
        let w = Int((t - start) / 604_800)
        return w < weeks ? w : nil
    }

    /// The column for a change at `t`: its week, week 0 before the start, the extra column after the horizon.
    func column(_ t: Double) -> Int {
        guard t > start else { return 0 }
        guard t.isFinite else { return weeks }
        return min(Int((t - start) / 604_800), weeks)
    }

    mutating func count(_ array: WritableKeyPath<Self, [Int]>, row: Int = 0, at t: Double) {
        if let w = week(t) { self[keyPath: array][row * width + w] += 1 }
    }

    mutating func change(_ array: WritableKeyPath<Self, [Int]>, row: Int = 0, at t: Double, by delta: Int) {
        self[keyPath: array][row * width + column(t)] += delta
    }

    /// Row `row` of `array`, as counted (`cumulative` false) or summed up to each week's end.
    func series(_ array: [Int], row: Int = 0, cumulative: Bool) -> [Int] {
        var out: [Int] = []
        out.reserveCapacity(weeks)
        var total = 0
        for w in 0..<weeks {
            let value = array[row * width + w]
            total += value
            out.append(cumulative ? total : value)
        }
        return out
    }
}
