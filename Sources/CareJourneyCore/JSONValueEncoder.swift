import Foundation

/// Encodes `Encodable` values straight into a `JSONValue`: what `Event.decoder` reads back, as a `JSONValue`, from
/// the JSON text `Event.encoder` writes for the value, without writing or reading any text.
///
/// As that text reads back: every number is a `Double` (a whole number rounded as its text rounds, a `Float` or a
/// `Decimal` as its text reads); a date is ISO 8601 text, data Base64 text, a URL its absolute text; `nil` is `null`
/// where `JSONEncoder` writes `null` (`encodeNil`, an optional in an array) and absent where it writes nothing
/// (`encodeIfPresent`); a value that encodes nothing is `{}`. What `JSONEncoder` refuses is an error: a number that is
/// not finite, nothing encoded at the top. So is what would stop the program there, a container asked for where
/// something else was encoded.
///
/// The encoder is also its own single-value container, as Foundation's is.
final class JSONValueEncoder: Encoder, SingleValueEncodingContainer {
    /// What has been encoded here; `nil` before anything.
    private var content: Slot?
    /// Why this encoder was used as `JSONEncoder` would not allow; thrown when its value is taken.
    private var misuse: EncodingError?
    /// The encoder this one encodes a value for; `nil` at the top and for a super encoder.
    private let owner: JSONValueEncoder?
    /// The path from `owner` (from the top, for a super encoder) to the container that holds the value.
    private let prefix: [any CodingKey]
    /// The value's key or index in that container; `nil` at the top.
    private let key: (any CodingKey)?

    /// `value` as JSON.
    ///
    /// - Throws: `EncodingError.invalidValue` for a number that is not finite, a value that encodes nothing, or a
    ///   container asked for where something else was encoded.
    static func encode<T: Encodable>(_ value: T) throws -> JSONValue {
        let encoder = JSONValueEncoder(owner: nil, prefix: [], key: nil)
        if let direct = try direct(value, at: []) { return direct }
        try value.encode(to: encoder)
        guard let result = try encoder.take() else {
            throw EncodingError.invalidValue(
                value, .init(codingPath: [], debugDescription: "Top-level \(T.self) did not encode any values."))
        }
        return result
    }

    private init(owner: JSONValueEncoder?, prefix: [any CodingKey], key: (any CodingKey)?) {
        self.owner = owner
        self.prefix = prefix
        self.key = key
    }

