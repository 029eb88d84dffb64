/// The keyed and unkeyed containers of `JSONValueDecoder`. Each value is read through a `JSONValueDecoder` standing
/// at its key or index, so it is read, and its errors worded, in one place.
extension JSONValueDecoder {
    /// The fields of an object.
    struct KeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
        let fields: [String: JSONValue]
        let codingPath: [any CodingKey]
        /// The path of the decoder this container came from: JSONDecoder reports a bad date there.
        let decoderPath: [any CodingKey]
        /// Records the keys asked for, in the top-level container only.
        let log: KeyLog?
        let dates: JSONValue.DateForm

        var allKeys: [Key] { fields.keys.compactMap { Key(stringValue: $0) } }

        func contains(_ key: Key) -> Bool {
            log?.keys.insert(key.stringValue)
            return fields[key.stringValue] != nil
        }

        /// A decoder on the value at `key`.
        private func field(_ key: Key) throws -> JSONValueDecoder {
            log?.keys.insert(key.stringValue)
            guard let value = fields[key.stringValue] else {
                throw DecodingError.keyNotFound(
                    key,
                    .init(
                        codingPath: codingPath,
                        debugDescription: "No value associated with key \(key) (\"\(key.stringValue)\")."))
            }
            return JSONValueDecoder(value, at: codingPath, key, dates: dates)
        }

        /// A decoder on the value at `key`; `nil` when there is none or it is null. One look-up where the
        /// protocol's own `decodeIfPresent` makes three (`contains`, `decodeNil`, `decode`), with the same outcome.
        private func present(_ key: Key) -> JSONValueDecoder? {
            log?.keys.insert(key.stringValue)
            guard let value = fields[key.stringValue] else { return nil }
            let field = JSONValueDecoder(value, at: codingPath, key, dates: dates)
            return field.decodeNil() ? nil : field
        }

        func decodeIfPresent<T: Decodable>(_: T.Type, forKey key: Key) throws -> T? {
            try present(key)?.unwrap(T.self, decoderPath: decoderPath)
        }
        func decodeIfPresent(_: String.Type, forKey key: Key) throws -> String? {
            try present(key)?.decode(String.self)
        }
        func decodeIfPresent(_: Bool.Type, forKey key: Key) throws -> Bool? { try present(key)?.decode(Bool.self) }
        func decodeIfPresent(_: Double.Type, forKey key: Key) throws -> Double? {
            try present(key)?.decode(Double.self)
        }
        func decodeIfPresent(_: Int.Type, forKey key: Key) throws -> Int? { try present(key)?.decode(Int.self) }

        func decodeNil(forKey key: Key) throws -> Bool { try field(key).decodeNil() }
        func decode(_: Bool.Type, forKey key: Key) throws -> Bool { try field(key).decode(Bool.self) }
        func decode(_: String.Type, forKey key: Key) throws -> String { try field(key).decode(String.self) }
        func decode(_: Double.Type, forKey key: Key) throws -> Double { try field(key).decode(Double.self) }
        func decode(_: Float.Type, forKey key: Key) throws -> Float { try field(key).decode(Float.self) }
        func decode(_: Int.Type, forKey key: Key) throws -> Int { try field(key).decode(Int.self) }
        func decode(_: Int8.Type, forKey key: Key) throws -> Int8 { try field(key).decode(Int8.self) }
        func decode(_: Int16.Type, forKey key: Key) throws -> Int16 { try field(key).decode(Int16.self) }
        func decode(_: Int32.Type, forKey key: Key) throws -> Int32 { try field(key).decode(Int32.self) }
        func decode(_: Int64.Type, forKey key: Key) throws -> Int64 { try field(key).decode(Int64.self) }
        func decode(_: Int128.Type, forKey key: Key) throws -> Int128 { try field(key).decode(Int128.self) }
        func decode(_: UInt.Type, forKey key: Key) throws -> UInt { try field(key).decode(UInt.self) }
        func decode(_: UInt8.Type, forKey key: Key) throws -> UInt8 { try field(key).decode(UInt8.self) }
        func decode(_: UInt16.Type, forKey key: Key) throws -> UInt16 { try field(key).decode(UInt16.self) }
        func decode(_: UInt32.Type, forKey key: Key) throws -> UInt32 { try field(key).decode(UInt32.self) }
        func decode(_: UInt64.Type, forKey key: Key) throws -> UInt64 { try field(key).decode(UInt64.self) }
        func decode(_: UInt128.Type, forKey key: Key) throws -> UInt128 { try field(key).decode(UInt128.self) }

        func decode<T: Decodable>(_: T.Type, forKey key: Key) throws -> T {
            try field(key).unwrap(T.self, decoderPath: decoderPath)
        }

        func nestedContainer<NestedKey: CodingKey>(
            keyedBy _: NestedKey.Type, forKey key: Key
        ) throws -> KeyedDecodingContainer<NestedKey> {
            try field(key).keyed(NestedKey.self, decoderPath: decoderPath, log: nil)
        }

