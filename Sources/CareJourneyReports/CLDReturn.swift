import CareJourneyCore
import Foundation

/// The CLD return for a period: the rows that count in it, and the rows a mandatory field is missing from.
///
/// Counting rules: requests, assessments and reviews count if they end in the period; services if they are open
/// in it (started by its end and not ended before its start).
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
    /// Each missing mandatory field, row by row.
    public private(set) var problems: [Problem] = []
    /// How many rows lack a mandatory field.
    public private(set) var incompleteCount = 0
    private let extractor: CLDEventExtractor

    /// An empty return for `period`.
    public init(period: ReportPeriod, laCode: String) {
        self.period = period
        extractor = CLDEventExtractor(laCode: laCode, until: period.end)
    }

    /// Adds the rows of one case that count in the period.
    public mutating func add(_ history: CaseHistory) {
        for event in extractor.events(of: history) where counts(event) {
            rows.append(CLDColumn.allCases.map { Self.quoted(event.values[$0] ?? "") }.joined(separator: ","))
            rowsByType[event.type, default: 0] += 1
            let missing = event.missing
            if !missing.isEmpty { incompleteCount += 1 }
            problems += missing.map {
                Problem(
                    caseID: event.caseID, reference: event.values[.eventReference] ?? "", column: $0.column,
                    rule: $0.rule)
            }
        }
    }

    /// `text` as an LA code (the ONS code of a council with social services responsibilities, like `E10000007`),
    /// or why it is not one.
    public static func laCode(_ text: String) throws(ReportError) -> String {
        let code = text.trimmingCharacters(in: .whitespaces).uppercased()
        guard code.count == 9, code.first == "E", code.dropFirst().allSatisfy(\.isASCII),
            code.dropFirst().allSatisfy(\.isNumber)
        else {
            throw ReportError(
                .invalidOption,
                "'\(text)' is not an LA code: give the council's 9-character ONS code, an E and 8 digits (E10000007)")
        }
        return code
    }

    /// Whether the event counts in the period.
    public func counts(_ event: CLDEvent) -> Bool {
        switch event.type {
        case .request, .assessment, .review: event.end.map(period.contains) ?? false
        case .service: event.start < period.end && (event.end.map { $0 >= period.start } ?? true)
        }
    }

    /// The return as CSV (RFC 4180: a header line, CRLF line ends, fields quoted where they must be).
    public var csv: String {
        ([CLDColumn.allCases.map { Self.quoted($0.rawValue) }.joined(separator: ",")] + rows).map { $0 + "\r\n" }
            .joined()
    }

    static func quoted(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