    var codingPath: [any CodingKey] { (owner?.codingPath ?? []) + prefix + (key.map { [$0] } ?? []) }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy _: Key.Type) -> KeyedEncodingContainer<Key> {
        KeyedEncodingContainer(KeyedContainer<Key>(encoder: self, object: object(in: &content, at: []), path: []))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        UnkeyedContainer(encoder: self, array: array(in: &content, at: []), path: [])
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { self }

    /// What was encoded here; `nil` if nothing was.
    private func take() throws -> JSONValue? {
        if let misuse { throw misuse }
        return try content?.value()
    }

    // MARK: Values

    /// `value` as JSON, encoded at `key` of the container at `prefix` below this encoder; `{}` if it encodes nothing.
    func wrap<T: Encodable>(_ value: T, at prefix: [any CodingKey], _ key: any CodingKey) throws -> JSONValue {
        if let direct = try Self.direct(value, at: codingPath + prefix + [key]) { return direct }
        let encoder = JSONValueEncoder(owner: self, prefix: prefix, key: key)
        try value.encode(to: encoder)
        return try encoder.take() ?? .object([:])
    }

    /// `value` as JSON when it is written without its own `encode(to:)`: the types `JSONEncoder` writes itself
    /// (dates, data, URLs, decimals), and the common primitives, which need no encoder of their own.
    private static func direct<T: Encodable>(_ value: T, at path: @autoclosure () -> [any CodingKey]) throws
        -> JSONValue?
    {
        if T.self == String.self { return .string(value as! String) }
        if T.self == Int.self { return .number(Double(value as! Int)) }
        if T.self == Double.self { return try number(value as! Double, at: path()) }
        if T.self == Bool.self { return .bool(value as! Bool) }
        if T.self == Date.self { return .string(iso8601.format(value as! Date)) }
        if T.self == Data.self { return .string((value as! Data).base64EncodedString()) }
        if T.self == URL.self { return .string((value as! URL).absoluteString) }
        if T.self == Decimal.self {
            // JSONEncoder writes the decimal's text, which a NaN makes bad JSON.
            let decimal = value as! Decimal
            guard !decimal.isNaN, let number = Double(decimal.description) else {
                throw EncodingError.invalidValue(
                    value, .init(codingPath: path(), debugDescription: "Unable to encode Decimal.nan directly in JSON.")
                )
            }
            return .number(number)
        }
        return nil
    }

    /// `value` as its JSON text reads back: a `Float` by its shortest text (0.1, not 0.100000001…).
    ///
    /// - Throws: `EncodingError.invalidValue` if `value` is not finite, as `JSONEncoder` refuses it.
    static func number<F: BinaryFloatingPoint & LosslessStringConvertible>(
        _ value: F, at path: @autoclosure () -> [any CodingKey]
    ) throws -> JSONValue {
        guard value.isFinite else {
            throw EncodingError.invalidValue(
                value,
                .init(codingPath: path(), debugDescription: "Unable to encode \(F.self).\(value) directly in JSON."))
        }
        if F.self == Double.self { return .number(Double(value)) }
        return .number(Double(value.description) ?? Double(value))
    }

    private static let iso8601 = Date.ISO8601FormatStyle()

    // MARK: Single values

    /// Records `value` as the single value encoded here.
    private func put(_ value: @autoclosure () throws -> JSONValue) throws {
        guard content == nil else { throw misused("a single value where a value was already encoded") }
        content = .value(try value())
    }

    func encodeNil() throws { try put(.null) }
    func encode(_ value: Bool) throws { try put(.bool(value)) }
    func encode(_ value: String) throws { try put(.string(value)) }
    func encode(_ value: Double) throws { try put(try Self.number(value, at: codingPath)) }
    func encode(_ value: Float) throws { try put(try Self.number(value, at: codingPath)) }
    func encode(_ value: Int) throws { try put(.number(Double(value))) }
    func encode(_ value: Int8) throws { try put(.number(Double(value))) }
    func encode(_ value: Int16) throws { try put(.number(Double(value))) }
    func encode(_ value: Int32) throws { try put(.number(Double(value))) }
    func encode(_ value: Int64) throws { try put(.number(Double(value))) }
    func encode(_ value: Int128) throws { try put(.number(Double(value))) }
    func encode(_ value: UInt) throws { try put(.number(Double(value))) }
    func encode(_ value: UInt8) throws { try put(.number(Double(value))) }
    func encode(_ value: UInt16) throws { try put(.number(Double(value))) }
    func encode(_ value: UInt32) throws { try put(.number(Double(value))) }
    func encode(_ value: UInt64) throws { try put(.number(Double(value))) }
    func encode(_ value: UInt128) throws { try put(.number(Double(value))) }

    func encode<T: Encodable>(_ value: T) throws {
        // As JSONEncoder: the value encodes into this same encoder.
        guard content == nil else { throw misused("a single value where a value was already encoded") }
        if let direct = try Self.direct(value, at: codingPath) {
            content = .value(direct)
        } else {
            try value.encode(to: self)
            if content == nil { content = .value(.object([:])) }
        }
    }

    // MARK: Storage

    /// A value being encoded: finished, or a container still open for writing.
    enum Slot {
        case value(JSONValue)
        case object(ObjectBox)
        case array(ArrayBox)
        /// What a super encoder encodes, `{}` if nothing.
        case encoder(JSONValueEncoder)

        func value() throws -> JSONValue {
            switch self {
            case .value(let value): value
            case .object(let box): try box.value()
            case .array(let box): try box.value()
            case .encoder(let encoder): try encoder.take() ?? .object([:])
            }
        }
    }

    /// The fields of an object being encoded: those finished, and those still being written (nested containers,
    /// super encoders), which a later value at their key replaces.
    final class ObjectBox {
        private(set) var fields: [String: JSONValue]
        var open: [String: Slot] = [:]
        init(_ fields: [String: JSONValue] = [:]) { self.fields = fields }

        func set(_ value: JSONValue, for key: String) {
            fields[key] = value
            if !open.isEmpty { open[key] = nil }
        }

        /// Moves a finished value at `key` into `open`, to write a nested container into.
        func reopen(_ key: String) {
            if open[key] == nil, let finished = fields.removeValue(forKey: key) { open[key] = .value(finished) }
        }

        func value() throws -> JSONValue {
            var result = fields
            for (key, slot) in open { result[key] = try slot.value() }
            return .object(result)
        }
    }

    /// The items of an array being encoded: `null` stands in `items` for each one still being written (`open`).
    final class ArrayBox {
        private(set) var items: [JSONValue]
        private var open: [(index: Int, slot: Slot)] = []
        init(_ items: [JSONValue] = []) { self.items = items }

        func append(_ value: JSONValue) { items.append(value) }

        func append(_ slot: Slot) {
            open.append((items.count, slot))
            items.append(.null)
        }

        func value() throws -> JSONValue {
            var result = items
            for (index, slot) in open { result[index] = try slot.value() }
            return .array(result)
        }
    }

    /// The object `slot` holds, at `path` below this encoder, made one if it holds nothing, or an object already
    /// finished. If it holds something else — where JSONEncoder stops the program — the encoder fails when its value
    /// is taken, and a box nobody reads is returned.
    func object(in slot: inout Slot?, at path: [any CodingKey]) -> ObjectBox {
        switch slot {
        case .object(let box): return box
        case .value(.object(let fields)):
            let box = ObjectBox(fields)
            slot = .object(box)
            return box
        case nil:
            let box = ObjectBox()
            slot = .object(box)
            return box
        default:
            misuse = misuse ?? misused("a keyed container where something else was encoded", at: path)
            return ObjectBox()
        }
    }

    /// The array `slot` holds, as `object(in:at:)` gives an object.
    func array(in slot: inout Slot?, at path: [any CodingKey]) -> ArrayBox {
        switch slot {
        case .array(let box): return box
        case .value(.array(let items)):
            let box = ArrayBox(items)
            slot = .array(box)
            return box
        case nil:
            let box = ArrayBox()
            slot = .array(box)
            return box
        default:
            misuse = misuse ?? misused("an unkeyed container where something else was encoded", at: path)
            return ArrayBox()
        }
    }

    /// A super encoder for `key` of the container at `path` below this encoder.
    func superEncoder(at path: [any CodingKey], _ key: any CodingKey) -> JSONValueEncoder {
        // It holds its whole path, not this encoder: the container that holds it must not be held by it.
        JSONValueEncoder(owner: nil, prefix: codingPath + path, key: key)
    }

    private func misused(_ what: String, at path: [any CodingKey] = []) -> EncodingError {
        .invalidValue(
            what, .init(codingPath: codingPath + path, debugDescription: "Attempt to encode \(what) at this path."))
    }
}
