/// What a peer sent (a service name, an error, a task id, an identity), made safe for a log line: quoted, with
/// line breaks, control and invisible characters, quotes and backslashes escaped, and cut to a length, so a peer
/// can neither forge a log line nor hide part of one. Every log line the broker and the workers write about
/// peer-supplied text goes through it.
///
/// ```swift
/// logger.warning("dropped: no such service \(LogText.quoted(service))")
/// // dropped: no such service 'x\nINFO forged'  →  'x\\nINFO forged'
/// ```
public enum LogText {
    /// `text` in single quotes, escaped, with at most `limit` of its characters (and how long it was, when cut).
    public static func quoted(_ text: some StringProtocol, limit: Int = 80) -> String {
        var shown = ""
        for scalar in text.unicodeScalars.prefix(limit) { shown += escaped(scalar) }
        let count = text.unicodeScalars.count
        return "'\(shown)'" + (count > limit ? "… (\(count) characters)" : "")
    }

    /// Bytes (an identity, a header): printable ASCII quoted as `quoted` does, anything else in hex; at most 32
    /// bytes of them.
    public static func bytes(_ bytes: [UInt8]) -> String {
        let shown = bytes.prefix(32)
        let text =
            shown.allSatisfy { (0x20..<0x7f).contains($0) }
            ? quoted(String(decoding: shown, as: UTF8.self))
            : "0x" + shown.map { String(format2: $0) }.joined()
        return bytes.count > 32 ? text + "… (\(bytes.count) bytes)" : text
    }

    private static func escaped(_ scalar: Unicode.Scalar) -> String {
        switch scalar {
        case "\n": return "\\n"
        case "\r": return "\\r"
        case "\t": return "\\t"
        case "\\": return "\\\\"
        case "'": return "\\'"
        default:
            switch scalar.properties.generalCategory {
            case .control, .format, .lineSeparator, .paragraphSeparator, .surrogate, .privateUse, .unassigned:
                return "\\u{\(String(scalar.value, radix: 16))}"
            default:
                return String(scalar)
            }
        }
    }
}

extension String {
    /// Two hex digits.
    fileprivate init(format2 byte: UInt8) {
        let digits = Array("0123456789abcdef")
        self = String([digits[Int(byte >> 4)], digits[Int(byte & 0xf)]])
    }
}
