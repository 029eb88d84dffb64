import CareJourneyCore
import CareJourneyServer
import CareJourneyStore
import CareJourneySamples
import Foundation

/// A fixed, seeded mix of searches like the operations dashboard makes: name fragments, case ids, stages, teams,
/// practitioners, overdue reviews, queues, their combinations, and later pages through the cursor.
struct SearchMix {
    /// One search: its shape, its first page's filter, and how many pages are read.
    struct Search {
        let shape: String
        let filter: CaseFilter
        let pages: Int
    }

    let searches: [Search]

    /// The kinds of search, each with its share of the mix (in hundredths).
    static let shapes: [(name: String, share: Int)] = [
        ("name", 22), ("id", 6), ("state", 10), ("state+team", 10), ("worker", 10), ("overdue", 5), ("queue", 9),
        ("name+state", 5), ("name+team", 4), ("state+overdue", 4), ("queue+team", 4), ("overdue+team", 4),
        ("worker+state", 4), ("queue+state", 3),
    ]

    /// The label later pages are counted under, whatever their shape.
    static let laterPages = "page 2+ (any shape)"

    /// `count` searches over `population`, from its seed.
    init(population: SearchPopulation, queues: [String], count: Int) {
        var random = SplitMix64(seed: population.seed &+ 1)
        func pick<T>(_ values: [T]) -> T { values[Int(random.next() % UInt64(values.count))] }
        let stages = Stage.allCases.filter { $0 != .new }
        var searches: [Search] = []
        for _ in 0..<count {
            var share = Int(random.next() % 100)
            let shape =
                Self.shapes.first { kind in
                    share -= kind.share
                    return share < 0
                }?.name ?? "name"
            var filter = CaseFilter()
            let team = pick(SearchPopulation.teams)
            for part in shape.split(separator: "+") {
                switch part {
                case "name": filter.query = Self.fragment(using: &random)
                case "id": filter.query = "C-\(1 + Int(random.next() % UInt64(population.count)))"
                case "state": filter.stage = pick(stages)
                case "team": filter.team = team
                case "worker": filter.worker = pick(SearchPopulation.workers(of: team))
                case "overdue": filter.overdue = true
                default: filter.queue = pick(queues)
                }
            }
            // Three searches in ten read on, up to four more pages.
            let pages = random.next() % 10 < 3 ? 2 + Int(random.next() % 4) : 1
            searches.append(Search(shape: shape, filter: filter, pages: pages))
        }
        self.searches = searches
    }

    /// The first `count` searches of `mix`.
    init(_ mix: SearchMix, first count: Int) { searches = Array(mix.searches.prefix(count)) }

    /// Part of a generated name, 3 to 8 characters, as typed (often in lower case).
    static func fragment(using random: inout SplitMix64) -> String {
        let name = Array(NameGenerator.name(using: &random))
        let length = min(3 + Int(random.next() % 6), name.count)
        let start = Int(random.next() % UInt64(name.count - length + 1))
        let fragment = String(name[start..<(start + length)])
        return random.next() % 2 == 0 ? fragment.lowercased() : fragment
    }

    /// Runs every search in order, each page through `page` (which returns the next cursor), timing each page.
    func run(_ page: (CaseFilter) async throws -> String?) async throws -> Timings {
        var timings = Timings()
        for search in searches {
            var filter = search.filter
            for number in 1...search.pages {
                let start = ContinuousClock.now
                let next = try await page(filter)
                timings.add(elapsed(since: start) * 1000, to: number == 1 ? search.shape : Self.laterPages)
                guard let next else { break }
                filter.cursor = next
            }
        }
        return timings
    }

    /// Milliseconds a page took, by shape.
    struct Timings {
        private(set) var byShape: [String: [Double]] = [:]

        mutating func add(_ milliseconds: Double, to shape: String) { byShape[shape, default: []].append(milliseconds) }

        /// The `p` quantile (nearest rank) of every page, or of one shape's.
        func percentile(_ p: Double, of shape: String? = nil) -> Double {
            let values = (shape.map { byShape[$0] ?? [] } ?? byShape.values.flatMap { $0 }).sorted()
            guard !values.isEmpty else { return 0 }
            return values[max(0, Int((p * Double(values.count)).rounded(.up)) - 1)]
        }

        /// A table of p50, p95, p99 and max by shape and overall, beside the goal at p95.
        func print(title: String, goal: Double) {
            Swift.print("  \(title):")
            Swift.print("    shape                     pages    p50 ms   p95 ms   p99 ms   max ms")
            let shapes = SearchMix.shapes.map(\.name) + [SearchMix.laterPages]
            for shape in shapes.filter({ byShape[$0] != nil }) + [nil] {
                Swift.print(
                    String(
                        format: "    %@ %7d %9.2f %8.2f %8.2f %8.2f",
                        (shape ?? "overall").padding(toLength: 24, withPad: " ", startingAt: 0),
                        shape.map { byShape[$0]?.count ?? 0 } ?? byShape.values.map(\.count).reduce(0, +),
                        percentile(0.5, of: shape), percentile(0.95, of: shape), percentile(0.99, of: shape),
                        percentile(1, of: shape)))
            }
            let worst = shapes.map { percentile(0.95, of: $0) }.max() ?? 0
            Swift.print(
                String(
                    format:
                        "    goal: p95 <= %.0f ms for every shape — %@ (worst shape's p95 %.1f ms, overall %.1f ms)",
                    goal, worst <= goal ? "met" : "not met", worst, percentile(0.95)))
        }
    }
}
