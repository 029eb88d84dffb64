import ArgumentParser
import CareJourneyCore
import CareJourneyKit
import CareJourneyStore
import Foundation

/// A million open cases with their timers pending: how long `serve` takes to start on them, its memory, and when
/// `/metrics` has their figures.
struct MillionCasesBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "million", abstract: "Start-up time, memory and /metrics of serve over a million open cases.")

    @OptionGroup var population: PopulationOptions

    func run() async throws {
        let rules = try PolicyFile.load(population.policy)
        let directory = population.dataDir ?? scratchDirectory("million")
        print("carejourney-bench million: \(population.cases) open cases in \(directory)")
        let start = ContinuousClock.now
        try Self.populate(directory: directory, cases: population.cases, policy: rules, progress: population.progress)
        print(String(format: "  populated in %.0f s (bulk load, not part of the figure)", elapsed(since: start)))
        let store = try CaseStore(directory: directory)
        let stats = try await store.stats()
        print(
            "  \(stats.openCases) open cases, \(stats.pendingTimers) timers pending, \(stats.openTasksByQueue.values.reduce(0, +)) open tasks"
        )

        // Start-up is measured in a fresh process, as an operator would start the service.
        let probe = Process()
        probe.executableURL = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        probe.arguments = ["startup-probe", "--data-dir", directory, "--policy", population.policy]
        try probe.run()
        probe.waitUntilExit()
        if probe.terminationStatus != 0 { throw ExitCode(probe.terminationStatus) }
    }

    /// Writes `cases` cases in delivery (7 events each, review timers pending), signed off over the last 70
    /// hours so that every timer is still pending, the earliest (72-hour reviews) spread over the next 70 hours.
    static func populate(directory: String, cases: Int, policy: Policy, progress: ProgressOption) throws {
        let now = Date()
        // One template a minute: each case's timers are its own template's, so state and timers agree.
        let path = EventCatalog.pathToDelivery.map { CasePopulation.Step.event($0.name, $0.data) }
        let templates = try (1...(70 * 60)).map { minute in
            try CasePopulation.Template(
                steps: path, allocation: .nobody, at: now.addingTimeInterval(Double(-minute) * 60), policy: policy)
        }
        try CasePopulation.write(
            count: cases, into: directory, policy: policy, progress: progress.line("populate", counting: "cases")
        ) { number in
            CasePopulation.Copy(template: templates[number % templates.count], name: "Person \(number)")
        }
    }
}
