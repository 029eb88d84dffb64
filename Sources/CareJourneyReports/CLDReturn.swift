import CareJourneyCore
import Foundation

/// The CLD return for a period: the rows that count in it, and the rows a mandatory field is missing from.
///
/// Counting rules, as DHSC's methodology filters events (`Main_tables/docs/methodology/4-event-filtering.md`):
/// requests, assessments and reviews count if they end in the period; services if they are open in it (started by
/// its end and not ended before its start); nothing of a person who died before the period or before the event
/// started. A carer known by association counts with the person they care for.
public struct CLDReturn: Sendable {
    /// A row that lacks a mandatory field.
    public struct Problem: Hashable, Sendable, CustomStringConvertible {
        public let caseID: CaseID
        public let reference: String
        public let column: CLDColumn
        public let rule: String

        public var description: String {
            "\(caseID) \(reference): '\(column.rawValue)' is empty; it is \(rule). To fix: \(column.fix)"
        }
    }

    public let period: ReportPeriod
    /// The rows as CSV lines (without their line ends), in case then start order, not yet taken by `drain()`:
    /// kept as text, not as events. A large return is drained as it is filled and written as it goes.
    public private(set) var rows: [String] = []
    /// How many rows the return has, drained or not.
    public private(set) var rowCount = 0
    /// How many rows there are of each type.
    public private(set) var rowsByType: [CLDEvent.EventType: Int] = [:]
    /// How many rows are carers known by association (rows with no event).
    public private(set) var carersKnownByAssociation = 0
    /// The rows that lack a mandatory field, in row order, each with the fields and their rules, not yet taken by
    /// `drain()`.
    public private(set) var incompleteRows: [IncompleteRow] = []
    /// How many rows lack a mandatory field, drained or not.
    public private(set) var incompleteCount = 0
    /// How many rows lack each mandatory field.
    public private(set) var missingByColumn: [CLDColumn: Int] = [:]
    /// How many rows lack each mandatory field under each rule, for a summary a screen long however many rows.
    public private(set) var missingByRule: [Missing: Int] = [:]
    /// The first problems found (at most `exampleCount`), kept when the rows are drained.
    public private(set) var examples: [Problem] = []
    /// How many problems `examples` keeps.
    public static let exampleCount = 5

    /// A mandatory field and the rule that makes it so.
    public struct Missing: Hashable, Sendable {
        public let column: CLDColumn
        public let rule: String
    }

    /// A row and the mandatory fields it lacks (kept once a row: a return may have millions).
    public struct IncompleteRow: Sendable {
        public let caseID: CaseID
        public let reference: String
        public let missing: [(column: CLDColumn, rule: String)]

        /// One problem for each field it lacks.
        public var problems: [Problem] {
            missing.map { Problem(caseID: caseID, reference: reference, column: $0.column, rule: $0.rule) }
        }
    }

    /// Each missing mandatory field of the rows not yet drained, row by row.
    public var problems: [Problem] { incompleteRows.flatMap(\.problems) }
    private let extractor: CLDEventExtractor
    private let firstDay: String
    private let lastDay: String

    /// An empty return for `period`.
    public init(period: ReportPeriod, laCode: String) {
        self.period = period
        extractor = CLDEventExtractor(laCode: laCode, period: period)
        firstDay = CLDDate.text(of: period.start, in: period.calendar)
        lastDay = CLDDate.text(of: period.end.addingTimeInterval(-1), in: period.calendar)
    }

    /// Adds the rows of one case that count in the period.
    public mutating func add(_ history: CaseHistory) {
        let events = extractor.events(of: history)
        let counted = events.filter { $0.type != nil && counts($0) }
        let carers = counted.isEmpty ? [] : events.filter { $0.type == nil && $0.start < period.end }
        for var event in counted + carers {
            event.values[.periodStart] = firstDay
            event.values[.periodEnd] = lastDay
            rows.append(CLDColumn.allCases.map { Self.quoted(event.values[$0] ?? "") }.joined(separator: ","))
            rowCount += 1
            if let type = event.type { rowsByType[type, default: 0] += 1 } else { carersKnownByAssociation += 1 }
            let missing = event.missing
            guard !missing.isEmpty else { continue }
            let row = IncompleteRow(caseID: event.caseID, reference: event.values[.eventReference] ?? "", missing: missing)
            incompleteRows.append(row)
            incompleteCount += 1
            for field in missing {
                missingByColumn[field.column, default: 0] += 1
                missingByRule[Missing(column: field.column, rule: field.rule), default: 0] += 1
            }
            if examples.count < Self.exampleCount { examples += row.problems.prefix(Self.exampleCount - examples.count) }
        }
    }

    /// Takes the rows and incomplete rows added since the last drain, leaving the counts: how a return of millions
    /// of rows is written as it is filled, in little memory.
    public mutating func drain() -> (rows: [String], incomplete: [IncompleteRow]) {
        defer {
            rows.removeAll(keepingCapacity: true)
            incompleteRows.removeAll(keepingCapacity: true)
        }
        return (rows, incompleteRows)
    }

    /// `text` as an LA code: the council's three-digit code in every social care collection (Lincolnshire's is 503),
    /// what the Release 1 guidance asks for ("the LA Code associated with all social care collections … Data type:
    /// Integer") and DHSC joins CLD on, apart from the ONS area code (`E10000007`) it joins population figures on.
    public static func laCode(_ text: String) throws(ReportError) -> String {
        let code = text.trimmingCharacters(in: .whitespaces)
        if code.count == 9, code.uppercased().hasPrefix("E"), code.dropFirst().allSatisfy(\.isNumber) {
            throw ReportError(
                .invalidOption,
                "'\(text)' is an ONS area code; CLD wants the council's three-digit social care (CASSR) code, as in "
                    + "every social care collection (Lincolnshire's is 503)")
        }
        guard code.count == 3, code.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw ReportError(
                .invalidOption,
                "'\(text)' is not an LA code: give the council's three-digit social care (CASSR) code, like 503")
        }
        return code
    }

    /// Whether the event counts in the period.
    public func counts(_ event: CLDEvent) -> Bool {
        guard let type = event.type else { return false }
        if let died = event.values[.dateOfDeath].flatMap(CLDDate.day),
            died < CLDDate.calendarDay(of: period.start, in: period.calendar)
                || died < CLDDate.calendarDay(of: event.start, in: period.calendar)
        {
            return false
        }
        switch type {
        case .request, .assessment, .review: return event.end.map(period.contains) ?? false
        case .service: return event.start < period.end && (event.end.map { $0 >= period.start } ?? true)
        }
    }

    /// The return as CSV (RFC 4180: a header line, CRLF line ends, fields quoted where they must be).
    public var csv: String {
        var text = ""
        csvPieces { text += $0 }
        return text
    }

    /// The CSV's header line, with its line end.
    public static let header = CLDColumn.allCases.map { quoted($0.rawValue) }.joined(separator: ",") + "\r\n"

    /// The CSV of the rows not yet drained, in order, in pieces of about `size` bytes: a large return is written
    /// without a second copy of it.
    public func csvPieces(of size: Int = 1 << 20, header: Bool = true, _ body: (String) throws -> Void) rethrows {
        var piece = header ? Self.header : ""
        for row in rows {
            piece += row
            piece += "\r\n"
            if piece.utf8.count >= size {
                try body(piece)
                piece = ""
            }
        }
        if !piece.isEmpty { try body(piece) }
    }

    /// `field` as a CSV field, quoted where it must be.
    public static func quoted(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
