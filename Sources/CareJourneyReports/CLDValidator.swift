import CareJourneyCore
import Foundation

/// Checks a CLD file — ours, or a council's existing system's — against the Release 2 columns, defined lists and
/// rules, a row at a time, and counts every defined-list value by field and event type as a council's validation
/// script does (`saj42saj-beep/ASC-CLD-ASCOF`, `1 Prepare Local CLD/1 Validate.sql`, which compares case-sensitively).
///
/// An error is what DHSC's checks would reject: a value not in a confirmed list, a Release 1 spelling, a wrong case, a
/// mandatory field left blank, a date or number that does not read. A value not in a partial or unconfirmed list is
/// a warning (an error with `strictLists`), as is a value where its column does not apply.
public struct CLDValidator: Sendable {
    /// How strict to be.
    public struct Options: Sendable {
        /// Treat values not in a partial or unconfirmed list as errors.
        public var strictLists = false
        /// Treat blank mandatory fields as warnings (the rows are listed).
        public var allowIncomplete = false

        public init(strictLists: Bool = false, allowIncomplete: Bool = false) {
            self.strictLists = strictLists
            self.allowIncomplete = allowIncomplete
        }
    }

    /// One thing found on one line.
    public struct Finding: Hashable, Sendable, CustomStringConvertible {
        public enum Severity: String, Sendable { case error, warning }
        public let severity: Severity
        public let line: Int
        public let column: CLDColumn?
        /// The kind of finding, without the row's value: what the summary counts.
        public let rule: String
        public let message: String

        public var description: String {
            "line \(line): \(severity.rawValue): \(column.map { "\($0.rawValue): " } ?? "")\(message)"
        }
    }

    /// A field's value on rows of one event type (blank shown as `(blank)`).
    public struct ValueKey: Hashable, Sendable, Comparable {
        public let column: CLDColumn
        public let eventType: String
        public let value: String

        public init(column: CLDColumn, eventType: String, value: String) {
            self.column = column
            self.eventType = eventType
            self.value = value
        }

        public static func < (lhs: ValueKey, rhs: ValueKey) -> Bool {
            let order = { (key: ValueKey) in CLDColumn.allCases.firstIndex(of: key.column) ?? 0 }
            return (order(lhs), lhs.eventType, lhs.value) < (order(rhs), rhs.eventType, rhs.value)
        }
    }

    public let options: Options
    /// The columns of the file by position; `nil` for one that is not a Release 2 column.
    public private(set) var columns: [CLDColumn?] = []
    /// Rows read (the header not counted).
    public private(set) var rows = 0
    public private(set) var errors = 0
    public private(set) var warnings = 0
    /// Every defined-list value by field and event type, with how many rows have it.
    public private(set) var valueCounts: [ValueKey: Int] = [:]
    /// How many findings there are of each kind (field and rule).
    public private(set) var findingsByRule: [String: (severity: Finding.Severity, count: Int)] = [:]
    /// The first findings, in line order (a file of a million bad rows is not listed whole).
    public private(set) var findings: [Finding] = []
    /// How many findings are listed at most.
    public let listed: Int
    private var period: (start: String, end: String)?
    private var references: Set<String> = []

    /// A validator.
    public init(options: Options = Options(), listed: Int = 200) {
        self.options = options
        self.listed = listed
    }

    /// Whether the file passed: no errors.
    public var passed: Bool { errors == 0 }

    /// Reads the header: every Release 2 column, named exactly, once; in another order is a warning.
    public mutating func header(_ fields: [String], line: Int = 1) {
        columns = fields.map { CLDColumn(rawValue: $0) }
        for (index, name) in fields.enumerated() where columns[index] == nil {
            let hint = CLDColumn.allCases.first { $0.rawValue.lowercased() == name.lowercased() }
                .map { "; did you mean '\($0.rawValue)'?" } ?? ""
            note(.error, line, nil, "unknown column", "'\(name)' is not a Release 2 column\(hint)")
        }
        let present = columns.compactMap { $0 }
        for column in CLDColumn.allCases where !present.contains(column) {
            note(.error, line, column, "column missing", "the column is missing from the header")
        }
        for column in Set(present) where present.filter({ $0 == column }).count > 1 {
            note(.error, line, column, "column repeated", "the column appears more than once")
        }
        if present != CLDColumn.allCases && Set(present) == Set(CLDColumn.allCases) {
            note(
                .warning, line, nil, "column order",
                "the columns are in another order than the Release 2 file's (docs/reporting.md lists it)")
        }
    }

    /// Checks one row.
    public mutating func row(_ fields: [String], line: Int) {
        rows += 1
        guard fields.count == columns.count else {
            note(
                .error, line, nil, "field count",
                "the row has \(fields.count) fields, the header \(columns.count): it cannot be read")
            return
        }
        var values: [CLDColumn: String] = [:]
        for (column, field) in zip(columns, fields) {
            if let column, !field.isEmpty { values[column] = field }
        }
        let eventType = values[.eventType] ?? "(no event)"
        for column in CLDColumn.allCases {
            let value = values[column]
            let requirement = column.requirement(in: values)
            if CLDCodes.lists[column] != nil, value != nil || requirement != .notApplicable {
                valueCounts[ValueKey(column: column, eventType: eventType, value: value ?? "(blank)"), default: 0] += 1
            }
            guard let value else {
                if case .mandatory(let rule) = requirement {
                    note(
                        options.allowIncomplete ? .warning : .error, line, column, "blank where mandatory",
                        "blank; it is \(rule)")
                }
                continue
            }
            if requirement == .notApplicable {
                note(.warning, line, column, "filled where it does not apply", "'\(value)' where the column does not apply")
            }
            check(value, of: column, line: line)
        }
        crossCheck(values, line: line)
    }