        func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
            try field(key).unkeyed(decoderPath: decoderPath)
        }

        func superDecoder() throws -> any Decoder { decoder(at: PathKey.super) }

        func superDecoder(forKey key: Key) throws -> any Decoder { decoder(at: key) }

        /// A decoder on the value at `key`, standing on `null` when there is none (as JSONDecoder's does).
        private func decoder(at key: some CodingKey) -> JSONValueDecoder {
            log?.keys.insert(key.stringValue)
            return JSONValueDecoder(fields[key.stringValue] ?? .null, at: codingPath, key, dates: dates)
        }
    }

    /// The items of an array, read in order.
    struct UnkeyedContainer: UnkeyedDecodingContainer {
        let items: [JSONValue]
        let codingPath: [any CodingKey]
        /// The path of the decoder this container came from: JSONDecoder reports a bad date there.
        let decoderPath: [any CodingKey]
        let dates: JSONValue.DateForm
        private(set) var currentIndex = 0

        init(
            items: [JSONValue], codingPath: [any CodingKey], decoderPath: [any CodingKey], dates: JSONValue.DateForm
        ) {
            self.items = items
            self.codingPath = codingPath
            self.decoderPath = decoderPath
            self.dates = dates
        }

        var count: Int? { items.count }
        var isAtEnd: Bool { currentIndex >= items.count }

        /// A decoder on the next item; past the end, the error JSONDecoder throws for a `type` there.
        private func peek<T>(_ type: T.Type, atEnd message: String = "Unkeyed container is at end.") throws
            -> JSONValueDecoder
        {
            let key = PathKey.index(currentIndex)
            guard !isAtEnd else {
                throw DecodingError.valueNotFound(
                    type, .init(codingPath: codingPath + [key], debugDescription: message))
            }
            return JSONValueDecoder(items[currentIndex], at: codingPath, key, dates: dates)
        }

        /// The next item, read by `read`; the container moves on only when that succeeds.
        private mutating func next<T>(_ type: T.Type, _ read: (JSONValueDecoder) throws -> T) throws -> T {
            let result = try read(peek(type))
            currentIndex += 1
            return result
        }

        mutating func decodeNil() throws -> Bool {
            guard try peek(Never.self).decodeNil() else { return false }
            currentIndex += 1
            return true
        }

        mutating func decode(_: Bool.Type) throws -> Bool { try next(Bool.self) { try $0.decode(Bool.self) } }
        mutating func decode(_: String.Type) throws -> String { try next(String.self) { try $0.decode(String.self) } }
        mutating func decode(_: Double.Type) throws -> Double { try next(Double.self) { try $0.decode(Double.self) } }
        mutating func decode(_: Float.Type) throws -> Float { try next(Float.self) { try $0.decode(Float.self) } }
        mutating func decode(_: Int.Type) throws -> Int { try next(Int.self) { try $0.decode(Int.self) } }
        mutating func decode(_: Int8.Type) throws -> Int8 { try next(Int8.self) { try $0.decode(Int8.self) } }
        mutating func decode(_: Int16.Type) throws -> Int16 { try next(Int16.self) { try $0.decode(Int16.self) } }
        mutating func decode(_: Int32.Type) throws -> Int32 { try next(Int32.self) { try $0.decode(Int32.self) } }
        mutating func decode(_: Int64.Type) throws -> Int64 { try next(Int64.self) { try $0.decode(Int64.self) } }
        mutating func decode(_: Int128.Type) throws -> Int128 { try next(Int128.self) { try $0.decode(Int128.self) } }
        mutating func decode(_: UInt.Type) throws -> UInt { try next(UInt.self) { try $0.decode(UInt.self) } }
        mutating func decode(_: UInt8.Type) throws -> UInt8 { try next(UInt8.self) { try $0.decode(UInt8.self) } }
        mutating func decode(_: UInt16.Type) throws -> UInt16 { try next(UInt16.self) { try $0.decode(UInt16.self) } }
        mutating func decode(_: UInt32.Type) throws -> UInt32 { try next(UInt32.self) { try $0.decode(UInt32.self) } }
        mutating func decode(_: UInt64.Type) throws -> UInt64 { try next(UInt64.self) { try $0.decode(UInt64.self) } }
        mutating func decode(_: UInt128.Type) throws -> UInt128 {
            try next(UInt128.self) { try $0.decode(UInt128.self) }
        }

        mutating func decode<T: Decodable>(_: T.Type) throws -> T {
            let decoderPath = decoderPath
            return try next(T.self) { try $0.unwrap(T.self, decoderPath: decoderPath) }
        }

        mutating func nestedContainer<NestedKey: CodingKey>(
            keyedBy _: NestedKey.Type
        ) throws -> KeyedDecodingContainer<NestedKey> {
            let decoderPath = decoderPath
            return try next(KeyedDecodingContainer<NestedKey>.self) {
                try $0.keyed(NestedKey.self, decoderPath: decoderPath, log: nil)
            }
        }

        mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
            let decoderPath = decoderPath
            return try next((any UnkeyedDecodingContainer).self) { try $0.unkeyed(decoderPath: decoderPath) }
        }

        mutating func superDecoder() throws -> any Decoder {
            let decoder = try peek(
                (any Decoder).self, atEnd: "Cannot get superDecoder() -- unkeyed container is at end.")
            currentIndex += 1
            return decoder
        }
    }
}
