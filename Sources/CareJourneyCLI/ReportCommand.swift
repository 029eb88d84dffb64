import ArgumentParser
import CareJourneyCore
import CareJourneyReports
import Foundation

/// `carejourney report cld|reviews|requests`: statutory returns and management figures, read from the histories.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "Statutory returns and review figures, read from the case histories.",
        discussion: "The code lists, the mapping from events to them and the counting rules: docs/reporting.md.",
        subcommands: [CLD.self, ASCOF.self, Reviews.self, Requests.self])

    /// The CLD return as CSV, or a check of a CLD file.
    struct CLD: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "cld",
            abstract: "Write the DHSC Client Level Data return (CSV) for a period, or check a CLD file.",
            discussion: """
                Lists every row that lacks a mandatory field (case, field, rule, how to fix it) and writes nothing, \
                exiting 1, unless --allow-incomplete is given. With --check FILE, checks any CLD file (ours or another \
                system's) against the Release 2 columns, lists and rules instead, prints the values by field and \
                event type, and exits 1 on any error.
                """)

        @OptionGroup var source: ReportSourceOptions

        @Option(
            name: .customLong("la-code"),
            help: "The council's three-digit social care (CASSR) code, as in every social care collection (like 503).")
        var laCode: String?

        @Option(help: "Write the CSV to this file (default: standard output).")
        var out: String?

        @Flag(help: "Write the return even when rows lack a mandatory field; with --check, report them as warnings.")
        var allowIncomplete = false

        @Option(help: "Check this CLD file instead of writing a return (no store or scenario is read).")
        var check: String?

        @Flag(help: "With --check: a value not in a partial or unconfirmed list is an error, not a warning.")
        var strictLists = false

        func validate() throws {
            if check == nil && laCode == nil { throw ValidationError("--la-code is needed to write a return") }
        }

        func run() async throws {
            if let check {
                try Self.check(check, CLDValidator.Options(strictLists: strictLists, allowIncomplete: allowIncomplete))
                return
            }
            let code: String
            do {
                code = try CLDReturn.laCode(laCode ?? "")
            } catch {
                printError("carejourney report cld: --la-code: \(error.message)")
                throw ExitCode.failure
            }
            let cld = try await source.fill(CLDReturn(period: try source.period(), laCode: code))
            var listing = ""
            for row in cld.incompleteRows {
                for problem in row.problems { listing += "incomplete: \(problem)\n" }
                if listing.utf8.count >= 1 << 16 {
                    FileHandle.standardError.write(Data(listing.utf8))
                    listing = ""
                }
            }
            FileHandle.standardError.write(Data(listing.utf8))
            if !cld.missingByColumn.isEmpty {
                let byField = CLDColumn.allCases.compactMap { column in
                    cld.missingByColumn[column].map { "\(column.rawValue) \($0)" }
                }
                printError("incomplete rows by field: \(byField.joined(separator: ", "))")
            }
            var counts = CLDEvent.EventType.allCases.map { type in
                "\(type.rawValue) \(cld.rowsByType[type] ?? 0)"
            }
            if cld.carersKnownByAssociation > 0 {
                counts.append("carers known by association \(cld.carersKnownByAssociation)")
            }
            let summary = "\(cld.rows.count) row(s) for \(cld.period): \(counts.joined(separator: ", "))"
            if cld.incompleteCount > 0 && !allowIncomplete {
                printError(
                    "carejourney report cld: \(cld.incompleteCount) of \(summary) lack a mandatory field (listed "
                        + "above); nothing written.\n  hint: record the missing details, or pass --allow-incomplete")
                throw ExitCode.failure
            }
            try source.recordExport(
                "CLD return\(out.map { " to \($0)" } ?? " to standard output"), \(cld.rows.count) rows")
            if let out {
                do {
                    try Self.write(cld, to: out)
                } catch {
                    let reason = (error as? ReportError)?.message ?? error.localizedDescription
                    printError("carejourney report cld: cannot write \(out): \(reason)")
                    throw ExitCode.failure
                }
            } else {
                cld.csvPieces { FileHandle.standardOutput.write(Data($0.utf8)) }
            }
            let incomplete = cld.incompleteCount == 0 ? "" : ", \(cld.incompleteCount) incomplete"
            printError("wrote \(summary)\(incomplete)\(out.map { " to \($0)" } ?? "")")
        }

        /// Checks the file at `path`, prints what was found, and exits 1 on any error.
        static func check(_ path: String, _ options: CLDValidator.Options) throws {
            let validator: CLDValidator
            do {
                validator = try CLDValidator.check(path: path, options: options)
            } catch {
                printError("carejourney report cld --check: cannot read \(path): \(error.localizedDescription)")
                throw ExitCode.failure
            }
            print(validator.report)
            guard validator.passed else {
                printError("carejourney report cld --check: \(path) has \(validator.errors) error(s) (listed above)")
                throw ExitCode.failure
            }
            printError("\(path): passes the Release 2 checks (\(validator.rows) row(s), \(validator.warnings) warning(s))")
        }

        /// Writes the CSV to a file beside `path`, then renames it into place: a reader never sees half a return,
        /// and a failure leaves what was there before.
        static func write(_ cld: CLDReturn, to path: String) throws {
            let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
                throw ReportError(
                    .invalidOption, "the folder \(folder) does not exist; create it or give another --out")
            }
            guard FileManager.default.isWritableFile(atPath: folder) else {
                throw ReportError(.invalidOption, "the folder \(folder) is not writable by this user")
            }
            let partial = path + ".partial"
            // Owner-only from the start, whatever the umask: the return holds NHS numbers and dates of birth.
            guard FileManager.default.createFile(atPath: partial, contents: nil, attributes: [.posixPermissions: 0o600]),
                let handle = FileHandle(forWritingAtPath: partial)
            else { throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: partial]) }
            do {
                try cld.csvPieces { try handle.write(contentsOf: Data($0.utf8)) }
                try handle.synchronize()
                try handle.close()
                guard rename(partial, path) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
            } catch {
                try? FileManager.default.removeItem(atPath: partial)
                throw error
            }
        }
    }

    /// The ASCOF measures DHSC computes from CLD, from the same rows as the CLD return.
    struct ASCOF: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ascof",
            abstract: "The ASCOF measures DHSC computes from Client Level Data (2A, 2B/2C, 2D, 2E, 3D) for a period.",
            discussion: "Computed from the CLD rows as DHSC's published SQL does; docs/reporting.md#ascof defines each.")

        @OptionGroup var source: ReportSourceOptions

        @Option(
            name: .customLong("population-18-64"),
            help: "The council's population aged 18 to 64 (ONS), for 2B's rate per 100,000.")
        var population18to64: Int?

        @Option(
            name: .customLong("population-65"), help: "The council's population aged 65 and over (ONS), for 2C's rate.")
        var population65: Int?

        @Flag(help: "Print the figures as JSON.")
        var json = false

        func run() async throws {
            let report = try await source.fill(ASCOFReport(measured: try source.period()))
            try source.recordExport("ascof measures")
            let measures = report.measures(population18to64: population18to64, population65: population65)
            print(json ? try ReportCommand.json(measures) : measures.text)
        }
    }

    /// Review timeliness.
    struct Reviews: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "6–8-week reviews on time, late and missing; 12-month reviews overdue; unplanned reviews, by team.")

        @OptionGroup var source: ReportSourceOptions

        @Flag(help: "Print the figures as JSON.")
        var json = false

        func run() async throws {
            let figures = try await source.fill(ReviewTimeliness(period: try source.period(), calendar: try source.calendar()))
            try source.recordExport("review timeliness figures")
            print(json ? try ReportCommand.json(figures) : figures.text)
        }
    }

    /// What followed new clients' requests.
    struct Requests: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "What followed the requests from new clients that ended in a period (the sequel).")

        @OptionGroup var source: ReportSourceOptions

        @Flag(help: "Print the figures as JSON.")
        var json = false

        func run() async throws {
            let outcomes = try await source.fill(RequestOutcomes(period: try source.period()))
            try source.recordExport("request outcome figures")
            print(json ? try ReportCommand.json(outcomes) : outcomes.text)
        }
    }

    /// `value` as pretty JSON with sorted keys.
    static func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
