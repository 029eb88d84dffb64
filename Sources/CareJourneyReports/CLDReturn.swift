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
    /// The rows as CSV lines (without their line ends), in case then start order: kept as text, not as events, so
    /// that a return of millions of rows fits in memory.
    public private(set) var rows: [String] = []
    /// How many rows there are of each type.
    public private(set) var rowsByType: [CLDEvent.EventType: Int] = [:]
    /// How many rows are carers known by association (rows with no event).
    public private(set) var carersKnownByAssociation = 0
    /// The rows that lack a mandatory field, in row order, each with the fields and their rules.
    public private(set) var incompleteRows: [IncompleteRow] = []
    /// How many rows lack each mandatory field.
    public private(set) var missingByColumn: [CLDColumn: Int] = [:]

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

    /// How many rows lack a mandatory field.
    public var incompleteCount: Int { incompleteRows.count }

    /// Each missing mandatory field, row by row.
    public var problems: [Problem] { incompleteRows.flatMap(\.problems) }
    private let extractor: CLDEventExtractor
    private let firstDay: String
    private let lastDay: String

    /// An empty return for `period`.
    public init(period: ReportPeriod, laCode: String) {
        self.period = period
        extractor = CLDEventExtractor(laCode: laCode, until: period.end)
        firstDay = CLDDate.text(of: period.start)
        lastDay = CLDDate.text(of: period.end.addingTimeInterval(-1))
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
            if let type = event.type { rowsByType[type, default: 0] += 1 } else { carersKnownByAssociation += 1 }
            let missing = event.missing
            guard !missing.isEmpty else { continue }
            incompleteRows.append(
                IncompleteRow(caseID: event.caseID, reference: event.values[.eventReference] ?? "", missing: missing))
            for field in missing { missingByColumn[field.column, default: 0] += 1 }
        }
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
            died < CLDDate.calendarDay(of: period.start) || died < CLDDate.calendarDay(of: event.start)
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

    /// The CSV in order, in pieces of about `size` bytes: a large return is written without a second copy of it.
    public func csvPieces(of size: Int = 1 << 20, _ body: (String) throws -> Void) rethrows {
        var piece = CLDColumn.allCases.map { Self.quoted($0.rawValue) }.joined(separator: ",") + "\r\n"
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

    static func quoted(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
