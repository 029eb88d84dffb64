import CareJourneyStore
import Foundation
import PostgresNIO

/// A column of values as one PostgreSQL array literal (`{…}`), bound as text and cast in the statement
/// (`$1::text[]`, `::bigint[]`, `::float8[]`, `::bytea[]`): how the writer sends a batch's rows as a handful of
/// `unnest` statements, nulls included (postgres-nio's binary arrays carry no nulls).
struct PostgresArray {
    /// The literal's UTF-8 bytes so far, without its closing brace: built byte by byte, a string's bytes copied
    /// whole where they need no escape (a batch's arrays hold every row's values, the states' snapshots among them).
    private var bytes: [UInt8] = [UInt8(ascii: "{")]
    private var empty = true

    init() {}

    init(_ values: [StoreValue]) {
        bytes.reserveCapacity(2 + values.count * 16)
        for value in values { append(value) }
    }

    /// Adds one element.
    mutating func append(_ value: StoreValue) {
        if !empty { bytes.append(UInt8(ascii: ",")) }
        empty = false
        switch value {
        case .null: bytes.append(contentsOf: "NULL".utf8)
        case .integer(let integer): bytes.append(contentsOf: String(integer).utf8)
        case .real(let real): bytes.append(contentsOf: real.description.utf8)
        case .text(let string): quote(string)
        case .blob(let blob):
            // bytea's hex input, `\x…`: the array literal's quoting takes one backslash away.
            bytes.append(contentsOf: #""\\x"#.utf8)
            for byte in blob {
                bytes.append(Self.hexDigits[Int(byte >> 4)])
                bytes.append(Self.hexDigits[Int(byte & 0xF)])
            }
            bytes.append(UInt8(ascii: "\""))
        }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// A quoted element: a backslash before each `"` and each backslash.
    private mutating func quote(_ string: String) {
        let quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\")
        bytes.append(quote)
        let utf8 = string.utf8
        if utf8.contains(where: { $0 == quote || $0 == backslash }) {
            for byte in utf8 {
                if byte == quote || byte == backslash { bytes.append(backslash) }
                bytes.append(byte)
            }
        } else {
            bytes.append(contentsOf: utf8)
        }
        bytes.append(quote)
    }

    /// The literal.
    var literal: String {
        var closed = bytes
        closed.append(UInt8(ascii: "}"))
        return String(decoding: closed, as: UTF8.self)
    }
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

/// The parameters of a statement whose text is built: each column an array bound as one parameter, named in the
/// text as `$n::type[]`. A column without nulls of `text`, `bigint`, `float8` or `bytea` is bound as postgres-nio's
/// binary array, which PostgreSQL takes as it is (no literal to write here, nor to parse there, twice: its planner
/// reads an `unnest` argument's length from it); any other column as a literal (`PostgresArray`).
struct ArrayParameters {
    private(set) var bindings = PostgresBindings()

    /// Binds `values` as one array and returns its placeholder, cast to `type[]`.
    mutating func array(_ values: [StoreValue], _ type: String) -> String {
        bind(values, type)
        return "$\(bindings.count)::\(type)[]"
    }

    /// Binds one value of the statement's own (not a column) and returns its placeholder, cast to `type`.
    mutating func value<Value: PostgresDynamicTypeEncodable>(_ value: Value, _ type: String) -> String {
        bindings.append(value)
        return "$\(bindings.count)::\(type)"
    }

    private mutating func bind(_ values: [StoreValue], _ type: String) {
        /// Every value as `pick` takes it, or `nil` when one is not of its kind (a null among them).
        func every<T>(_ pick: (StoreValue) -> T?) -> [T]? {
            var picked: [T] = []
            picked.reserveCapacity(values.count)
            for value in values {
                guard let one = pick(value) else { return nil }
                picked.append(one)
            }
            return picked
        }
        switch type {
        case "text":
            if let strings = every({ if case .text(let string) = $0 { string } else { nil } }) {
                return bindings.append(strings)
            }
        case "bigint":
            if let integers = every({ if case .integer(let integer) = $0 { integer } else { nil } }) {
                return bindings.append(integers)
            }
        case "float8":
            if let reals = every({ if case .real(let real) = $0 { real } else { nil } }) {
                return bindings.append(reals)
            }
        case "bytea":
            if let blobs = every({ if case .blob(let bytes) = $0 { ByteBuffer(bytes: bytes) } else { nil } }) {
                return bindings.append(blobs)
            }
        default:
            break
        }
        bindings.append(PostgresArray(values).literal)
    }
}
