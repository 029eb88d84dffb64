/// The keyed and unkeyed containers of `JSONValueEncoder`. A value that is not a primitive is encoded through
/// `JSONValueEncoder.wrap`, so it is written, and its errors worded, in one place.
extension JSONValueEncoder {
    /// The fields of an object. Writing a key again replaces its value, as in `JSONEncoder`.
    struct KeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let encoder: JSONValueEncoder
        let object: ObjectBox
        /// The path from `encoder` to this container.
        let path: [any CodingKey]

        var codingPath: [any CodingKey] { encoder.codingPath + path }

        private func set(_ value: JSONValue, _ key: Key) { object.set(value, for: key.stringValue) }

        mutating func encodeNil(forKey key: Key) throws { set(.null, key) }
        mutating func encode(_ value: Bool, forKey key: Key) throws { set(.bool(value), key) }
        mutating func encode(_ value: String, forKey key: Key) throws { set(.string(value), key) }
        mutating func encode(_ value: Double, forKey key: Key) throws {
            set(try JSONValueEncoder.number(value, at: codingPath + [key]), key)
        }
        mutating func encode(_ value: Float, forKey key: Key) throws {
            set(try JSONValueEncoder.number(value, at: codingPath + [key]), key)
        }
        mutating func encode(_ value: Int, forKey key: Key) throws { set(.number(Double(value)), key) }
        mutating func encode(_ value: Int8, forKey key: Key) throws { set(.number(Double(value)), key) }
        mutating func encode(_ value: Int16, forKey key: Key) throws { set(.number(Double(value)), key) }
        mutating func encode(_ value: Int32, forKey key: Key) throws { set(.number(Double(value)), key) }
        mutating func encode(_ value: Int64, forKey key: Key) throws { set(.number(Double(value)), key) }
        mutating func encode(_ value: Int128, forKey key: Key) throws { set(.number(Double(value)), key) }
        mutating func encode(_ value: UInt, forKey key: Key) throws { set(.number(Double(value)), key) }
        mutating func encode(_ value: UInt8, forKey key: Key) throws { set(.number(Double(value)), key) }
        mutating func encode(_ value: UInt16, forKey key: Key) throws { set(.number(Double(value)), key) }
        mutating func encode(_ value: UInt32, forKey key: Key) throws { set(.number(Double(value)), key) }
        mutating func encode(_ value: UInt64, forKey key: Key) throws { set(.number(Double(value)), key) }
        mutating func encode(_ value: UInt128, forKey key: Key) throws { set(.number(Double(value)), key) }

        mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
            set(try encoder.wrap(value, at: path, key), key)
        }

        mutating func nestedContainer<NestedKey: CodingKey>(
            keyedBy _: NestedKey.Type, forKey key: Key
        ) -> KeyedEncodingContainer<NestedKey> {
            object.reopen(key.stringValue)
            let nested = encoder.object(in: &object.open[key.stringValue], at: path + [key])
            return KeyedEncodingContainer(
                KeyedContainer<NestedKey>(encoder: encoder, object: nested, path: path + [key]))
        }

        mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
            object.reopen(key.stringValue)
            let nested = encoder.array(in: &object.open[key.stringValue], at: path + [key])
            return UnkeyedContainer(encoder: encoder, array: nested, path: path + [key])
        }

        mutating func superEncoder() -> any Encoder { superEncoder(JSONValueDecoder.PathKey.super) }
        mutating func superEncoder(forKey key: Key) -> any Encoder { superEncoder(key) }

        private func superEncoder(_ key: any CodingKey) -> any Encoder {
            let superEncoder = encoder.superEncoder(at: path, key)
            object.open[key.stringValue] = .encoder(superEncoder)
            return superEncoder
        }
    }

    /// The items of an array.
    struct UnkeyedContainer: UnkeyedEncodingContainer {
        let encoder: JSONValueEncoder
        let array: ArrayBox
        /// The path from `encoder` to this container.
        let path: [any CodingKey]

        var codingPath: [any CodingKey] { encoder.codingPath + path }
        var count: Int { array.items.count }

        /// The index the next item takes.
        private var next: any CodingKey { JSONValueDecoder.PathKey.index(count) }

        private func append(_ value: JSONValue) { array.append(value) }

        mutating func encodeNil() throws { append(.null) }
        mutating func encode(_ value: Bool) throws { append(.bool(value)) }
        mutating func encode(_ value: String) throws { append(.string(value)) }
        mutating func encode(_ value: Double) throws {
            append(try JSONValueEncoder.number(value, at: codingPath + [next]))
        }
        mutating func encode(_ value: Float) throws {
            append(try JSONValueEncoder.number(value, at: codingPath + [next]))
        }
        mutating func encode(_ value: Int) throws { append(.number(Double(value))) }
        mutating func encode(_ value: Int8) throws { append(.number(Double(value))) }
        mutating func encode(_ value: Int16) throws { append(.number(Double(value))) }
        mutating func encode(_ value: Int32) throws { append(.number(Double(value))) }
        mutating func encode(_ value: Int64) throws { append(.number(Double(value))) }
        mutating func encode(_ value: Int128) throws { append(.number(Double(value))) }
        mutating func encode(_ value: UInt) throws { append(.number(Double(value))) }
        mutating func encode(_ value: UInt8) throws { append(.number(Double(value))) }
        mutating func encode(_ value: UInt16) throws { append(.number(Double(value))) }
        mutating func encode(_ value: UInt32) throws { append(.number(Double(value))) }
        mutating func encode(_ value: UInt64) throws { append(.number(Double(value))) }
        mutating func encode(_ value: UInt128) throws { append(.number(Double(value))) }

        mutating func encode<T: Encodable>(_ value: T) throws { append(try encoder.wrap(value, at: path, next)) }

        mutating func nestedContainer<NestedKey: CodingKey>(
            keyedBy _: NestedKey.Type
        ) -> KeyedEncodingContainer<NestedKey> {
            let nested = ObjectBox()
            let nestedPath = path + [next]
            array.append(Slot.object(nested))
            return KeyedEncodingContainer(KeyedContainer<NestedKey>(encoder: encoder, object: nested, path: nestedPath))
        }

        mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
            let nested = ArrayBox()
            let nestedPath = path + [next]
            array.append(Slot.array(nested))
            return UnkeyedContainer(encoder: encoder, array: nested, path: nestedPath)
        }

        mutating func superEncoder() -> any Encoder {
            let superEncoder = encoder.superEncoder(at: path, next)
            array.append(Slot.encoder(superEncoder))
            return superEncoder
        }
    }
}
