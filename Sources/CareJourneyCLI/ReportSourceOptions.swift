import ArgumentParser
import CareJourneyClock
import CareJourneyCore
import CareJourneyKit
import CareJourneyReports
import CareJourneyStore
import Foundation

/// The period of a report and where its histories come from: the store (`--data-dir`, or `--store postgres://…`),
/// read beside a running service, or a scenario run on a virtual clock (`--scenario`), which needs no store and is
/// how the examples are reported on.
struct ReportSourceOptions: ParsableArguments {
    @Option(help: "The first day of the period, YYYY-MM-DD (days in the policy's time zone).")
    var from: String?

    @Option(help: "The last day of the period, YYYY-MM-DD, included.")
    var to: String?

    @Option(
        help: ArgumentHelp(
            "Instead of --from and --to: the rolling 12 months to the end of this financial quarter, as DHSC asks "
                + "(2026-27Q2: 1 October 2025 to 30 September 2026).", valueName: "YYYY-YYQn"))
    var quarter: String?

    @OptionGroup var store: StoreOption

    @Option(help: "Report on the cases of this scenario file instead of the store.")
    var scenario: String?

    @OptionGroup var policy: PolicyOption

    @Flag(help: "Show no progress line (it is shown only on a terminal, and never with --json).")
    var quiet = false

    /// The period, as days in the policy's zone (`calendar()`), or the error printed and exit 1.
    func period() async throws -> ReportPeriod {
        let zone = try await calendar().timeZone
        do throws(ReportError) {
            switch (quarter, from, to) {
            case (let quarter?, nil, nil): return try ReportPeriod(quarter: quarter, in: zone)
            case (nil, let from?, let to?): return try ReportPeriod(from: from, to: to, in: zone)
            default:
                throw ReportError(
                    .invalidPeriod, "give the period as --from and --to, or as --quarter (like 2026-27Q2), not both")
            }
        } catch {
            printError("carejourney report: \(error.message)")
            throw ExitCode.failure
        }
    }

    /// `report` with every case that may have something in its period added; prints what went wrong and exits 1
    /// when the histories cannot be read.
    ///
    /// On a terminal, a progress line counts the cases read (unless `--quiet`, or `json` output).
    ///
    /// - Parameter added: called after each case is added (to write out what the report need not keep).
    func fill<Report: CaseHistoryReport>(
        _ report: Report, json: Bool = false, added: @escaping @Sendable (inout Report) -> Void = { _ in }
    ) async throws -> Report {
        if let scenario { return try run(scenario, into: report, added: added) }
        let progress = ProgressLine("report", counting: "cases", quiet: quiet || json)
        defer { progress?.finish() }
        do {
            // Read-only: a report runs beside a live service and never migrates or writes its store.
            return try await store.reading("report") { store in
                let total = progress == nil ? 0 : try await store.casesToReplay(activeFrom: report.period.start)
                let filled = try await store.reduceHistories(activeFrom: report.period.start, into: report) {
                    report, history in
                    report.add(history)
                    added(&report)
                    progress?.advance(of: total)
                }
                return try await store.reduceHistories(of: filled.casesToReadAgain, into: filled) { $0.addAgain($1) }
            }
        } catch {
            printError("carejourney report: \(error)")
            throw ExitCode.failure
        }
    }

    /// The council's calendar the report judges days by: the scenario's policy, or the store's current one (the
    /// `--policy` given, or the shipped one, for a store that has none yet).
    func calendar() async throws -> CouncilCalendar {
        if let scenario {
            return try policy.load(fallback: (try? ScenarioFile.load(scenario))?.policyPath).councilCalendar
        }
        let stored = try? await store.reading("report") { store in try await store.currentPolicy() }
        return try (stored ?? policy.load()).councilCalendar
    }

    /// Records the report in the store's access log before anything of it is shown or written (a scenario's report
    /// holds no one's data and is not recorded); prints why and exits 1 when it cannot be recorded.
    ///
    /// - Parameter detail: what is about to be written (`cld to q2.csv, 1,204 rows`).
    func recordExport(_ detail: String) async throws {
        guard scenario == nil else { return }
        do {
            try await store.record(
                AccessRecord(
                    actor: SystemUser.current, at: WallClock().now(), channel: .export, cases: [],
                    query: quarter ?? "\(from ?? "") to \(to ?? "")", detail: detail),
                by: "report")
        } catch {
            printError("carejourney report: \(error)\n  nothing was written: every export is recorded first")
            throw ExitCode.failure
        }
    }

    private func run<Report: CaseHistoryReport>(
        _ path: String, into report: Report, added: (inout Report) -> Void
    ) throws -> Report {
        let scenario: Scenario
        do {
            scenario = try ScenarioFile.load(path)
        } catch {
            printError(error.description)
            throw ExitCode.failure
        }
        let result = ScenarioRunner(policy: try policy.load(fallback: scenario.policyPath)).run(scenario)
        let problems = result.timingErrors + result.failedExpectations
        for problem in problems { printError("\(path): \(problem)") }
        if !problems.isEmpty { throw ExitCode.failure }
        var report = report
        for id in result.histories.keys.sorted(by: { $0.rawValue < $1.rawValue }) {
            if let history = result.histories[id] {
                report.add(history)
                added(&report)
            }
        }
        for history in report.casesToReadAgain.compactMap({ result.histories[$0] }) { report.addAgain(history) }
        return report
    }
}
