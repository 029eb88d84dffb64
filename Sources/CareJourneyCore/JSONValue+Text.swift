import Foundation

/// JSON text for `JSONValue` without Foundation's coders: the task broker and its workers read and write a
/// body for every task, and Foundation's `JSONEncoder`/`JSONDecoder` were most of their processor time.
/// RFC 8259: objects are written with their keys sorted; numbers that are whole are written without a fraction.
extension JSONValue {
    /// The value as UTF-8 JSON text.
    public func serialized() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        write(into: &out)
        return out
    }

    private func write(into out: inout [UInt8]) {
        switch self {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let value): out.append(contentsOf: (value ? "true" : "false").utf8)
        case .number(let value): out.append(contentsOf: (value.isFinite ? Self.text(ofNumber: value) : "null").utf8)
        case .string(let value): Self.write(string: value, into: &out)
        case .array(let items):
            out.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                item.write(into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let fields):
            Self.write(object: fields.sorted(by: { $0.key < $1.key }), into: &out)
        }
    }

    /// The JSON text of an object whose fields are given sorted by key: what `serialized()` writes for it, without
    /// a dictionary to build and sort first (a task's request is written for every dispatch).
    public static func serializedObject(sortedFields fields: KeyValuePairs<String, JSONValue>) -> [UInt8] {
        assert(zip(fields, fields.dropFirst()).allSatisfy { $0.key < $1.key }, "the fields must be sorted by key")
        var out: [UInt8] = []
        out.reserveCapacity(256)
        write(object: fields, into: &out)
        return out
    }

    private static func write(
        object fields: some Collection<(key: String, value: JSONValue)>, into out: inout [UInt8]
    ) {
        out.append(UInt8(ascii: "{"))
        for (index, field) in fields.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            write(string: field.key, into: &out)
            out.append(UInt8(ascii: ":"))
            field.value.write(into: &out)
        }
        out.append(UInt8(ascii: "}"))
    }

    /// A finite number as JSON text: whole numbers below 10^15 without a fraction (`3`), others as Swift writes
    /// them (`0.5`, `1e+20`).
    static func text(ofNumber value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : "\(value)"
    }

    private static func write(string: String, into out: inout [UInt8]) {
        // Read as one buffer of UTF-8 (a native string already is one), not through `String.UTF8View`'s iterator.
        var string = string
        string.withUTF8 { text in
            out.append(UInt8(ascii: "\""))
            // Most strings need no escape: copied whole.
            if !text.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
                out.append(contentsOf: text)
            } else {
                for byte in text { write(escaping: byte, into: &out) }
            }
            out.append(UInt8(ascii: "\""))
        }
    }

    private static func write(escaping byte: UInt8, into out: inout [UInt8]) {
        switch byte {
        case UInt8(ascii: "\""): out += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
        case UInt8(ascii: "\\"): out += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
        case 0x0a: out += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
        case 0x0d: out += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
        case 0x09: out += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
        case 0..<0x20:
            let hex = Array("0123456789abcdef".utf8)
            out += Array("\\u00".utf8) + [hex[Int(byte >> 4)], hex[Int(byte & 0xf)]]
        default: out.append(byte)
        }
    }

    /// Why JSON text did not read: what and at which byte.
    public struct SyntaxError: Error, Equatable, CustomStringConvertible {
        public let message: String
        public let offset: Int
        public var description: String { "\(message) at byte \(offset)" }
    }

    /// Reads UTF-8 JSON text (one value, with optional whitespace around it).
    public static func parse(_ bytes: [UInt8]) throws(SyntaxError) -> JSONValue {
        var parser = Parser(bytes: bytes)
        let value = try parser.value(depth: 0)
        parser.skipSpace()
        guard parser.at == bytes.count else { throw SyntaxError(message: "text after the value", offset: parser.at) }
        return value
    }

    private struct Parser {
        let bytes: [UInt8]
        var at = 0

        mutating func skipSpace() {
            while at < bytes.count {
                switch bytes[at] {
                case 0x20, 0x0a, 0x0d, 0x09: at += 1
                default: return
                }
            }
        }

        func fail(_ message: String) -> SyntaxError { SyntaxError(message: message, offset: at) }

        mutating func value(depth: Int) throws(SyntaxError) -> JSONValue {
            guard depth < 64 else { throw fail("nested more than 64 deep") }
            skipSpace()
            guard at < bytes.count else { throw fail("a value was expected") }
            switch bytes[at] {
            case UInt8(ascii: "{"):
                at += 1
                skipSpace()
                if at < bytes.count, bytes[at] == UInt8(ascii: "}") {
                    at += 1
                    return .object([:])
                }
                // Gathered first, so that the dictionary is made at its size once, not grown field by field.
                var fields: [(String, JSONValue)] = []
                fields.reserveCapacity(16)
                while true {
                    skipSpace()
                    guard at < bytes.count, bytes[at] == UInt8(ascii: "\"") else { throw fail("a key was expected") }
                    let key = try string()
                    skipSpace()
                    guard at < bytes.count, bytes[at] == UInt8(ascii: ":") else { throw fail("':' was expected") }
                    at += 1
                    fields.append((key, try value(depth: depth + 1)))
                    skipSpace()
                    guard at < bytes.count else { throw fail("'}' was expected") }
                    if bytes[at] == UInt8(ascii: ",") {
                        at += 1
                    } else if bytes[at] == UInt8(ascii: "}") {
                        at += 1
                        // A key given twice keeps its last value, as JSON readers commonly do.
                        var object = [String: JSONValue](minimumCapacity: fields.count)
                        for (key, value) in fields { object[key] = value }
                        return .object(object)
                    } else {
                        throw fail("',' or '}' was expected")
                    }
                }
            case UInt8(ascii: "["):
                at += 1
                var items: [JSONValue] = []
                skipSpace()
                if at < bytes.count, bytes[at] == UInt8(ascii: "]") {
                    at += 1
                    return .array(items)
                }
                while true {
                    items.append(try value(depth: depth + 1))
                    skipSpace()
                    guard at < bytes.count else { throw fail("']' was expected") }
                    if bytes[at] == UInt8(ascii: ",") {
                        at += 1
                    } else if bytes[at] == UInt8(ascii: "]") {
                        at += 1
                        return .array(items)
                    } else {
                        throw fail("',' or ']' was expected")
                    }
                }
            case UInt8(ascii: "\""):
                return .string(try string())
            case UInt8(ascii: "t"): return try literal("true", .bool(true))
            case UInt8(ascii: "f"): return try literal("false", .bool(false))
            case UInt8(ascii: "n"): return try literal("null", .null)
            default:
                return .number(try number())
            }
        }

        mutating func literal(_ word: StaticString, _ value: JSONValue) throws(SyntaxError) -> JSONValue {
            let count = word.utf8CodeUnitCount
            guard at + count <= bytes.count,
                word.withUTF8Buffer({ text in text.indices.allSatisfy { bytes[at + $0] == text[$0] } })
            else { throw fail("'\(word)' was expected") }
            at += count
            return value
        }

        mutating func number() throws(SyntaxError) -> Double {
            let start = at
            if at < bytes.count, bytes[at] == UInt8(ascii: "-") { at += 1 }
            while at < bytes.count,
                (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[at]) || bytes[at] == UInt8(ascii: ".")
                    || bytes[at] == UInt8(ascii: "e") || bytes[at] == UInt8(ascii: "E")
                    || bytes[at] == UInt8(ascii: "+") || bytes[at] == UInt8(ascii: "-")
            {
                at += 1
            }
            guard at > start, let value = Double(String(decoding: bytes[start..<at], as: UTF8.self)) else {
                at = start
                throw fail("a value was expected")
            }
            return value
        }

        mutating func string() throws(SyntaxError) -> String {
            at += 1  // the opening quote
            // Most strings have no escape: read straight from the text.
            var end = at
            while end < bytes.count, bytes[end] != UInt8(ascii: "\""), bytes[end] != UInt8(ascii: "\\"),
                bytes[end] >= 0x20
            {
                end += 1
            }
            if end < bytes.count, bytes[end] == UInt8(ascii: "\"") {
                defer { at = end + 1 }
                return String(decoding: bytes[at..<end], as: UTF8.self)
            }
            var out = Array(bytes[at..<end])
            at = end
            while at < bytes.count {
                let byte = bytes[at]
                at += 1
                switch byte {
                case UInt8(ascii: "\""):
                    return String(decoding: out, as: UTF8.self)
                case UInt8(ascii: "\\"):
                    guard at < bytes.count else { break }
                    let escaped = bytes[at]
                    at += 1
                    switch escaped {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(escaped)
                    case UInt8(ascii: "b"): out.append(0x08)
                    case UInt8(ascii: "f"): out.append(0x0c)
                    case UInt8(ascii: "n"): out.append(0x0a)
                    case UInt8(ascii: "r"): out.append(0x0d)
                    case UInt8(ascii: "t"): out.append(0x09)
                    case UInt8(ascii: "u"):
                        var scalar = try hex4()
                        if (0xd800..<0xdc00).contains(scalar), at + 1 < bytes.count, bytes[at] == UInt8(ascii: "\\"),
                            bytes[at + 1] == UInt8(ascii: "u")
                        {
                            at += 2
                            let low = try hex4()
                            scalar = 0x10000 + ((scalar - 0xd800) << 10) + (low - 0xdc00)
                        }
                        out += Array(String(Unicode.Scalar(scalar) ?? "\u{fffd}").utf8)
                    default:
                        throw fail("an unknown escape")
                    }
                case 0..<0x20:
                    throw fail("a control character in a string")
                default:
                    out.append(byte)
                }
            }
            throw fail("a string is not closed")
        }

        mutating func hex4() throws(SyntaxError) -> UInt32 {
            guard at + 4 <= bytes.count else { throw fail("four hex digits were expected") }
            var value: UInt32 = 0
            for byte in bytes[at..<at + 4] {
                let digit: UInt8
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
                default: throw fail("four hex digits were expected")
                }
                value = value << 4 | UInt32(digit)
            }
            at += 4
            return value
        }
    }
}