    private mutating func check(_ value: String, of column: CLDColumn, line: Int) {
        if value.uppercased() == "NULL" {
            note(.error, line, column, "the word NULL", "'\(value)': leave it blank instead of writing NULL")
            return
        }
        if let list = CLDCodes.lists[column] {
            checkListed(value, in: list, line: line)
            return
        }
        if CLDColumn.dates.contains(column) {
            if CLDDate.day(value) == nil {
                note(.error, line, column, "not a date", "'\(value)' is not a date written DD/MM/YYYY")
            }
            return
        }
        switch column {
        case .laCode:
            if !(value.count == 3 && value.allSatisfy({ $0.isASCII && $0.isNumber })) {
                note(.error, line, column, "not an LA code", "'\(value)' is not a three-digit LA (CASSR) code")
            }
        case .nhsNumber:
            if !PersonDetails.isValidNHSNumber(value) {
                note(.error, line, column, "not an NHS number", "'\(value)' is not 10 digits with a valid check digit")
            }
        case .unitCost, .plannedUnits:
            guard let number = Self.decimal(value) else {
                note(.error, line, column, "not a number", "'\(value)' is not a number with at most 2 decimal places")
                return
            }
            if number < 0 { note(.warning, line, column, "negative", "'\(value)' is negative") }
        case .adultsCaredFor:
            if Int(value).map({ $0 < 1 }) ?? true {
                note(.error, line, column, "not a count", "'\(value)' is not a whole number of adults, 1 or more")
            }
        case .gpPracticeCode:
            if GPPracticeCode(value)?.text != value {
                note(.warning, line, column, "not a GP practice code", "'\(value)' is not a letter and five digits")
            }
        case .postcode:
            let compact = value.filter { !$0.isWhitespace }
            if !(5...7).contains(compact.count) || compact != compact.uppercased() {
                note(.warning, line, column, "not a postcode", "'\(value)' does not look like a UK postcode")
            }
        default:
            break
        }
    }

    private mutating func checkListed(_ value: String, in list: CLDList, line: Int) {
        guard !list.contains(value) else { return }
        let column = list.column
        if let replacement = list.release1[value] {
            note(
                .error, line, column, "Release 1 value",
                "'\(value)' is a Release 1 value; Release 2 writes '\(replacement)'")
        } else if let nearMiss = list.nearMiss(value) {
            note(.error, line, column, "wrong case or spaces", "'\(value)' differs from '\(nearMiss)' in case or spaces")
        } else if list.status == .confirmed {
            note(.error, line, column, "not in the list", "'\(value)' is not in the Release 2 list")
        } else {
            note(
                options.strictLists ? .error : .warning, line, column, "not in the \(list.status.rawValue) list",
                "'\(value)' is not in the \(list.status.rawValue) list we have (docs/reporting.md)")
        }
    }

    private mutating func crossCheck(_ values: [CLDColumn: String], line: Int) {
        let start = values[.startDate].flatMap(CLDDate.day)
        let end = values[.endDate].flatMap(CLDDate.day)
        if let start, let end, end < start {
            note(.error, line, .endDate, "ends before it starts", "the event ends before it starts")
        }
        if let born = values[.dateOfBirth].flatMap(CLDDate.day), let died = values[.dateOfDeath].flatMap(CLDDate.day),
            died < born
        {
            note(.error, line, .dateOfDeath, "death before birth", "the date of death is before the date of birth")
        }
        if let first = values[.periodStart], let last = values[.periodEnd] {
            if let known = period, known != (first, last) {
                note(.error, line, .periodStart, "another period", "the row's period differs from the first row's")
            } else if period == nil {
                period = (first, last)
                if let from = CLDDate.day(first), let to = CLDDate.day(last), to < from {
                    note(.error, line, .periodEnd, "period backwards", "the period ends before it starts")
                }
            }
        }
        if values[.eventType] == CLDEvent.EventType.service.rawValue, end == nil, let outcome = values[.outcome],
            outcome != CLDCodes.Outcome.continuation.rawValue
        {
            note(
                .warning, line, .outcome, "open service's outcome",
                "a service still open has '\(outcome)'; DHSC reads an open service as '\(CLDCodes.Outcome.continuation.rawValue)'")
        }
        if let reference = values[.eventReference], !references.insert(reference).inserted {
            note(.warning, line, .eventReference, "reference repeated", "'\(reference)' is on an earlier row too")
        }
    }

    private mutating func note(
        _ severity: Finding.Severity, _ line: Int, _ column: CLDColumn?, _ rule: String, _ message: String
    ) {
        switch severity {
        case .error: errors += 1
        case .warning: warnings += 1
        }
        let key = "\(column?.rawValue ?? "file"): \(rule)"
        findingsByRule[key] = (severity, (findingsByRule[key]?.count ?? 0) + 1)
        if findings.count < listed {
            findings.append(Finding(severity: severity, line: line, column: column, rule: rule, message: message))
        }
    }

    /// The value as a number with at most two decimal places (what SQL Server's `TRY_CAST(… AS NUMERIC(18, 2))`
    /// keeps), or `nil`.
    static func decimal(_ text: String) -> Double? {
        let body = text.hasPrefix("-") ? text.dropFirst() : Substring(text)
        let parts = body.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), !parts[0].isEmpty || parts.count == 2,
            parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }), parts.count == 1 || parts[1].count <= 2,
            parts[0].count <= 16
        else { return nil }
        return Double(text)
    }
}
