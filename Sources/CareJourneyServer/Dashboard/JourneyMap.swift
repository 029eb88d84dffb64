import CareJourneyCore
import CareJourneyStore
import Foundation
import Logging

/// The journey as an SVG map, laid out from the transitions the explorer finds in the typed machines (so it
/// cannot drift from them), each stage shaded by how long its open cases have waited: a heat map.
struct JourneyMap: Sendable {
    /// Where each stage is drawn.
    private let positions: [Stage: (x: Double, y: Double)]
    /// Transitions between stages (either way), once each.
    private let links: [(from: Stage, to: Stage)]

    static let box = (width: 136.0, height: 66.0)
    private static let column = 156.0
    private static let row = 96.0
    private static let margin = 16.0

    /// The transitions between stages under `policy`, once each, found by exploring its machines (`JourneyDiagram`):
    /// seconds and hundreds of megabytes, so `Kept` keeps them beside the store for the next start and
    /// `JourneyMapExplorations` for the process's other servers.
    ///
    /// Charging, the plan items and Kent's checklist add conditions and machines beside the journey, never a stage
    /// or a link between stages: the map, which shows the stages only, is drawn without them.
    static func links(of policy: Policy) -> [(from: Stage, to: Stage)] {
        var stages = policy
        stages.charging = nil
        stages.plans = nil
        stages.highCost.checklist = nil
        let edges = JourneyDiagram(policy: stages).edges.filter { $0.machine == .journey }
        var links: [(from: Stage, to: Stage)] = []
        for edge in edges {
            guard let from = Stage(rawValue: edge.from), let to = Stage(rawValue: edge.to), from != to,
                from != .new, !links.contains(where: { $0 == (from, to) })
            else { continue }
            links.append((from, to))
        }
        return links
    }

    /// The map of these transitions between stages.
    init(links: [(from: Stage, to: Stage)]) {
        self.links = links
        // A stage's column is its longest chain of forward transitions from contact; stages in one column are
        // stacked in journey order.
        let order = Stage.allCases.filter { $0 != .new }
        func index(_ stage: Stage) -> Int { order.firstIndex(of: stage) ?? 0 }
        var rank: [Stage: Int] = [:]
        for stage in order {
            let before = links.filter { $0.1 == stage && index($0.0) < index(stage) }.compactMap { rank[$0.0] }
            rank[stage] = (before.max() ?? -1) + 1
        }
        var positions: [Stage: (Double, Double)] = [:]
        var filled: [Int: Int] = [:]
        for stage in order {
            let column = rank[stage] ?? 0
            let slot = filled[column, default: 0]
            filled[column] = slot + 1
            positions[stage] = (Self.margin + Double(column) * Self.column, Self.margin + Double(slot) * Self.row)
        }
        self.positions = positions
    }

    /// The map with each stage's figures; stages without open cases are drawn empty.
    func svg(figures: [OverviewFigures.Stage], closed: Int) -> HTML {
        let byStage = Dictionary(uniqueKeysWithValues: figures.map { ($0.stage, $0) })
        let width = (positions.values.map(\.x).max() ?? 0) + Self.box.width + Self.margin
        // Transitions back along the journey curve below the boxes: room for the deepest of them.
        let deepest =
            links.compactMap { link -> Double? in
                guard let from = positions[link.from], let to = positions[link.to], to.x <= from.x else { return nil }
                return max(from.y, to.y) + Self.box.height + Self.bend(from: from, to: to) * 0.75
            }.max() ?? 0
        let height = max((positions.values.map(\.y).max() ?? 0) + Self.box.height, deepest) + Self.margin
        let arrows = HTML(
            joining: links.compactMap { link -> HTML? in
                guard let from = positions[link.from], let to = positions[link.to] else { return nil }
                return Self.arrow(from: from, to: to)
            })
        let nodes = HTML(
            joining: positions.sorted { $0.key.rawValue < $1.key.rawValue }.map { stage, at in
                node(stage, at: at, figures: byStage[stage], closed: closed)
            })
        return """
            <svg class="journey-map" viewBox="0 0 \(Int(width)) \(Int(height))" role="img" \
            aria-labelledby="map-title map-desc" xmlns="http://www.w3.org/2000/svg">
            <title id="map-title">The journey, with open cases in each stage</title>
            <desc id="map-desc">Each box is a stage with its number of open cases and their average wait since \
            their last event; darker boxes have waited longer. The table below gives the same figures.</desc>
            <defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" \
            orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#505a5f"/></marker></defs>
            \(arrows)\(nodes)
            </svg>
            """
    }

