import ArgumentParser
import CareJourneyStore
import Foundation

extension StoreCommand {
    /// `carejourney store doctor`: the invariants the projections show, in seconds.
    struct Doctor: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "List open cases with no next step, closed cases with a timer or a journey task, and overdue cases "
                + "not escalated, from the projections alone (read-only, beside a running service; seconds over a "
                + "million cases): exit 0 when there are none, 1 when there are.")

        @OptionGroup var store: StoreOption

        @Flag(help: "Print the report as JSON.")
        var json = false

        @Option(help: "List at most this many findings (all are counted).")
        var limit = 1_000

        func run() async throws {
            do {
                let (named, limit) = (store.named, limit)
                let report = try await store.reading("doctor") { store in
                    try await store.doctor(dataDirectory: named, limit: limit)
                }
                print(json ? try ReportCommand.json(report) : Self.text(report))
                if !report.isClean { throw ExitCode.failure }
            } catch let error as StoreError {
                printError("carejourney store doctor: \(error)")
                throw ExitCode.failure
            }
        }

        /// A block for each finding (what, then the fix), then the counts.
        static func text(_ report: DoctorReport) -> String {
            var lines = ["\(report.openCases) open case(s), \(report.closedCases) closed case(s) examined"]
            for finding in report.findings {
                lines.append("  \(finding.problem.rawValue): \(finding.detail)")
                lines.append("    fix: \(finding.fix)")
            }
            if report.isClean {
                lines.append(
                    "clean: every open case has a next step, no closed case has a timer or a journey task, every "
                        + "overdue case is escalated")
            } else {
                let counts = DoctorFinding.Problem.allCases.compactMap { problem in
                    (report.counts[problem.rawValue] ?? 0) > 0
                        ? "\(report.counts[problem.rawValue] ?? 0) \(problem.rawValue)" : nil
                }
                let listed = report.findings.count
                let total = report.counts.values.reduce(0, +)
                lines.append(
                    "NOT clean: \(counts.joined(separator: ", "))"
                        + (listed < total ? " (\(listed) of \(total) listed; --limit lists more)" : ""))
            }
            return lines.joined(separator: "\n")
        }
    }
}
