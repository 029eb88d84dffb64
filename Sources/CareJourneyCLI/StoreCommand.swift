import ArgumentParser
import CareJourneyCore
import CareJourneyKit
import CareJourneyPostgres
import CareJourneyStore
import Foundation

/// `carejourney store verify|doctor|backup|restore|copy|dispose`.
struct StoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store", abstract: "Look after the store.",
        subcommands: [Verify.self, Doctor.self, Backup.self, Restore.self, Copy.self, Dispose.self])

    /// Rebuilds every projection from history and reports differences.
    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Rebuild every case from its history and compare (read-only, beside a running service): exit 0 when "
                + "all agree, 1 when any differs.")

        @OptionGroup var store: StoreOption

        @Option(name: .customLong("case"), help: "Check this case only (C-n; may be given more than once).")
        var cases: [String] = []

        @Option(help: "Check this many cases picked at random, for a quick look beside a live service.")
        var sample: Int?

        @Flag(help: "Show no progress line (it is shown only on a terminal anyway).")
        var quiet = false

        @Flag(help: "Print the report as JSON (with no progress line).")
        var json = false

        func validate() throws {
            if !cases.isEmpty && sample != nil { throw ValidationError("give --case or --sample, not both") }
            if let sample, sample < 1 { throw ValidationError("--sample needs a number of cases, 1 or more") }
        }

        func run() async throws {
            let scope: VerificationScope =
                if !cases.isEmpty { .cases(cases.map { CaseID($0) }) } else if let sample { .sample(sample) } else { .all }
            let progress = ProgressLine("verify", counting: "cases", quiet: quiet || json)
            do {
                let report = try await store.reading("verify") { store in
                    try await store.verify(scope, limit: 100) { done, total in progress?.update(done: done, total: total) }
                }
                progress?.finish()
                if json {
                    print(try ReportCommand.json(Listing(report)))
                } else {
                    print("\(report.cases) case(s), \(report.events) event(s) replayed")
                    for difference in report.differences { print("  differs: \(difference)") }
                    if report.isClean {
                        print("clean: every projection, timer and open task matches its history; no timer fired twice")
                    } else {
                        print("NOT clean: \(report.differences.count) difference(s) listed above")
                    }
                }
                if !report.isClean { throw ExitCode.failure }
            } catch let error as StoreError {
                progress?.finish()
                printError("carejourney store verify: \(error)")
                throw ExitCode.failure
            }
        }

        /// The report as `--json` prints it.
        struct Listing: Encodable {
            let cases: Int
            let events: Int
            let clean: Bool
            let differences: [String]

            init(_ report: VerificationReport) {
                cases = report.cases
                events = report.events
                clean = report.isClean
                differences = report.differences
            }
        }
    }

    /// What `store backup` and `store restore` answer when given a PostgreSQL store: PostgreSQL's own tools back it
    /// up and restore it, and `store copy` makes a checked SQLite copy of it, or moves one into it.
    static func postgresBackups(_ command: String, at address: String) -> String {
        let how =
            command == "backup"
            ? "a PostgreSQL store is backed up with PostgreSQL's own tools, not by this command: a base backup every "
                + "night (pg_basebackup, checked with pg_verifybackup) and WAL archiving (archive_command) for "
                + "point-in-time recovery"
            : "a PostgreSQL store is restored with PostgreSQL's own tools, not by this command: a base backup "
                + "(pg_basebackup's) put in place with the archived WAL replayed to a moment (restore_command, "
                + "recovery_target_time)"
        let copy =
            command == "backup"
            ? "for a copy in CareJourney's own terms, `carejourney store copy --from '\(address)' --to DIR` copies the "
                + "whole store beside the running nodes into a new SQLite data folder, checked as it is made "
                + "(`carejourney store verify --data-dir DIR` checks it again; `store backup --data-dir DIR` backs "
                + "it up)"
            : "to put a SQLite backup on PostgreSQL, restore it into a new folder (`carejourney store restore FILE "
                + "--data-dir DIR`), then, with no node running, `carejourney store copy --from DIR --to '\(address)'` "
                + "(an empty database)"
        return "carejourney store \(command): \(how), as ops/cluster/README.md (\"Backups\") and ops/runbook.md "
            + "(\"Several nodes on PostgreSQL\") describe; \(copy)"
    }

    /// Prints `postgresBackups(command, …)` for the store `--store` names (without its password; a value that is no
    /// PostgreSQL address is answered the same, naming none) and exits 1.
    static func refusePostgres(_ command: String, _ store: String) throws -> Never {
        let address: String
        if case .postgres(let named)? = try? StoreLocation(store) {
            address = "\(named)"
        } else {
            address = "postgres://…"
        }
        printError(postgresBackups(command, at: address))
        throw ExitCode.failure
    }

    /// `0.42 s`.
    static func seconds(_ value: Double) -> String {
        String(format: "%.2f s", value)
    }
}

extension ProgressLine {
    /// Shows a backup's or a restore's step: copying, the cases checked of all, then `writing` (what its last step
    /// does).
    func show(_ step: CopyStep, writing: String) {
        switch step {
        case .copying: say("copying the store")
        case .checking(let done, let total): update(done: done, total: total)
        case .writing: say(writing)
        }
    }
}
