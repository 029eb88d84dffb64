import CareJourneyKit

/// A piece of HTML. Text interpolated into it is escaped; only `HTML` itself goes in as markup, so a name or a
/// note from a case can never become markup.
struct HTML: Sendable, ExpressibleByStringInterpolation, CustomStringConvertible {
    private(set) var text: String

    init(stringLiteral value: String) { text = value }

    init(stringInterpolation: Interpolation) { text = stringInterpolation.text }

    /// Joins pieces, with `separator` between them.
    init(joining pieces: some Sequence<HTML>, separator: HTML = "") {
        text = pieces.map(\.text).joined(separator: separator.text)
    }

    var description: String { text }

    struct Interpolation: StringInterpolationProtocol {
        var text = ""

        init(literalCapacity: Int, interpolationCount: Int) { text.reserveCapacity(literalCapacity * 2) }

        mutating func appendLiteral(_ literal: String) { text += literal }

        /// Markup, as it is.
        mutating func appendInterpolation(_ html: HTML) { text += html.text }

        /// Markup or nothing.
        mutating func appendInterpolation(_ html: HTML?) { text += html?.text ?? "" }

        /// Text, escaped.
        mutating func appendInterpolation(_ value: some CustomStringConvertible) {
            text += HTML.escape(value.description)
        }

        /// Text or nothing, escaped.
        mutating func appendInterpolation(_ value: (some CustomStringConvertible)?) {
            text += value.map { HTML.escape($0.description) } ?? ""
        }
    }

    /// Text made safe for element content and quoted attribute values.
    static func escape(_ text: String) -> String { HTMLEscaping.escape(text) }
}
