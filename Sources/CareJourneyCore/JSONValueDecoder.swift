import Foundation

/// Decodes `Decodable` values straight from a `JSONValue`: what Foundation's `JSONDecoder` makes of the value's JSON
/// text, errors included, without writing or reading any text. Dates are ISO 8601 text as `Event.decoder` reads them,
/// or seconds since 1970 as the store's snapshots hold them (`JSONValue.DateForm`).
///
/// It also records the top-level keys the type asks for, so event data can refuse the fields its type does not know.
/// The decoder is also its own single-value container, as Foundation's is.
struct JSONValueDecoder: Decoder, SingleValueDecodingContainer {
    /// The value to decode; a number that is not finite stands as `null`, as JSON text writes it.
    let value: JSONValue
    /// The path of the container that holds the value.
    let parentPath: [any CodingKey]
    /// The value's key or index in that container; `nil` at the top.
    let key: (any CodingKey)?
    /// Where the top-level keys asked for are recorded; `nil` below the top.
    let log: KeyLog?
    /// How dates are written.
    let dates: JSONValue.DateForm

    /// Decodes `type` from `value`.
    ///
    /// - Returns: the value, and the top-level keys it asked for (`decode`, `decodeIfPresent`, `contains`,
    ///   `decodeNil`, nested containers and super decoders).
    /// - Throws: the `DecodingError` `JSONDecoder` throws for the same JSON text.
    static func decode<T: Decodable>(
        _ type: T.Type, from value: JSONValue, dates: JSONValue.DateForm = .iso8601
    ) throws -> (value: T, askedKeys: Set<String>) {
        let log = KeyLog()
        return (try decode(type, from: value, dates: dates, log: log), log.keys)
    }

    /// Decodes `type` from `value`, recording the top-level keys it asks for in `log` if there is one.
    static func decode<T: Decodable>(
        _: T.Type, from value: JSONValue, dates: JSONValue.DateForm, log: KeyLog?
    ) throws -> T {
        do {
            return try JSONValueDecoder(value, at: [], nil, log: log, dates: dates).decode(T.self)
        } catch is UnrepresentableNumber {
            // JSONDecoder reports a number its type cannot hold as bad JSON, at no path.
            throw DecodingError.dataCorrupted(
                .init(codingPath: [], debugDescription: "The given data was not valid JSON."))
        }
    }

    init(
        _ value: JSONValue, at parentPath: [any CodingKey], _ key: (any CodingKey)?, log: KeyLog? = nil,
        dates: JSONValue.DateForm
    ) {
        if case .number(let number) = value, !number.isFinite { self.value = .null } else { self.value = value }
        self.parentPath = parentPath
        self.key = key
        self.log = log
        self.dates = dates
    }

