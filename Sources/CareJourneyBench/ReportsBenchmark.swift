import ArgumentParser
import CareJourneyCore
import CareJourneyKit
import CareJourneyReports
import CareJourneyStore
import Foundation

/// The statutory reports over a large store: how long the CLD return, review timeliness and request outcomes
/// take to read from the histories, and the memory they need.
struct ReportsBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reports", abstract: "The CLD return and the review figures over many cases' histories.",
        discussion: "A store already in --data-dir is used as it is; otherwise one is populated first.")

    @OptionGroup var population: PopulationOptions

    func run() async throws {
        let rules = try PolicyFile.load(population.policy)
        let directory = population.dataDir ?? scratchDirectory("reports")
        let file = URL(fileURLWithPath: directory).appendingPathComponent("carejourney.sqlite").path
        if !FileManager.default.fileExists(atPath: file) {
            let start = ContinuousClock.now
            try MillionCasesBenchmark.populate(
                directory: directory, cases: population.cases, policy: rules, progress: population.progress)
            print(String(format: "  populated in %.0f s (bulk load, not part of the figures)", elapsed(since: start)))
        }
        let store = try CaseStore(directory: directory)
        let stats = try await store.stats()
        let year = ReportPeriod.year(endingAt: Date())
        print("carejourney-bench reports: \(stats.cases) cases in \(directory)")
        // The replay alone, which every report pays, and the number of events read.
        let start = ContinuousClock.now
        let events = try await store.reduceHistories(activeFrom: year.start, into: 0) { $0 += $1.steps.count }
        let seconds = elapsed(since: start)
        print(
            String(
                format: "  replay only: %d events in %.1f s, %.0f events/s", events, seconds,
                Double(events) / seconds))

        let cld = try await measure("CLD return, 12 months", CLDReturn(period: year, laCode: "503"), store, events)
        // Counted in the pieces `report cld` writes, without the whole text in memory at once.
        var bytes = 0
        cld.csvPieces { bytes += $0.utf8.count }
        print("    \(cld.rowCount) rows, \(bytes / 1_048_576) MiB of CSV, \(cld.incompleteCount) incomplete")
        let reviews = try await measure(
            "review timeliness, 12 months", ReviewTimeliness(period: year, calendar: rules.councilCalendar), store,
            events)
        print("    \(reviews.total.firstDue) first reviews due, \(reviews.byTeam.count) team(s)")
        let requests = try await measure("request outcomes, 12 months", RequestOutcomes(period: year), store, events)
        print("    \(requests.requests) requests")
        print(String(format: "  peak memory %.0f MiB", peakMemoryMiB()))
    }

    /// `report` filled from every history of `store` that may count in its period, timed and printed.
    private func measure<Report: CaseHistoryReport>(
        _ name: String, _ report: Report, _ store: CaseStore, _ events: Int
    ) async throws -> Report {
        let start = ContinuousClock.now
        var result = try await store.reduceHistories(activeFrom: report.period.start, into: report) { $0.add($1) }
        result = try await store.reduceHistories(of: result.casesToReadAgain, into: result) { $0.addAgain($1) }
        let seconds = elapsed(since: start)
        print(
            String(
                format: "  %@: %.1f s, %.0f events/s, peak memory so far %.0f MiB", name, seconds,
                Double(events) / seconds, peakMemoryMiB()))
        return result
    }
}
