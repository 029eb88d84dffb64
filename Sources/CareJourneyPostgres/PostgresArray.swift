import CareJourneyStore
import Foundation
import PostgresNIO

/// A column of values as one PostgreSQL array literal (`{…}`), bound as text and cast in the statement
/// (`$1::text[]`, `::bigint[]`, `::float8[]`, `::bytea[]`): how the writer sends a batch's rows as a handful of
/// `unnest` statements, nulls included (postgres-nio's binary arrays carry no nulls).
struct PostgresArray {
    private var text = "{"
    private var empty = true

    init() {}

    init(_ values: [StoreValue]) {
        for value in values { append(value) }
    }

    /// Adds one element.
    mutating func append(_ value: StoreValue) {
        if !empty { text += "," }
        empty = false
        switch value {
        case .null: text += "NULL"
        case .integer(let integer): text += String(integer)
        case .real(let real): text += "\(real)"
        case .text(let string): quote(string)
        case .blob(let bytes):
            // bytea's hex input, `\x…`: the array literal's quoting takes one backslash away.
            text += "\"\\\\x"
            for byte in bytes {
                text += String(byte >> 4, radix: 16) + String(byte & 0xF, radix: 16)
            }
            text += "\""
        }
    }

    private mutating func quote(_ string: String) {
        text += "\""
        for character in string.unicodeScalars {
            if character == "\\" || character == "\"" { text += "\\" }
            text.unicodeScalars.append(character)
        }
        text += "\""
    }

    /// The literal.
    var literal: String { text + "}" }
}

extension StoreValue {
    /// `text`, or NULL.
    static func textOrNull(_ value: String?) -> StoreValue { value.map(StoreValue.text) ?? .null }
    /// `real`, or NULL.
    static func realOrNull(_ value: Double?) -> StoreValue { value.map(StoreValue.real) ?? .null }
    /// An `integer` from an `Int`.
    static func int(_ value: Int) -> StoreValue { .integer(Int64(value)) }
    /// A time as the store keeps it (seconds since 1970), or NULL.
    static func time(_ date: Date?) -> StoreValue { realOrNull(date?.timeIntervalSince1970) }
    /// A flag as the store keeps it (1 or 0).
    static func flag(_ value: Bool) -> StoreValue { .integer(value ? 1 : 0) }
}

/// The parameters of a statement whose text is built: each column an array (`PostgresArray`) bound as one
/// parameter, named in the text as `$n::type[]`.
struct ArrayParameters {
    private(set) var bindings = PostgresBindings()

    /// Binds `values` as one array and returns its placeholder, cast to `type[]`.
    mutating func array(_ values: [StoreValue], _ type: String) -> String {
        bindings.append(PostgresArray(values).literal)
        return "$\(bindings.count)::\(type)[]"
    }
}
