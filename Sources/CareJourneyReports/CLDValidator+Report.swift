import Foundation

extension CLDValidator {
    /// Checks the CSV file at `path`, reading it a row at a time.
    ///
    /// - Throws: the error reading it; an empty file is one error, not a throw.
    public static func check(path: String, options: Options = Options()) throws -> CLDValidator {
        var validator = CLDValidator(options: options)
        var reader = try CSVReader(path: path)
        guard let header = reader.next() else {
            validator.header([], line: 1)
            return validator
        }
        validator.header(header.fields, line: header.line)
        while let record = reader.next() {
            // A last line end leaves no record; a blank line in the middle is one empty field.
            if record.fields == [""] { continue }
            validator.row(record.fields, line: record.line)
        }
        return validator
    }

    /// The counts by field and value (every defined-list field, by event type, each value's status), the first
    /// findings, the findings by kind, and the verdict: what `report cld --check` prints.
    public var report: String {
        var lines: [String] = []
        let header = ["Field", "Event Type", "Value", "Count", "Status"]
        var table: [[String]] = []
        for key in valueCounts.keys.sorted() {
            guard let list = CLDCodes.lists[key.column] else { continue }
            let status: String
            if key.value == "(blank)" {
                status = ""
            } else if list.contains(key.value) {
                status = "ok"
            } else if list.release1[key.value] != nil || list.nearMiss(key.value) != nil || list.status == .confirmed
                || options.strictLists
            {
                status = "ERROR"
            } else {
                status = "not in \(list.status.rawValue) list"
            }
            table.append([key.column.rawValue, key.eventType, key.value, String(valueCounts[key] ?? 0), status])
        }
        lines.append("Values by field and event type (\(rows) row(s)):")
        lines += Self.aligned([header] + table)
        lines.append("")
        if !findings.isEmpty {
            let shown = findings.count < errors + warnings ? " (the first \(findings.count))" : ""
            lines.append("Findings\(shown):")
            lines += findings.map { "  \($0)" }
            lines.append("")
            lines.append("Findings by kind:")
            let kinds = findingsByRule.sorted { ($0.value.severity.rawValue, $0.key) < ($1.value.severity.rawValue, $1.key) }
            lines += kinds.map { "  \($0.value.severity.rawValue) \($0.key): \($0.value.count)" }
            lines.append("")
        }
        let partial = CLDCodes.allLists.filter { $0.status != .confirmed }.map { "\($0.column.rawValue) (\($0.status.rawValue))" }
        lines.append(
            "Lists not confirmed against the Release 2 workbook (a value not in them is a "
                + (options.strictLists ? "error, --strict-lists" : "warning; --strict-lists makes it an error")
                + "): " + partial.joined(separator: ", "))
        lines.append("\(rows) row(s): \(errors) error(s), \(warnings) warning(s)")
        return lines.joined(separator: "\n")
    }

    private static func aligned(_ rows: [[String]]) -> [String] {
        guard let first = rows.first else { return [] }
        let widths = first.indices.map { index in rows.map { $0[index].count }.max() ?? 0 }
        return rows.map { row in
            "  " + zip(row, widths).enumerated().map { index, pair in
                index == row.count - 1 ? pair.0 : pair.0.padding(toLength: pair.1, withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }
    }
}
