import ArgumentParser
import CareJourneyClock
import CareJourneyCore
import CareJourneyKit
import CareJourneySimulation
import CareJourneyStore
import Foundation

/// `carejourney simulate --policy FILE --profile FILE [--compare-policy FILE] [--from DATE --years N] [--seed S]
/// [--out DIR] [--from-store DIR]`.
struct SimulateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Play a council's year (or England's) through the journey: weekly workload by queue and team.",
        discussion: """
            Writes figures.csv, figures.json and report.html to --out (with --compare-policy, the compared \
            policy's figures too, and the report shows both side by side). docs/simulation.md explains the profile \
            and how to read the report.
            """)

    @Option(help: "The council's policy file.")
    var policy: String

    @Option(help: "The population profile (see examples/profiles/ and docs/simulation.md).")
    var profile: String

    @Option(name: .customLong("compare-policy"), help: "A second policy to compare with (a what-if).")
    var comparePolicy: String?

    @Option(help: "The first day simulated, YYYY-MM-DD (default: the next Monday after today).")
    var from: String?

    @Option(help: "How many years to simulate (52 weeks each; fractions allowed).")
    var years: Double = 1

    @Option(help: "The seed of every random draw: the same seed gives the same figures.")
    var seed: UInt64 = 1

    @Option(help: "Where to write the figures and the report.")
    var out: String = "simulation"

    @Option(
        name: .customLong("from-store"),
        help: """
            Start from a live store's caseload (its open cases as they stand now; new contacts at its rate of the \
            last 12 months) instead of the profile's caseload and arrivals; the forecast runs from now.
            """)
    var fromStore: String?

    @Flag(help: "Show no progress line (it is shown only on a terminal anyway).")
    var quiet = false

    func run() async throws {
        let rules = try loadPolicy(policy)
        let compared = try comparePolicy.map(loadPolicy)
        var population: SimulationProfile
        do {
            population = try ProfileFile.load(profile)
        } catch {
            printError(error.description)
            throw ExitCode.failure
        }
        var start = try startDay()
        var live: [CaseState] = []
        if let fromStore {
            guard from == nil else {
                printError("--from: a forecast from a store starts now; leave out --from or --from-store")
                throw ExitCode.failure
            }
            let found = try await Self.liveStart(fromStore)
            start = found.asOf
            live = found.openCases
            population = population.startingFromLiveCases(contactsPerWeek: found.contactsPerWeek)
            print(
                "from \(fromStore): \(found.openCases.count) open case(s), \(found.contactsInLastYear) contact(s) in the "
                    + "last 12 months (\(String(format: "%.1f", found.contactsPerWeek)) a week)")
        }
        guard years > 0, years <= 20 else {
            printError("--years: from more than 0 to 20 (found \(years))")
            throw ExitCode.failure
        }
        let weeks = max(1, Int((years * 52).rounded()))
        let clock = ContinuousClock()
        let began = clock.now
        let figures = try simulate(rules, population, start: start, weeks: weeks, live: live)
        let comparison = try compared.map {
            try simulate($0, population, start: start, weeks: weeks, live: live, title: "simulate what-if")
        }
        let elapsed = clock.now - began
        try write(figures, comparison)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print(SimulationSummary(figures, comparison: comparison).text)
        print(
            "simulated \(weeks) weeks in \(String(format: "%.1f", seconds)) s, peak memory \(PeakMemory.text); "
                + "wrote \(out)/")
    }

    /// The open cases and last year's contacts of the store in `folder`, read without changing it.
    static func liveStart(_ folder: String) async throws -> PlanningStart {
        do {
            return try await CaseStore(directory: folder, access: .readOnly).planningStart(asOf: WallClock().now())
        } catch {
            printError("--from-store: \(error.description)")
            throw ExitCode.failure
        }
    }

    private func simulate(
        _ rules: Policy, _ population: SimulationProfile, start: Date, weeks: Int, live: [CaseState],
        title: String = "simulate"
    ) throws -> WeeklyFigures {
        let progress = ProgressLine(title, counting: "weeks", quiet: quiet)
        do {
            let figures = try Simulation(
                policy: rules, profile: population, start: start, weeks: weeks, seed: seed, startingCases: live
            ).run { played, weeks in progress?.update(done: played, total: weeks) }
            progress?.finish()
            if figures.refusals > 0 {
                printError(
                    "warning: the core refused \(figures.refusals) simulated event(s) under '\(rules.id)', e.g.\n  "
                        + figures.refusalExamples.joined(separator: "\n  "))
            }
            if figures.liveRefusals > 0 {
                printError(
                    "note: \(figures.liveRefusals) live case(s) could not be moved on as the simulator would (their plans "
                        + "are people's own: a plan waiting for a high-cost panel, say); they stay where they stand")
            }
            return figures
        } catch {
            progress?.finish()
            printError("\(profile): \(error.message)")
            throw ExitCode.failure
        }
    }

    private func startDay() throws -> Date {
        guard let from else { return Self.nextMonday(after: WallClock().now()) }
        let format = ISO8601DateFormatter()
        format.formatOptions = [.withFullDate]
        guard let day = format.date(from: from) else {
            printError("--from: '\(from)' is not a date like 2027-04-05")
            throw ExitCode.failure
        }
        return day
    }

    static func nextMonday(after now: Date) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let today = calendar.startOfDay(for: now)
        let weekday = calendar.component(.weekday, from: today)  // Sunday 1 … Saturday 7
        return calendar.date(byAdding: .day, value: (9 - weekday) % 7 == 0 ? 7 : (9 - weekday) % 7, to: today)!
    }

    private func write(_ figures: WeeklyFigures, _ comparison: WeeklyFigures?) throws {
        let folder = URL(fileURLWithPath: out)
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try figures.json().write(to: folder.appendingPathComponent("figures.json"))
            try Data(figures.csv().utf8).write(to: folder.appendingPathComponent("figures.csv"))
            if let comparison {
                try comparison.json().write(to: folder.appendingPathComponent("compare-figures.json"))
                try Data(comparison.csv().utf8).write(to: folder.appendingPathComponent("compare-figures.csv"))
            }
            let report = SimulationReport(figures, comparison: comparison).html
            try Data(report.utf8).write(to: folder.appendingPathComponent("report.html"))
        } catch {
            printError("--out: cannot write to \(out): \(error.localizedDescription)")
            throw ExitCode.failure
        }
    }
}

/// The process's peak resident memory, from /proc/self/status (Linux).
enum PeakMemory {
    static var text: String {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
            let kB = Double(line.split(separator: " ").dropFirst().first ?? "")
        else { return "unknown" }
        return String(format: "%.0f MB", kB / 1024)
    }
}
