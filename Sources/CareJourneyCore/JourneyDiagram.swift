/// Draws the journey and its side machines from the transitions the explorer saw, so the picture is generated
/// from the typed machines themselves and cannot drift from them.
public struct JourneyDiagram: Sendable {
    /// The diagram formats.
    public enum Format: String, CaseIterable, Sendable {
        /// Graphviz `dot`.
        case dot
        /// Mermaid `stateDiagram-v2`.
        case mermaid
    }

    /// The transitions to draw.
    public let edges: [JourneyExplorer.Edge]

    /// Creates a diagram of the transitions found by exploring under `policy`.
    ///
    /// Charging, the plan items and Kent's checklist add conditions and machines beside the journey, never a stage
    /// or a link between stages, and they multiply the states to walk several times over. So the walk to the usual
    /// depth goes without them, and a second, shallower walk under the whole policy adds what they bring (it reaches
    /// every status of the financial assessment and of CHC: `ExplorerTests`).
    public init(policy: Policy) {
        var plain = policy
        plain.charging = nil
        plain.plans = nil
        plain.highCost.checklist = nil
        var found = JourneyExplorer(policy: plain).explore(checking: false).edges
        if plain != policy {
            found.formUnion(JourneyExplorer(policy: policy, maxDepth: 10).explore(checking: false).edges)
        }
        edges = found.sorted()
    }

    /// The diagram as text in `format`.
    public func render(_ format: Format) -> String {
        switch format {
        case .dot: dot()
        case .mermaid: mermaid()
        }
    }

    /// Edges of one machine, with the labels of parallel edges joined.
    private func grouped(_ machine: Machine) -> [(from: String, to: String, label: String)] {
        var labels: [String: [String]] = [:]
        var order: [String] = []
        for edge in edges where edge.machine == machine {
            let key = "\(edge.from)\u{1}\(edge.to)"
            if labels[key] == nil { order.append(key) }
            labels[key, default: []].append(edge.label)
        }
        return order.map { key in
            let ends = key.split(separator: "\u{1}", omittingEmptySubsequences: false).map(String.init)
            return (ends[0], ends[1], labels[key]!.joined(separator: ", "))
        }
    }

    private func statuses(_ machine: Machine) -> [String] {
        var seen: [String] = [machine.initialStatus]
        for edge in edges where edge.machine == machine {
            for status in [edge.from, edge.to] where !seen.contains(status) { seen.append(status) }
        }
        return seen
    }

    private func identifier(_ machine: Machine, _ status: String) -> String {
        let base = machine.rawValue.lowercased().filter { $0.isLetter } + "_" + status
        return base.map { $0.isLetter || $0.isNumber ? String($0) : "_" }.joined()
    }

    private func dot() -> String {
        var lines = [
            "digraph carejourney {", "  rankdir=LR;", "  node [shape=box, style=rounded, fontname=\"Helvetica\"];",
            "  edge [fontname=\"Helvetica\", fontsize=10];",
        ]
        for (index, machine) in Machine.allCases.enumerated() {
            lines.append("  subgraph cluster_\(index) {")
            lines.append("    label=\"\(machine.rawValue)\";")
            for status in statuses(machine) {
                let shape = status == machine.initialStatus ? ", shape=ellipse" : ""
                lines.append("    \(identifier(machine, status)) [label=\"\(status)\"\(shape)];")
            }
            for edge in grouped(machine) {
                lines.append(
                    "    \(identifier(machine, edge.from)) -> \(identifier(machine, edge.to)) [label=\"\(escape(edge.label))\"];"
                )
            }
            lines.append("  }")
        }
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }

    private func mermaid() -> String {
        var lines = ["stateDiagram-v2"]
        for machine in Machine.allCases {
            let group = machine.rawValue.lowercased().filter { $0.isLetter }
            lines.append("  state \"\(machine.rawValue)\" as \(group) {")
            for status in statuses(machine) {
                lines.append("    state \"\(status)\" as \(identifier(machine, status))")
            }
            lines.append("    [*] --> \(identifier(machine, machine.initialStatus))")
            for edge in grouped(machine) {
                let label = edge.label.replacingOccurrences(of: ":", with: " ")
                lines.append("    \(identifier(machine, edge.from)) --> \(identifier(machine, edge.to)) : \(label)")
            }
            lines.append("  }")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
    }
}