/// Dates as task bodies write them: ISO 8601 in UTC, whole seconds (`2026-01-05T09:00:00Z`).
public enum ISO8601Text {
    /// `date` as `yyyy-MM-ddTHH:mm:ssZ`.
    public static func format(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        let year = parts.tm_year + 1900
        guard (1000...9999).contains(year) else {
            func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
            return "\(year)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T"
                + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))Z"
        }
        // Digit by digit into the string's own storage, not a string made for each part: the broker writes two
        // for every task it sends.
        return String(unsafeUninitializedCapacity: 20) { text in
            func put(_ value: Int32, digits: Int, at start: Int, then separator: UInt8) {
                var rest = value
                for index in (start..<start + digits).reversed() {
                    text[index] = UInt8(ascii: "0") + UInt8(rest % 10)
                    rest /= 10
                }
                text[start + digits] = separator
            }
            put(year, digits: 4, at: 0, then: UInt8(ascii: "-"))
            put(parts.tm_mon + 1, digits: 2, at: 5, then: UInt8(ascii: "-"))
            put(parts.tm_mday, digits: 2, at: 8, then: UInt8(ascii: "T"))
            put(parts.tm_hour, digits: 2, at: 11, then: UInt8(ascii: ":"))
            put(parts.tm_min, digits: 2, at: 14, then: UInt8(ascii: ":"))
            put(parts.tm_sec, digits: 2, at: 17, then: UInt8(ascii: "Z"))
            return 20
        }
    }

    /// Reads `yyyy-MM-ddTHH:mm:ss` with an optional fraction and `Z` (or `+00:00`); `nil` for anything else.
    public static func parse(_ text: String) -> Date? {
        // Read as one buffer of UTF-8, with no array made of it: a worker reads two of these in every task.
        var text = text
        return text.withUTF8(parse)
    }

    private static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Date? {
        guard bytes.count >= 20, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
            bytes[10] == UInt8(ascii: "T"), bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":")
        else { return nil }
        /// The digits in `range` as a number; nil if any is not a digit.
        func number(_ range: Range<Int>) -> Int32? {
            var value: Int32 = 0
            for byte in bytes[range] {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
                value = value * 10 + Int32(byte - UInt8(ascii: "0"))
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
            let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19)
        else { return nil }
        var rest = bytes[19...]
        var fraction = 0.0
        if rest.first == UInt8(ascii: ".") {
            let digits = rest.dropFirst().prefix { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
            fraction = Double("0." + String(decoding: digits, as: UTF8.self)) ?? 0
            rest = rest.dropFirst(1 + digits.count)
        }
        guard rest.elementsEqual("Z".utf8) || rest.elementsEqual("+00:00".utf8) else { return nil }
        var parts = tm()
        parts.tm_year = year - 1900
        parts.tm_mon = month - 1
        parts.tm_mday = day
        parts.tm_hour = hour
        parts.tm_min = minute
        parts.tm_sec = second
        return Date(timeIntervalSince1970: Double(timegm(&parts)) + fraction)
    }
}
