import ArgumentParser
import CareJourneyClock
import CareJourneyCore
import CareJourneyKit
import CareJourneyStore
import Foundation
import ServiceThread
import Synchronization

/// `carejourney policy check|apply`.
struct PolicyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy", abstract: "Work with council policy files.", subcommands: [Check.self, Apply.self])

    /// Validates policy files and prints a summary of each.
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate policy files: exit 0 when all are valid, 1 with file:line and a hint when not.")

        @Argument(help: "Policy files to check.")
        var files: [String]

        func run() throws {
            var failed = false
            for file in files {
                do {
                    let policy = try PolicyFile.load(file)
                    // Before the journey is explored, which takes a while: a warning is worth seeing at once.
                    if let calendar = policy.calendar?.calendar,
                        let warning = BankHolidayFile.endingWarning(
                            for: calendar, today: calendar.day(of: WallClock().now()))
                    {
                        printError("warning: \(file): \(warning)")
                    }
                    let explored = JourneyExplorer(policy: policy, maxDepth: 10).explore()
                    guard explored.violations.isEmpty else {
                        failed = true
                        printError("\(file): the journey breaks a promise under this policy:")
                        for violation in explored.violations.prefix(5) { printError("  \(violation)") }
                        continue
                    }
                    let reviews = policy.reviews
                    print(
                        "\(file): ok — \(policy.council): reablement \(policy.reablement.maximum) checked every "
                            + "\(policy.reablement.checkEvery); reviews \(reviews.informalAfter) / "
                            + "\(reviews.firstFormalOpens)–\(reviews.firstFormalDue) / \(reviews.plannedInterval); "
                            + "DP audit every \(policy.directPayments.auditEvery); high cost above "
                            + "\(policy.highCost.weeklyThreshold) a week; \(Set(policy.queues.values).count) queues"
                            + Self.calendarSummary(policy))
                } catch {
                    failed = true
                    printError(error.description)
                }
            }
            if failed { throw ExitCode.failure }
        }

        /// `; calendar Europe/London, england-and-wales bank holidays to 2030, 6 timer(s) in local days`, or nothing.
        static func calendarSummary(_ policy: Policy) -> String {
            guard let rules = policy.calendar else { return "" }
            let holidays = rules.calendar.bankHolidays
            let until = holidays.days.last.map { " to \($0.parts.year)" } ?? ""
            return "; calendar \(rules.calendar.timeZone.identifier), \(holidays.name) bank holidays\(until), "
                + "\(rules.localDays.count) timer(s) in local days"
        }
    }

    /// Moves the store to a new policy, recomputing the pending timers of open cases.
    struct Apply: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Recompute the pending timers of open cases under a new policy (stop the server first).",
            discussion: """
                Each changed case gets an audited policy-applied event. Try --dry-run first (it writes nothing, and \
                runs beside a running service). Without it the store must be the command's alone: on SQLite it takes \
                the data folder's lock; on PostgreSQL (--store) the serving nodes' lock, and is refused, naming the \
                nodes, while any `carejourney serve` runs on the store: stop them all, apply, then start them with \
                the new file.
                """)

        @Argument(help: "The new policy file.")
        var file: String

        @OptionGroup var store: StoreOption

        @Flag(name: .customLong("dry-run"), help: "Report what would change; write nothing.")
        var dryRun = false

        @Option(help: "Why the policy changes, for the audit trail.")
        var reason = "council policy changed"

        @Flag(help: "Show no progress line (it is shown only on a terminal anyway).")
        var quiet = false

        func run() async throws {
            let policy = try loadPolicy(file)
            let progress = ProgressLine("policy apply", counting: "open cases", quiet: quiet)
            let (reason, dryRun) = (reason, dryRun)
            let apply: @Sendable (any CareStore) async throws -> PolicyChangeReport = { store in
                let now = max(WallClock().now(), try await store.latestEventTime() ?? .distantPast)
                // Its batches block the thread they are written from (and on PostgreSQL, so do its reads): a thread
                // of its own, not one of the few that run tasks.
                let report = Mutex<PolicyChangeReport?>(nil)
                try await ServiceThread.run(named: "policy apply", stop: {}) { () throws(StoreError) in
                    let applied = try store.apply(policy, at: now, reason: reason, dryRun: dryRun) { done, total in
                        progress?.update(done: done, total: total)
                    }
                    report.withLock { $0 = applied }
                }
                // Set whenever the thread returned rather than threw.
                guard let applied = report.withLock({ $0 }) else {
                    throw StoreError(.io, "policy apply ended without a report")
                }
                return applied
            }
            do {
                let report =
                    dryRun
                    ? try await store.reading("policy-apply", apply)
                    : try await store.alone("`carejourney policy apply`", apply)
                progress?.finish()
                let verb = dryRun ? "would change" : "changed"
                print(
                    "\(report.examined) open case(s) examined; \(report.changed) \(verb) "
                        + "(\(report.timersMoved) timer(s) moved) under policy '\(policy.id)'"
                        + (dryRun ? " — nothing written; run again without --dry-run to apply" : ""))
            } catch {
                progress?.finish()
                printError("carejourney policy apply: \(error)")
                throw ExitCode.failure
            }
        }
    }
}
