import ArgumentParser
import CareJourneyCore
import CareJourneyKit

/// `carejourney scenario run FILE [--policy FILE] [--json]`.
struct ScenarioCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scenario", abstract: "Run scripted journeys on a virtual clock.", subcommands: [Run.self])

    /// Runs one scenario file and prints its timeline.
    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run a scenario and print its timeline; exit 1 if the file is malformed or an expectation fails.")

        @Argument(help: "The scenario file (see docs/scenarios.md and examples/scenarios/).")
        var file: String

        @OptionGroup var policy: PolicyOption

        @Flag(help: "Print the timeline as JSON, one object a line.")
        var json = false

        func run() throws {
            let scenario: Scenario
            do {
                scenario = try ScenarioFile.load(file)
            } catch {
                printError(error.description)
                throw ExitCode.failure
            }
            let rules = try policy.load(fallback: scenario.policyPath)
            let result = ScenarioRunner(policy: rules).run(scenario)
            if !json { print("\(scenario.title) — \(rules.council)\n") }
            for entry in result.timeline {
                print(json ? entry.jsonLine : entry.readableLine(in: rules.councilCalendar))
            }
            let problems = result.timingErrors + result.failedExpectations
            for problem in problems { printError("\(file): \(problem)") }
            if !json {
                let rejected = result.timeline.filter { $0.kind == .rejected }.count
                let open = result.cases.values.filter { $0.stage.isOpen }.count
                print(
                    "\n\(result.cases.count) case(s), \(open) open; \(result.timeline.count) timeline entries, "
                        + "\(rejected) refused; expectations: \(result.failedExpectations.isEmpty ? "all held" : "\(result.failedExpectations.count) failed")"
                )
            }
            if !problems.isEmpty { throw ExitCode.failure }
        }
    }
}
