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
                Summarises the rows that lack a mandatory field (counts by field and rule, how to fix, the first few) \
                and writes nothing, exiting 1, unless --allow-incomplete is given; --incomplete-out FILE lists every \
                one. Rows are written as the histories are read, so a return of millions of rows needs little memory. With --check FILE, checks any CLD file (ours or another \
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

        @Option(
            name: .customLong("incomplete-out"),
            help: "List every mandatory field missing from every row to this file (CSV, one line per case and field).")
        var incompleteOut: String?

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
            let files: CLDReturnFiles
            do {
                files = try CLDReturnFiles(out: out, incompleteOut: incompleteOut)
            } catch {
                printError("carejourney report cld: \((error as? ReportError)?.message ?? "\(error)")")
                throw ExitCode.failure
            }
            var cld: CLDReturn
            do {
                // Rows are written as cases are read, a few thousand at a time: only the counts stay in memory.
                cld = try await source.fill(CLDReturn(period: try await source.period(), laCode: code)) { cld in
                    if cld.rows.count >= 4096 { files.write(&cld) }
                }
                try files.finish(&cld)
            } catch {
                files.discard()
                if let error = error as? ReportError { printError("carejourney report cld: \(error.message)") }
                throw ExitCode.failure
            }
            Self.summarise(cld, listedIn: incompleteOut)
            var counts = CLDEvent.EventType.allCases.map { type in
                "\(type.rawValue) \(cld.rowsByType[type] ?? 0)"
            }
            if cld.carersKnownByAssociation > 0 {
                counts.append("carers known by association \(cld.carersKnownByAssociation)")
            }
            let summary = "\(cld.rowCount) row(s) for \(cld.period): \(counts.joined(separator: ", "))"
            do {
                if let incompleteOut {
                    try await source.recordExport("CLD incomplete rows to \(incompleteOut), \(cld.incompleteCount) rows")
                    try files.keepIncompleteList()
                }
                if cld.incompleteCount > 0 && !allowIncomplete {
                    files.discard()
                    printError(
                        "carejourney report cld: \(cld.incompleteCount) of \(summary) lack a mandatory field "
                            + "(summarised above); nothing written.\n  hint: record the missing details, or pass "
                            + "--allow-incomplete")
                    throw ExitCode.failure
                }
                try await source.recordExport(
                    "CLD return\(out.map { " to \($0)" } ?? " to standard output"), \(cld.rowCount) rows")
                try files.keepReturn()
            } catch let error as ReportError {
                files.discard()
                printError("carejourney report cld: \(error.message)")
                throw ExitCode.failure
            } catch {
                files.discard()
                throw error
            }
            let incomplete = cld.incompleteCount == 0 ? "" : ", \(cld.incompleteCount) incomplete"
            printError("wrote \(summary)\(incomplete)\(out.map { " to \($0)" } ?? "")")
        }

        /// Prints, a screen at most however many rows there are, how many rows lack each mandatory field under
        /// each rule with how to fix it, and the first few problems; the full list goes to `listedIn`, if given.
        static func summarise(_ cld: CLDReturn, listedIn list: String?) {
            guard cld.incompleteCount > 0 else { return }
            let byField = CLDColumn.allCases.compactMap { column in
                cld.missingByColumn[column].map { "\(column.rawValue) \($0)" }
            }
            var lines = ["incomplete rows by field: \(byField.joined(separator: ", "))"]
            let rules = cld.missingByRule.sorted {
                ($0.value, $1.key.column.rawValue, $1.key.rule) > ($1.value, $0.key.column.rawValue, $0.key.rule)
            }
            let shown = 15
            for (missing, count) in rules.prefix(shown) {
                lines.append(
                    "  \(missing.column.rawValue): \(count) row(s) lack it; it is \(missing.rule). To fix: "
                        + missing.column.fix)
            }
            if rules.count > shown { lines.append("  and \(rules.count - shown) other fields and rules") }
            lines.append("the first \(cld.examples.count) of them:")
            lines += cld.examples.map { "incomplete: \($0)" }
            lines.append(
                list.map { "every row and field is listed in \($0)" }
                    ?? "  hint: --incomplete-out FILE lists every row and field (CSV, one line per case and field)")
            printError(lines.joined(separator: "\n"))
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
            let report = try await source.fill(ASCOFReport(measured: try await source.period()), json: json)
            try await source.recordExport("ascof measures")
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
            let figures = try await source.fill(
                ReviewTimeliness(period: try await source.period(), calendar: try await source.calendar()), json: json)
            try await source.recordExport("review timeliness figures")
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
            let outcomes = try await source.fill(RequestOutcomes(period: try await source.period()), json: json)
            try await source.recordExport("request outcome figures")
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
