import ArgumentParser
import CareJourneyClock
import CareJourneyCore
import CareJourneyKit
import CareJourneyReports
import CareJourneyStore
import Foundation

extension StoreCommand {
    /// Removes the closed cases kept for their retention period, leaving certificates.
    struct Dispose: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "List, then remove, the closed cases kept their retention period under the store's policy, each "
                + "leaving a certificate without personal data (stop the server first).",
            discussion: """
                The schedule is the `retention:` key of the policy the store runs under (docs/policy-files.md). A case \
                on legal hold, or with tasks still open, is kept and listed. Try --dry-run first (beside a running \
                service). Without it the store must be the command's alone: on SQLite it takes the data folder's \
                lock; on PostgreSQL (--store) the serving nodes' lock, and is refused while any node serves (running \
                nodes dispose on the policy's schedule themselves, `retention.dispose-every`). On a store written \
                before schema v12, run once with --vacuum (docs/governance.md); PostgreSQL's own autovacuum reclaims \
                its space.
                """)

        @OptionGroup var store: StoreOption

        @Flag(
            name: .customLong("dry-run"), help: "List what would be removed; remove nothing (beside a running service)."
        )
        var dryRun = false

        @Option(
            name: .customLong("as-of"),
            help: "Count periods to the end of this day, YYYY-MM-DD (a day in the policy's zone; default: today).")
        var asOf: String?

        @Flag(help: "Print the listing as JSON.")
        var json = false

        @Option(help: "Who disposes, for the certificates (default: unix: and your user name).")
        var by = SystemUser.current

        @Flag(help: "Rebuild the database file afterwards, clearing free pages older versions left (slow; once).")
        var vacuum = false

        @Flag(help: "Show no progress line (it is shown only on a terminal, and never with --json).")
        var quiet = false

        func validate() throws {
            if vacuum && store.store != nil {
                throw ValidationError(
                    "--vacuum rebuilds a SQLite file; on PostgreSQL, autovacuum reclaims the space (or run VACUUM "
                        + "in psql, as the database's operators decide)")
            }
        }

        func run() async throws {
            let (dryRun, asOf, by, vacuum, quiet, json) = (dryRun, asOf, by, vacuum, quiet, json)
            do {
                let named = try store.address().map { "--store '\($0)'" } ?? "--data-dir \(store.data.path)"
                let dispose: @Sendable (any CareStore) async throws -> String = { store in
                    guard let policy = try await store.currentPolicy(), let schedule = policy.retention else {
                        printError(
                            "carejourney store dispose: the store's policy has no retention schedule, so nothing is "
                                + "due\n  hint: add `retention:` to the policy file (docs/policy-files.md#retention), "
                                + "then `carejourney policy apply FILE \(named)`")
                        throw ExitCode.failure
                    }
                    // Days are the council's, in its policy's zone.
                    let zone = policy.councilCalendar.timeZone
                    let day = asOf ?? ReportPeriod.day(of: WallClock().now(), in: zone)
                    let date = try Self.end(of: day, in: zone)
                    let examining = ProgressLine("dispose: examining", counting: "closed cases", quiet: quiet || json)
                    defer { examining?.finish() }
                    let plan = try await store.planDisposal(asOf: date, under: schedule, policy: policy.id) {
                        done, total in examining?.update(done: done, total: total)
                    }
                    examining?.finish()
                    let report: DisposalReport
                    if dryRun {
                        report = plan.listing
                    } else {
                        let removing = ProgressLine("dispose: removing", counting: "cases", quiet: quiet || json)
                        defer { removing?.finish() }
                        let now = max(WallClock().now(), try await store.latestEventTime() ?? .distantPast)
                        report = try await store.carryOut(
                            plan, by: by, at: now, batch: CaseStore.disposalBatch,
                            progress: { done, total in removing?.update(done: done, total: total) }
                        ) { step throws(StoreError) in try step() }
                        if vacuum, let sqlite = store as? CaseStore {
                            removing?.say("vacuuming the database file")
                            try sqlite.vacuum()
                        }
                    }
                    return json ? try Self.json(report) : Self.text(report, asOf: day, in: zone)
                }
                print(
                    dryRun
                        ? try await store.reading("dispose", dispose)
                        : try await store.alone("`carejourney store dispose`", dispose))
            } catch let error as StoreError {
                printError("carejourney store dispose: \(error)")
                throw ExitCode.failure
            }
        }

        /// The end of the day `text` (`YYYY-MM-DD`) in `zone`: periods that ran out by then are over.
        private static func end(of text: String, in zone: TimeZone) throws -> Date {
            do {
                return try ReportPeriod(from: text, to: text, in: zone).end
            } catch {
                printError(
                    "carejourney store dispose: --as-of '\(text)' is not a date: write it YYYY-MM-DD, like 2034-03-31")
                throw ExitCode.failure
            }
        }

        static func json(_ report: DisposalReport) throws -> String {
            let encoder = JSONEncoder()
            encoder.dateEncodingStrategy = .iso8601
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
            return String(decoding: try encoder.encode(report), as: UTF8.self)
        }

        /// A line for each case past its period as of the end of the day `asOf`, then the counts.
        static func text(_ report: DisposalReport, asOf: String, in zone: TimeZone) -> String {
            let day = { ReportPeriod.day(of: $0, in: zone) }
            var lines = [
                "as of \(asOf) under policy '\(report.policy)': \(report.examined) closed case(s) examined, "
                    + "\(report.cases.count) past their retention period"
            ]
            for entry in report.cases {
                let outcome: String
                switch entry.outcome {
                case .disposed: outcome = "disposed (\(entry.removed?.values.reduce(0, +) ?? 0) rows removed)"
                case .due: outcome = "would be disposed"
                case .held:
                    outcome = "kept: legal hold by \(entry.heldBy ?? "?") since \(entry.heldSince.map(day) ?? "?")"
                case .openWork: outcome = "kept: \(entry.openTasks) task(s) still open"
                case .changed: outcome = "kept: it changed after it was examined; the next run looks again"
                }
                lines.append(
                    "  \(entry.caseID)  closed \(day(entry.closedAt))  rule \(entry.rule) (\(entry.keep)), due "
                        + "\(day(entry.dueAt)): \(outcome)")
            }
            let kept =
                "kept: \(report.count(.held)) on legal hold, \(report.count(.openWork)) with open work, "
                + "\(report.count(.changed)) changed since examined"
            lines.append(
                report.dryRun
                    ? "would dispose of \(report.count(.due)); \(kept) — nothing removed; run again without --dry-run"
                    : "disposed of \(report.count(.disposed)), each leaving a certificate; \(kept)")
            return lines.joined(separator: "\n")
        }
    }
}
