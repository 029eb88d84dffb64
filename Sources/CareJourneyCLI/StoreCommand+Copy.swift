import ArgumentParser
import CareJourneyClock
import CareJourneyCore
import CareJourneyKit
import CareJourneyPostgres
import CareJourneyStore
import Foundation
import Logging

extension StoreCommand {
    /// `carejourney store copy --from DIR|postgres://… --to DIR|postgres://…`.
    struct Copy: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Copy a whole store, every table and every event of its history, from a data folder (SQLite) into an "
                + "empty PostgreSQL database, or back into a new folder; then check that every table reads back "
                + "equal (rows and SHA-256), and replay a SQLite copy whole. The target is left as it was on any "
                + "refusal or failure.",
            discussion: """
                A PostgreSQL store is named by its address: postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE with \
                ?sslmode=disable|prefer|require|verify-ca|verify-full and &sslrootcert=FILE; the password may come \
                from PGPASSWORD instead. The store copied from is read as it stood at one moment, beside a running \
                service, and never written (but for the export of everyone's record, logged in its access log \
                first, as a backup is).
                """)

        @Option(name: .customLong("from"), help: "The store to copy: a data folder, or postgres://….")
        var source: String

        @Option(name: .customLong("to"), help: "Where to copy it: a new or empty folder, or an empty postgres://… database.")
        var target: String

        @Flag(help: "Show no progress line (it is shown only on a terminal anyway).")
        var quiet = false

        func run() async throws {
            let progress = ProgressLine("copy", counting: "rows", quiet: quiet)
            do {
                let from = try StoreLocation(source)
                let to = try StoreLocation(target)
                var logger = Logger(label: "carejourney.store-copy")
                logger.logLevel = .error
                // A copy takes everyone's record: it is recorded as an export before it is taken.
                let export = AccessRecord(
                    actor: SystemUser.current, at: WallClock().now(), channel: .export, cases: [],
                    detail: "store copy to \(to)")
                switch from {
                case .directory(let path): try CaseStore.recordRead(export, inStoreAt: path)
                case .postgres(let address): try await address.recordRead(export, logger: logger)
                }
                let report = try await StoreCopy.copy(from: from, to: to, logger: logger) { step in
                    switch step {
                    case .copying(_, let done, let total): progress?.update(done: done, total: total)
                    case .comparing(let table): progress?.say("reading \(table) back")
                    case .replaying(let done, let total) where done % 500 == 0 || done == total:
                        progress?.say("replaying every case of the copy: \(done.grouped) of \(total.grouped)")
                    case .replaying: break
                    case .finishing: progress?.say(to.isDirectory ? "moving the store into place" : "committing")
                    }
                }
                progress?.finish()
                print(
                    "copied \(from) to \(to): \(report.rows.grouped) row(s) in \(StoreCommand.seconds(report.seconds)), "
                        + "every table read back equal (rows and SHA-256)")
                for table in report.tables {
                    print("  \(table.table): \(table.rows.grouped) row(s), sha256 \(table.digest.prefix(16))")
                }
                if let replayed = report.replayed {
                    print("  replayed clean (integrity ok, every case rebuilt from its history): \(replayed)")
                }
            } catch {
                progress?.finish()
                printError("carejourney store copy: \(error)")
                throw ExitCode.failure
            }
        }
    }
}

extension StoreLocation {
    /// Whether it is a data folder.
    fileprivate var isDirectory: Bool {
        if case .directory = self { true } else { false }
    }
}
