import CareJourneyCore
import CareJourneyFiles
import Foundation
import Yams

/// A YAML node that knows where it is (file, line, key path), so every read can fail with a precise `FileError`.
/// Package-wide: the broker reads its CURVE key file with it too.
package struct YAMLValue {
    let node: Node
    package let file: String
    package let path: String

    package var line: Int? { node.mark?.line }

    /// Reads and parses a file; `what` and `hint` describe it in the error when it cannot be read.
    static func load(_ path: String, what: String, hint: String) throws(FileError) -> YAMLValue {
        try document(FileError.text(of: path, what: what, hint: hint), file: path)
    }

    /// Parses a whole document.
    package static func document(_ text: String, file: String) throws(FileError) -> YAMLValue {
        do {
            guard let node = try Yams.compose(yaml: text) else {
                throw FileError(.syntax, "the file is empty", file: file, line: 1, hint: "see docs/ for the format")
            }
            return YAMLValue(node: node, file: file, path: "")
        } catch let error as FileError {
            throw error
        } catch let YamlError.duplicatedKeysInMapping(duplicates, context) {
            throw FileError(
                .syntax, "a key is given twice: \(duplicates.joined(separator: ", "))", file: file,
                line: context.mark.line, hint: "keep one of them")
        } catch let error as YamlError {
            throw FileError(
                .syntax, "this is not valid YAML: \(error.problem)", file: file, line: error.line,
                hint: "check the indentation and that every `key: value` has a space after the colon",
                cause: String(describing: error))
        } catch {
            throw FileError(.syntax, "this is not valid YAML", file: file, cause: String(describing: error))
        }
    }

    package func error(_ code: FileError.Code, _ message: String, hint: String? = nil) -> FileError {
        FileError(code, message, file: file, line: line, key: path.isEmpty ? nil : path, hint: hint)
    }

    private func child(_ node: Node, _ key: String) -> YAMLValue {
        YAMLValue(node: node, file: file, path: path.isEmpty ? key : "\(path).\(key)")
    }

    /// The node as a mapping whose keys must all be in `allowed`.
    package func mapping(allowed: [String]) throws(FileError) -> YAMLMapping {
        guard let mapping = node.mapping else {
            throw error(.badValue, "expected a mapping of keys (\(allowed.joined(separator: ", ")))")
        }
        var values: [String: YAMLValue] = [:]
        for (keyNode, valueNode) in mapping {
            let key = keyNode.string ?? ""
            guard allowed.contains(key) else {
                let where_ = YAMLValue(node: keyNode, file: file, path: path.isEmpty ? key : "\(path).\(key)")
                let guess = key.closest(in: allowed).map { "did you mean '\($0)'? " } ?? ""
                throw where_.error(
                    .unknownKey, "unknown key '\(key)'",
                    hint: "\(guess)the keys here are: \(allowed.joined(separator: ", "))")
            }
            values[key] = child(valueNode, key)
        }
        return YAMLMapping(owner: self, values: values)
    }

    /// The node as a mapping whose keys are names the file's author chose (people, say), in the file's order; each
    /// name comes with its key's node, for errors about the name itself.
    package func namedEntries() throws(FileError) -> [(name: String, key: YAMLValue, value: YAMLValue)] {
        guard let mapping = node.mapping else { throw error(.badValue, "expected a mapping of names") }
        return mapping.map { key, value in
            let name = key.string ?? ""
            return (name, child(key, name), child(value, name))
        }
    }

    /// The node as a list.
    package func sequence() throws(FileError) -> [YAMLValue] {
        guard let sequence = node.sequence else { throw error(.badValue, "expected a list") }
        return sequence.enumerated().map { index, node in
            YAMLValue(node: node, file: file, path: "\(path)[\(index)]")
        }
    }

    /// The node as text.
    package func string() throws(FileError) -> String {
        guard let scalar = node.scalar else { throw error(.badValue, "expected a single value, not a list or mapping") }
        guard !scalar.string.isEmpty, node.null == nil || scalar.style != .plain else {
            throw error(.missingKey, "the value is missing", hint: "write the value after the colon, on the same line")
        }
        return scalar.string
    }

    /// The node as a whole number.
    func int() throws(FileError) -> Int {
        guard let value = node.int else {
            throw error(.badValue, "expected a whole number, not '\(node.string ?? "")'")
        }
        return value
    }

    /// The node as a duration (`72h`, `6w`, `12mo`, `5wd`).
    func duration() throws(FileError) -> PolicyDuration {
        let text = try string()
        guard let value = PolicyDuration(parsing: text) else {
            let ambiguous = text.trimmingCharacters(in: .whitespaces).hasSuffix("m")
            throw error(
                .badValue, "'\(text)' is not a duration",
                hint: ambiguous
                    ? "'m' could mean minutes or months: write min for minutes or mo for months"
                    : "write a number and a unit: s, min, h, d, w, mo or y — for example 72h, 6w, 12mo, 30s — or "
                        + "working days alone, like 5wd")
        }
        return value
    }

    /// The node as `true` or `false`.
    func bool() throws(FileError) -> Bool {
        guard let value = node.bool, node.scalar?.style == .plain else {
            throw error(.badValue, "expected true or false, not '\(node.string ?? "")'")
        }
        return value
    }

    /// The node as an amount of pounds.
    func money() throws(FileError) -> Money {
        let text = (try string()).replacingOccurrences(of: "£", with: "").replacingOccurrences(of: ",", with: "")
        guard let pounds = Double(text) else {
            throw error(
                .badValue, "'\(node.string ?? "")' is not an amount of pounds", hint: "write it like 1000 or 412.50")
        }
        do {
            return try Money.checked(pounds: pounds)
        } catch {
            throw self.error(.badValue, error.description, hint: "write it like 1000 or 412.50")
        }
    }

    /// The node as a share: `25%` or `0.25`.
    func fraction() throws(FileError) -> Double {
        let text = try string()
        let value = text.hasSuffix("%") ? Double(text.dropLast()).map { $0 / 100 } : Double(text)
        guard let value, (0...1).contains(value) else {
            throw error(.badValue, "'\(text)' is not a share from 0% to 100%", hint: "write it like 25% or 0.25")
        }
        return value
    }

    /// The node as one of a closed set of words.
    func choice<C: Choice>(_ type: C.Type) throws(FileError) -> C {
        let text = try string()
        guard let value = C(rawValue: text) else {
            throw error(.badValue, "'\(text)' is not allowed here", hint: "use one of: \(C.allowedWords)")
        }
        return value
    }

    /// The node as untyped JSON-shaped data (for event data).
    func json() throws(FileError) -> JSONValue {
        switch node {
        case .scalar(let scalar):
            if scalar.style == .plain {
                if node.null != nil { return .null }
                if let value = node.bool { return .bool(value) }
                if let value = node.int { return .number(Double(value)) }
                if let value = node.float { return .number(value) }
            }
            return .string(scalar.string)
        case .sequence:
            var items: [JSONValue] = []
            for item in try sequence() { items.append(try item.json()) }
            return .array(items)
        case .mapping(let mapping):
            var fields: [String: JSONValue] = [:]
            for (key, value) in mapping {
                let name = key.string ?? ""
                fields[name] = try child(value, name).json()
            }
            return .object(fields)
        case .alias:
            throw error(.badValue, "aliases are not supported here")
        }
    }
}

/// A mapping read by `YAMLValue.mapping(allowed:)`.
package struct YAMLMapping {
    let owner: YAMLValue
    let values: [String: YAMLValue]

    package func required(_ key: String, hint: String? = nil) throws(FileError) -> YAMLValue {
        guard let value = values[key] else {
            throw owner.error(.missingKey, "the key '\(key)' is missing", hint: hint ?? "add `\(key):` here")
        }
        return value
    }

    package func optional(_ key: String) -> YAMLValue? { values[key] }
}

extension YamlError {
    var problem: String {
        switch self {
        case .scanner(_, let problem, _, _), .parser(_, let problem, _, _), .composer(_, let problem, _, _):
            problem
        default: String(describing: self)
        }
    }

    var line: Int? {
        switch self {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): mark.line
        default: nil
        }
    }
}
