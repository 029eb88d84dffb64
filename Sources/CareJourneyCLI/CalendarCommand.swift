import ArgumentParser
import CareJourneyClock
import CareJourneyCore
import CareJourneyFiles
import CareJourneyKit
import Foundation

/// `carejourney calendar import FILE`: a bank-holiday list from a downloaded copy of GOV.UK's `bank-holidays.json`.
struct CalendarCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calendar", abstract: "Work with the council's calendar: bank holidays.",
        subcommands: [Import.self])

    /// Writes a bank-holiday file from GOV.UK's list, checked by reading it back.
    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Make a bank-holiday file from a downloaded copy of \(BankHolidayFile.govUKSource).",
            discussion: """
                Refreshes the shipped list (Sources/CareJourneyKit/bank-holidays/england-and-wales.yaml, then \
                rebuild), or writes a file a policy names with `calendar.bank-holidays: FILE.yaml`. Run \
                `carejourney policy apply` afterwards so that pending timers move to the new days.
                """)

        @Argument(help: "The downloaded bank-holidays.json.")
        var file: String

        @Option(help: "The division: england-and-wales, scotland or northern-ireland.")
        var division = "england-and-wales"

        @Option(help: "Write the list here (replacing it); without it, print it.")
        var output: String?

        func run() throws {
            let json: Data
            do {
                json = try Data(contentsOf: URL(fileURLWithPath: file))
            } catch {
                throw ValidationError("cannot read '\(file)': \(error.localizedDescription)")
            }
            let today = CouncilCalendar(timeZone: .gmt, bankHolidays: .none).day(of: WallClock().now())
            do {
                let text = try BankHolidayFile.importGOVUK(json, division: division, file: file, importedOn: today)
                guard let output else { return print(text, terminator: "") }
                do {
                    try Data(text.utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
                } catch {
                    throw FileError(
                        .unwritable, "cannot write the bank-holiday file", file: output,
                        cause: error.localizedDescription)
                }
                let holidays = try BankHolidayFile.load(output)
                var years = "none"
                if let first = holidays.days.first, let last = holidays.days.last {
                    years = "\(first.parts.year)–\(last.parts.year)"
                }
                print("\(output): \(holidays.days.count) bank holidays for \(division) (\(years))")
            } catch {
                printError("\(error)")
                throw ExitCode.failure
            }
        }
    }
}