    private func node(
        _ stage: Stage, at point: (x: Double, y: Double), figures: OverviewFigures.Stage?, closed: Int
    ) -> HTML {
        let shade = Self.shade(forWait: figures?.averageWait)
        let count = stage == .closed ? "\(closed) closed" : "\(figures?.cases ?? 0) open"
        let wait =
            figures.map { figures in figures.averageWait.map { "waited \(UKTime.duration($0))" } ?? "wait being read" }
            ?? (stage == .closed ? "" : "none waiting")
        let cx = point.x + Self.box.width / 2
        return """
            <a href="/cases?state=\(stage.rawValue)"><g>\
            <title>\(stage.rawValue): \(count), \(wait)</title>\
            <rect x="\(point.x)" y="\(point.y)" width="\(Self.box.width)" height="\(Self.box.height)" rx="8" \
            fill="\(shade.fill)" stroke="#0b0c0c" stroke-width="1.5"/>\
            <text x="\(cx)" y="\(point.y + 20)" text-anchor="middle" font-size="12.5" font-weight="700" \
            fill="\(shade.text)">\(stage.rawValue)</text>\
            <text x="\(cx)" y="\(point.y + 40)" text-anchor="middle" font-size="14" fill="\(shade.text)">\(count)</text>\
            <text x="\(cx)" y="\(point.y + 57)" text-anchor="middle" font-size="11" fill="\(shade.text)">\(wait)</text>\
            </g></a>
            """
    }

    private static func arrow(from: (x: Double, y: Double), to: (x: Double, y: Double)) -> HTML {
        let forward = to.x > from.x
        let start =
            forward
            ? (from.x + box.width, from.y + box.height / 2)
            : (from.x + box.width / 2, from.y + box.height)
        let end =
            forward ? (to.x, to.y + box.height / 2) : (to.x + box.width / 2, to.y + box.height)
        let bend = forward ? 0.0 : Self.bend(from: from, to: to)
        let control1 = forward ? ((start.0 + end.0) / 2, start.1) : (start.0, start.1 + bend)
        let control2 = forward ? ((start.0 + end.0) / 2, end.1) : (end.0, end.1 + bend)
        return """
            <path d="M \(start.0) \(start.1) C \(control1.0) \(control1.1), \(control2.0) \(control2.1), \(end.0) \(end.1)" \
            fill="none" stroke="#505a5f" stroke-width="1.2" marker-end="url(#arrow)"/>
            """
    }

    /// How far below the boxes a transition back along the journey curves.
    private static func bend(from: (x: Double, y: Double), to: (x: Double, y: Double)) -> Double {
        30 + abs(from.x - to.x) / 8
    }

    /// The heat scale: the average wait of a stage's open cases, in five steps.
    static let scale: [(upTo: TimeInterval, fill: String, text: String, label: String)] = [
        (86_400, "#e8f1f8", "#0b0c0c", "under a day"),
        (7 * 86_400, "#f9e6a0", "#0b0c0c", "under a week"),
        (28 * 86_400, "#f4a261", "#0b0c0c", "under 4 weeks"),
        (84 * 86_400, "#c2410c", "#ffffff", "under 12 weeks"),
        (.infinity, "#7a1010", "#ffffff", "12 weeks or more"),
    ]

    private static func shade(forWait wait: TimeInterval?) -> (fill: String, text: String) {
        guard let wait else { return ("#ffffff", "#0b0c0c") }
        let step = scale.first { wait < $0.upTo } ?? scale[scale.count - 1]
        return (step.fill, step.text)
    }

    /// The key to the shades.
    static var legend: HTML {
        HTML(
            joining: scale.map { step -> HTML in
                """
                <span><svg class="swatch" viewBox="0 0 20 16" aria-hidden="true">\
                <rect width="20" height="16" fill="\(step.fill)"/></svg>\(step.label)</span>
                """
            })
    }
}

extension JourneyMap {
    /// The map's transitions as kept beside the store (`journey-map.json`), with the fingerprint of the policy they
    /// were found under and the build that found them: a start of the same build under the same policy draws the map
    /// from them instead of exploring the machines. The machines are code, so another build explores them again.
    struct Kept: Codable, Sendable {
        let policy: String
        /// The build that explored the machines (`build`); `nil` in a file kept before builds were recorded.
        let build: String?
        let links: [[Stage]]

        init(policy: String, build: String = Kept.build, links: [[Stage]]) {
            self.policy = policy
            self.build = build
            self.links = links
        }

        /// The running program as a build: its file's size and modification time (a new build of the machines is a
        /// new file).
        static let build: String = {
            guard let path = Bundle.main.executablePath,
                let attributes = try? FileManager.default.attributesOfItem(atPath: path)
            else { return "unknown" }
            let size = (attributes[.size] as? Int) ?? 0
            let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
            return "\(size) bytes, modified \(Int(modified))"
        }()

        /// The map of `policy`: from `file` if it holds the map of that policy, else explored (by `explore`: the
        /// process's one exploration of each policy, unless a test gives its own) and then kept there.
        static func map(
            of policy: Policy, in file: KeptFile<Kept>, logger: Logger,
            explore: (Policy) -> [(from: Stage, to: Stage)] = JourneyMapExplorations.shared.links(of:)
        ) -> JourneyMap {
            if let kept = file.read(), kept.policy == policy.fingerprint, kept.build == Kept.build,
                kept.links.allSatisfy({ $0.count == 2 })
            {
                return JourneyMap(links: kept.links.map { (from: $0[0], to: $0[1]) })
            }
            let links = explore(policy)
            file.write(Kept(policy: policy.fingerprint, links: links.map { [$0.from, $0.to] }), logger: logger)
            return JourneyMap(links: links)
        }
    }
}
