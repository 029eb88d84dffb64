import Foundation

/// Fields of an HTML form as posted (`application/x-www-form-urlencoded`) or in a query string.
struct FormData: Sendable {
    /// Each field's value, in the order given; a repeated field keeps its last value.
    let fields: [String: String]
    /// Every value of each field, in the order given (ticked boxes post one name many times).
    private let lists: [String: [String]]

    /// Reads `a=1&b=two+words`.
    init(_ text: String) {
        var fields: [String: String] = [:]
        var lists: [String: [String]] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = Self.decode(parts[0]) else { continue }
            let value = parts.count > 1 ? Self.decode(parts[1]) ?? "" : ""
            fields[name] = value
            lists[name, default: []].append(value)
        }
        self.fields = fields
        self.lists = lists
    }

    /// A field's value with spaces trimmed; `nil` when it is missing or blank.
    subscript(_ name: String) -> String? {
        let value = fields[name]?.trimmingCharacters(in: .whitespacesAndNewlines)
        return value?.isEmpty == false ? value : nil
    }

    /// Every non-blank value of a field given many times, trimmed, in order.
    func all(_ name: String) -> [String] {
        (lists[name] ?? []).map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
    }

    private static func decode(_ text: Substring) -> String? {
        text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }

    /// A value made safe for a query string.
    static func encode(_ value: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }
}
