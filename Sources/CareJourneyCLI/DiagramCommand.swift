import ArgumentParser
import CareJourneyCore
import CareJourneyKit

/// `carejourney diagram [--format dot|mermaid]`.
struct DiagramCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diagram",
        abstract: "Print the journey's states and transitions, generated from the typed machines.")

    @Option(help: "dot (Graphviz) or mermaid.")
    var format: JourneyDiagram.Format = .dot

    @OptionGroup var policy: PolicyOption

    func run() throws {
        print(JourneyDiagram(policy: try policy.load()).render(format), terminator: "")
    }
}

extension JourneyDiagram.Format: ExpressibleByArgument {}
