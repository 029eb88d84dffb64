import CareJourneyCore
import Foundation

/// Reads a posted `EventForm` back into the event's data, by the same fields the form was made from: each value
/// as its kind is written (a day from its three parts, money without its pound sign, a list a line each), and a
/// required field left blank named in the words GOV.UK uses ("Enter …").
enum EventFormData {
    /// The event's data, and what could not be read, by field path.
    static func read(_ form: FormData, fields: [EventField]) -> (data: JSONValue, errors: [String: String]) {
        var errors: [String: String] = [:]
        let object = read(form, fields: fields, prefix: [], errors: &errors)
        return (.object(object), errors)
    }

    private static func read(
        _ form: FormData, fields: [EventField], prefix: [String], errors: inout [String: String]
    ) -> [String: JSONValue] {
        var object: [String: JSONValue] = [:]
        for field in fields {
            let path = (prefix + [field.name]).joined(separator: ".")
            if let value = value(of: field, at: path, in: form, errors: &errors) {
                object[field.name] = value
            } else if field.required && errors[path] == nil && field.kind != .task {
                errors[path] = "Enter \(EventForm.phrase(field.name))"
            }
        }
        return object
    }

    private static func value(
        of field: EventField, at path: String, in form: FormData, errors: inout [String: String]
    ) -> JSONValue? {
        let label = EventForm.phrase(field.name)
        switch field.kind {
        case .text, .task, .choice:
            return form[path].map(JSONValue.string)
        case .yesNo:
            return form[path].map { .bool($0 == "true") }
        case .wholeNumber:
            guard let text = form[path] else { return nil }
            guard let number = Int(text.replacingOccurrences(of: ",", with: "")) else {
                errors[path] = "Enter \(label) as a whole number, like 12"
                return nil
            }
            return .number(Double(number))
        case .number, .money:
            guard let text = form[path] else { return nil }
            let digits = text.replacingOccurrences(of: "£", with: "").replacingOccurrences(of: ",", with: "")
                .trimmingCharacters(in: .whitespaces)
            guard let number = Double(digits), number.isFinite else {
                errors[path] =
                    field.kind == .money
                    ? "Enter \(label) in pounds and pence, like 412.50" : "Enter \(label) as a number, like 2.5"
                return nil
            }
            return .number(number)
        case .date:
            let parts = ["day", "month", "year"].map { form["\(path).\($0)"] }
            if parts.allSatisfy({ $0 == nil }) { return nil }
            guard let day = parts[0].flatMap(Int.init), let month = parts[1].flatMap(Int.init),
                let year = parts[2].flatMap(Int.init)
            else {
                errors[path] = "Enter \(label) as a day, month and year in numbers, like 27 3 2007"
                return nil
            }
            return .string(
                String(format: "%04d-%02d-%02d", year, month, day))
        case .list(let item):
            let values: [String]
            if case .choice = item {
                values = form.all(path)
            } else {
                values = (form[path] ?? "").split(whereSeparator: \.isNewline).map {
                    $0.trimmingCharacters(in: .whitespaces)
                }.filter { !$0.isEmpty }
            }
            return values.isEmpty ? nil : .array(values.map(JSONValue.string))
        case .group(let children):
            var inner: [String: String] = [:]
            let object = read(form, fields: children, prefix: [path], errors: &inner)
            guard !object.isEmpty || inner.keys.contains(where: { form.fields[$0] != nil }) else { return nil }
            errors.merge(inner) { first, _ in first }
            return .object(object)
        case .groups(let children):
            var items: [JSONValue] = []
            for index in 0..<50 where form.fields.keys.contains(where: { $0.hasPrefix("\(path).\(index).") }) {
                var inner: [String: String] = [:]
                let object = read(form, fields: children, prefix: [path, String(index)], errors: &inner)
                guard !object.isEmpty else { continue }
                errors.merge(inner) { first, _ in first }
                items.append(.object(object))
            }
            return items.isEmpty ? nil : .array(items)
        }
    }

    /// The form path of a field the core names (`needsMetByCouncil[0].need` is `needsMetByCouncil.0.need`).
    static func formPath(_ field: String) -> String {
        field.replacingOccurrences(of: "[", with: ".").replacingOccurrences(of: "]", with: "")
    }

    /// A form filled in with `value` (data of the form's event): the fields as a browser would post them back, so
    /// that `read` gives `value` again. The plan's parts show what the plan holds this way.
    static func entered(_ value: JSONValue, fields: [EventField]) -> FormData {
        FormData(
            posted(value, fields: fields, prefix: []).map { "\(FormData.encode($0))=\(FormData.encode($1))" }
                .joined(separator: "&"))
    }

    /// The fields, by path, a browser posts for `value` (days in three parts, lists a line each or a box ticked
    /// each, groups by index).
    static func posted(_ value: JSONValue, fields: [EventField], prefix: [String]) -> [(String, String)] {
        guard case .object(let object) = value else { return [] }
        var pairs: [(String, String)] = []
        for field in fields {
            guard let given = object[field.name], given != .null else { continue }
            let path = (prefix + [field.name]).joined(separator: ".")
            switch (field.kind, given) {
            case (.group(let children), _):
                pairs += posted(given, fields: children, prefix: prefix + [field.name])
            case (.groups(let children), .array(let items)):
                for (index, item) in items.enumerated() {
                    pairs += posted(item, fields: children, prefix: prefix + [field.name, String(index)])
                }
            case (.list(.choice), .array(let items)):
                pairs += items.map { (path, text($0, kind: .text)) }
            case (.list(let kind), .array(let items)):
                pairs.append((path, items.map { text($0, kind: kind) }.joined(separator: "\r\n")))
            case (.date, .string(let day)):
                let parts = day.prefix(10).split(separator: "-").map(String.init)
                guard parts.count == 3 else { continue }
                pairs += [("\(path).day", parts[2]), ("\(path).month", parts[1]), ("\(path).year", parts[0])]
            default:
                pairs.append((path, text(given, kind: field.kind)))
            }
        }
        return pairs
    }

    /// A simple value as typed into a form (money with its pence when it has any).
    private static func text(_ value: JSONValue, kind: EventField.Kind) -> String {
        switch value {
        case .string(let text): return text
        case .bool(let flag): return flag ? "true" : "false"
        case .number(let number) where number == number.rounded() && abs(number) < 1e15: return String(Int(number))
        case .number(let number) where kind == .money: return String(format: "%.2f", number)
        case .number(let number): return String(number)
        default: return ""
        }
    }
}
