import ArgumentParser
import CareJourneyStore
import Foundation

/// `carejourney store verify|backup|restore|dispose`.
struct StoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store", abstract: "Look after the store.", subcommands: [Verify.self, Backup.self, Restore.self, Dispose.self])

    /// Rebuilds every projection from history and reports differences.
    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Rebuild every case from its history and compare (read-only, beside a running service): exit 0 when "
                + "all agree, 1 when any differs.")

        @OptionGroup var data: DataDirectoryOption

        func run() throws {
            do {
                let report = try CaseStore(directory: data.path, access: .readOnly).verify()
                print("\(report.cases) case(s), \(report.events) event(s) replayed")
                for difference in report.differences { print("  differs: \(difference)") }
                if report.isClean {
                    print("clean: every projection, timer and open task matches its history; no timer fired twice")
                } else {
                    print("NOT clean: \(report.differences.count) difference(s) listed above")
                    throw ExitCode.failure
                }
            } catch let error as StoreError {
                printError("carejourney store verify: \(error)")
                throw ExitCode.failure
            }
        }
    }

    /// `0.42 s`.
    static func seconds(_ value: Double) -> String {
        String(format: "%.2f s", value)
    }
}