    var codingPath: [any CodingKey] { key.map { parentPath + [$0] } ?? parentPath }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy _: Key.Type) throws -> KeyedDecodingContainer<Key> {
        try keyed(Key.self, decoderPath: nil, log: log)
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer { try unkeyed(decoderPath: nil) }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { self }

    /// A keyed container on the value; `decoderPath` is the path of the decoder that asked (`nil`: this one).
    func keyed<Key: CodingKey>(
        _: Key.Type, decoderPath: [any CodingKey]?, log: KeyLog?
    ) throws -> KeyedDecodingContainer<Key> {
        let path = codingPath
        switch value {
        case .object(let fields):
            return KeyedDecodingContainer(
                KeyedContainer<Key>(
                    fields: fields, codingPath: path, decoderPath: decoderPath ?? path, log: log, dates: dates))
        case .null:
            throw DecodingError.valueNotFound(
                [String: Any].self,
                .init(
                    codingPath: path,
                    debugDescription: "Cannot get keyed decoding container -- found null value instead"))
        default:
            throw mismatch([String: Any].self)
        }
    }

    /// An unkeyed container on the value; `decoderPath` is the path of the decoder that asked (`nil`: this one).
    func unkeyed(decoderPath: [any CodingKey]?) throws -> UnkeyedContainer {
        let path = codingPath
        switch value {
        case .array(let items):
            return UnkeyedContainer(items: items, codingPath: path, decoderPath: decoderPath ?? path, dates: dates)
        case .null:
            throw DecodingError.valueNotFound(
                [Any].self,
                .init(
                    codingPath: path,
                    debugDescription: "Cannot get unkeyed decoding container -- found null value instead"))
        default:
            throw mismatch([Any].self)
        }
    }

    /// `T` from the value, with JSONDecoder's own handling of dates (`dates`), data (Base64), URLs and decimals.
    /// JSONDecoder reports a bad date at the path of the decoder whose container asked, `decoderPath`.
    func unwrap<T: Decodable>(_: T.Type, decoderPath: [any CodingKey]) throws -> T {
        if T.self == Date.self, dates == .secondsSince1970 {
            // As JSONDecoder's `.secondsSince1970`: the number read as a Double, no other check.
            try notNull(Date.self)
            return Date(timeIntervalSince1970: try decode(Double.self)) as! T
        }
        if T.self == Date.self {
            try notNull(Date.self)
            let text = try decode(String.self)
            guard let date = try? Self.iso8601.parse(text) else {
                throw DecodingError.dataCorrupted(
                    .init(codingPath: decoderPath, debugDescription: "Expected date string to be ISO8601-formatted."))
            }
            return date as! T
        }
        if T.self == Data.self {
            try notNull(Data.self)
            guard let data = Data(base64Encoded: try decode(String.self)) else {
                throw corrupted("Encountered Data is not valid Base64.")
            }
            return data as! T
        }
        if T.self == URL.self {
            try notNull(URL.self)
            guard let url = URL(string: try decode(String.self)) else { throw corrupted("Invalid URL string.") }
            return url as! T
        }
        if T.self == Decimal.self {
            try notNull(Decimal.self)
            guard case .number(let number) = value else {
                throw DecodingError.typeMismatch(Decimal.self, .init(codingPath: codingPath, debugDescription: ""))
            }
            guard let decimal = Decimal(string: JSONValue.text(ofNumber: number)) else { throw UnrepresentableNumber() }
            return decimal as! T
        }
        return try T(from: self)
    }

    private static let iso8601 = Date.ISO8601FormatStyle()

    // MARK: Single values

    func decodeNil() -> Bool { value == .null }

    func decode(_: Bool.Type) throws -> Bool {
        // JSONDecoder reports null here as a mismatch, not as a missing value.
        guard case .bool(let bool) = value else { throw mismatch(Bool.self) }
        return bool
    }

    func decode(_: String.Type) throws -> String {
        try notNull(String.self)
        guard case .string(let string) = value else { throw mismatch(String.self) }
        return string
    }

    func decode(_: Double.Type) throws -> Double {
        let number = try number(Double.self)
        return number == 0 ? 0 : number  // JSON text writes -0.0 as 0
    }

    func decode(_: Float.Type) throws -> Float {
        // JSONDecoder reads a Float from the number's text, not from the nearest Double.
        let number = try number(Float.self)
        guard let float = Float(JSONValue.text(ofNumber: number)), float.isFinite, float != 0 || number == 0 else {
            throw UnrepresentableNumber()
        }
        return float
    }

    func decode(_: Int.Type) throws -> Int { try integer() }
    func decode(_: Int8.Type) throws -> Int8 { try integer() }
    func decode(_: Int16.Type) throws -> Int16 { try integer() }
    func decode(_: Int32.Type) throws -> Int32 { try integer() }
    func decode(_: Int64.Type) throws -> Int64 { try integer() }
    func decode(_: Int128.Type) throws -> Int128 { try integer() }
    func decode(_: UInt.Type) throws -> UInt { try integer() }
    func decode(_: UInt8.Type) throws -> UInt8 { try integer() }
    func decode(_: UInt16.Type) throws -> UInt16 { try integer() }
    func decode(_: UInt32.Type) throws -> UInt32 { try integer() }
    func decode(_: UInt64.Type) throws -> UInt64 { try integer() }
    func decode(_: UInt128.Type) throws -> UInt128 { try integer() }

    func decode<T: Decodable>(_: T.Type) throws -> T { try unwrap(T.self, decoderPath: codingPath) }

    /// A whole number that `T` holds exactly (`3.0` is 3; `3.5` and overflow are errors).
    private func integer<T: FixedWidthInteger>() throws -> T {
        let number = try number(T.self)
        guard let whole = T(exactly: number) else { throw UnrepresentableNumber() }
        guard number.magnitude >= 0x1p53 else { return whole }
        // From 2^53 on, JSONDecoder reads the number's decimal text (`4.611686018427388e+18`) into a UInt64.
        let parts = JSONValue.text(ofNumber: number.magnitude).split(separator: "e")
        let mantissa = parts[0].split(separator: ".", omittingEmptySubsequences: false)
        let fraction = mantissa.count > 1 ? mantissa[1] : ""
        let shift = (parts.count > 1 ? Int(parts[1]) ?? 0 : 0) - fraction.count
        let digits = mantissa[0] + fraction
        guard
            let magnitude = UInt64(
                shift >= 0 ? digits + String(repeating: "0", count: shift) : digits.dropLast(-shift)),
            let exact = T(exactly: magnitude)
        else { throw UnrepresentableNumber() }
        return number < 0 ? 0 - exact : exact
    }

    private func number(_ type: Any.Type) throws -> Double {
        try notNull(type)
        guard case .number(let number) = value else { throw mismatch(type) }
        return number
    }

    // MARK: Errors, worded as JSONDecoder words them

    private func notNull(_ type: Any.Type) throws {
        guard value == .null else { return }
        throw DecodingError.valueNotFound(
            type,
            .init(
                codingPath: codingPath, debugDescription: "Cannot get value of type \(type) -- found null value instead"
            ))
    }

    private func mismatch(_ type: Any.Type) -> DecodingError {
        let found =
            switch value {
            case .null: "null"
            case .bool: "bool"
            case .number: "number"
            case .string: "a string"
            case .array: "an array"
            case .object: "a dictionary"
            }
        return .typeMismatch(
            type,
            .init(codingPath: codingPath, debugDescription: "Expected to decode \(type) but found \(found) instead."))
    }

    private func corrupted(_ description: String) -> DecodingError {
        .dataCorrupted(.init(codingPath: codingPath, debugDescription: description))
    }

    /// The top-level keys a type asked for.
    final class KeyLog {
        var keys: Set<String> = []
    }

    /// A number the type cannot hold; JSONDecoder reports it, once at the top, as bad JSON.
    struct UnrepresentableNumber: Error {}

    /// An array index, or the key `super`, in a coding path (as JSONDecoder names them).
    enum PathKey: CodingKey {
        case index(Int)
        case `super`

        var stringValue: String {
            switch self {
            case .index(let index): "Index \(index)"
            case .super: "super"
            }
        }

        var intValue: Int? {
            if case .index(let index) = self { index } else { nil }
        }

        init?(stringValue: String) {
            guard stringValue == "super" else { return nil }
            self = .super
        }

        init(intValue: Int) { self = .index(intValue) }
    }
}
