import ArgumentParser
import CareJourneyClock
import CareJourneyFiles
import CareJourneyKit
import CareJourneyStore
import Foundation

extension StoreCommand {
    /// `carejourney store backup --to FILE [--data-dir DIR] [--encrypt-to RECIPIENT]`.
    struct Backup: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Copy the store into FILE beside the running service (one read snapshot; the service goes on "
                + "committing), check the copy, and say what it holds. FILE is owner-only and never overwritten.",
            discussion: """
                A SQLite store (--data-dir). A PostgreSQL store (--store) is backed up with PostgreSQL's own tools \
                (pg_basebackup and WAL archiving: ops/cluster/README.md), and copied into a checked SQLite folder \
                with `carejourney store copy --from postgres://… --to DIR`; given one, this says so.
                """)

        @Option(name: .customLong("to"), help: "The backup file to write (it must not exist).")
        var file: String?

        @OptionGroup var data: DataDirectoryOption

        @Option(help: "A PostgreSQL store: answered with how to back it up (PostgreSQL's tools, or `store copy`).")
        var store: String?

        @Option(
            name: .customLong("encrypt-to"),
            help: "Encrypt with age to this public key (age1…) or recipients file (one key a line).")
        var recipient: String?

        @Flag(help: "Show no progress line (it is shown only on a terminal anyway).")
        var quiet = false

        func validate() throws {
            if store == nil && file == nil { throw ValidationError("--to FILE is needed: the backup file to write") }
        }

        func run() throws {
            if let store { try StoreCommand.refusePostgres("backup", store) }
            let file = file ?? ""
            let progress = ProgressLine("backup", counting: "cases checked", quiet: quiet)
            do {
                let recipient = try recipient.map { text throws(FileError) in try Self.recipient(text) }
                // A backup copies everyone's record: it is recorded as an export before it is taken.
                try CaseStore.recordRead(
                    AccessRecord(
                        actor: SystemUser.current, at: WallClock().now(), channel: .export, cases: [],
                        detail: "backup to \(file)" + (recipient == nil ? "" : ", encrypted")),
                    inStoreAt: data.path)
                let backup = try StoreBackup.take(of: data.path, to: file, encryptTo: recipient) { step in
                    progress?.show(step, writing: recipient == nil ? "writing the file" : "encrypting")
                }
                progress?.finish()
                let how = backup.encryptedTo.map { "encrypted with age to \($0)" } ?? "not encrypted"
                print("backed up \(data.path) to \(backup.file): \(backup.bytes) bytes, \(how)")
                print("  holds \(backup.contents)")
                print(
                    "  copied from one read snapshot held \(StoreCommand.seconds(backup.snapshotSeconds)) (the service's writer "
                        + "went on committing); checked in \(StoreCommand.seconds(backup.checkSeconds)): integrity ok, every case "
                        + "replayed clean")
            } catch {
                progress?.finish()
                guard error is StoreError || error is FileError else { throw error }
                printError("carejourney store backup: \(error)")
                throw ExitCode.failure
            }
        }

        /// The recipient given, refusing a recipients file that others may change: whoever can add a key to it can
        /// read every backup made after.
        static func recipient(_ text: String) throws(FileError) -> AgeRecipient {
            let recipient = AgeRecipient(text)
            if case .file(let path) = recipient, OwnerOnlyFile.isWritableByOthers(path) {
                throw FileError(
                    .insecure, "others may change this recipients file, and so add a key that reads every backup",
                    file: path, hint: "let only its owner write to it: chmod go-w \(path)")
            }
            return recipient
        }
    }
}
