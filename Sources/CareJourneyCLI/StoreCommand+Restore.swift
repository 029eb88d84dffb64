import ArgumentParser
import CareJourneyFiles
import CareJourneyKit
import CareJourneyStore
import Foundation

extension StoreCommand {
    /// `carejourney store restore FILE --data-dir DIR [--identity AGE_KEY_FILE] [--disposals-from OLD_DIR]`.
    struct Restore: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Restore a backup into a new or empty data folder (never over a store), check it, and say what it "
                + "holds.",
            discussion: """
                A PostgreSQL store (--store) is restored with PostgreSQL's own tools (a base backup and its WAL: \
                ops/cluster/README.md); a SQLite backup is put on PostgreSQL by restoring it into a new folder, then \
                `carejourney store copy --from DIR --to postgres://…`. Given --store, this says so.
                """)

        @Argument(help: "The backup file (from `store backup`; .age files are decrypted).")
        var file: String

        @Option(name: .customLong("data-dir"), help: "The new or empty folder to restore into.")
        var directory: String?

        @Option(help: "A PostgreSQL store: answered with how to restore one (PostgreSQL's tools, or `store copy`).")
        var store: String?

        @Option(
            name: .customLong("identity"),
            help: "The age private key file (age-keygen's) the backup was encrypted to; owner-only.")
        var identity: String?

        @Option(
            name: .customLong("disposals-from"),
            help: ArgumentHelp(
                "The data folder the backup stands in for (moved aside), if it can still be read: what it disposed "
                    + "of after the backup is disposed of again before the restored store is put in place.",
                valueName: "OLD_DIR"))
        var disposalsFrom: String?

        @Flag(help: "Show no progress line (it is shown only on a terminal anyway).")
        var quiet = false

        func validate() throws {
            if store == nil && directory == nil {
                throw ValidationError("--data-dir DIR is needed: the new or empty folder to restore into")
            }
        }

        func run() throws {
            if let store { try StoreCommand.refusePostgres("restore", store) }
            let directory = directory ?? ""
            let progress = ProgressLine("restore", counting: "cases checked", quiet: quiet)
            do {
                let key = try identity.map { path throws(FileError) in
                    try OwnerOnlyFile.readSecret(
                        path, what: "age identity file", secret: "the key that opens every backup",
                        hint: "give the file `age-keygen -o FILE` made, the one whose public key the backups are "
                            + "encrypted to")
                }
                let restored = try StoreRestore.restore(
                    from: file, into: directory, identity: key, disposalsFrom: disposalsFrom
                ) { step in
                    progress?.show(step, writing: "moving the store into place")
                }
                progress?.finish()
                print("restored \(file) into \(restored.directory)")
                print("  holds \(restored.contents)")
                if let again = restored.disposedAgain, let old = disposalsFrom {
                    print(
                        "  disposed of again \(again.disposed.count) case(s) \(old) had disposed of after the backup, "
                            + "each under its certificate; \(again.recorded.count) certificate(s) of cases opened after "
                            + "the backup kept (their numbers are not given again); \(again.alreadyCertified) disposed of "
                            + "before the backup")
                    if !again.stillOpen.isEmpty {
                        print(
                            "  left open here, though \(old) certifies their disposal (the backup is older than their "
                                + "closing): \(again.stillOpen.map(\.rawValue).joined(separator: ", ")); close and dispose "
                                + "of them by hand")
                    }
                    if !again.mismatched.isEmpty {
                        print(
                            "  left here, not the cases \(old) certifies (same number, opened at another time: is it the "
                                + "right folder?): \(again.mismatched.map(\.rawValue).joined(separator: ", "))")
                    }
                }
                print(
                    "  checked in \(StoreCommand.seconds(restored.checkSeconds)): integrity ok, every case replayed clean; start "
                        + "the service on it with `carejourney serve --data-dir \(restored.directory)` (timers that "
                        + "came due since the backup fire at once, marked late)")
            } catch {
                progress?.finish()
                guard error is StoreError || error is FileError else { throw error }
                printError("carejourney store restore: \(error)")
                throw ExitCode.failure
            }
        }
    }
}
