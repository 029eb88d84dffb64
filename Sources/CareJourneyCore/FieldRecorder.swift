import Foundation

/// Learns an event's fields from the typed payload itself: it decodes the catalog's samples through the very
/// `Decodable` types the API decodes, and records, at every path, the type asked for and whether it was asked for
/// as required (`decode`) or optional (`decodeIfPresent`). `EventField.fields(of:)` builds forms from what it
/// records, so a form can never disagree with what the API accepts.
///
/// Values come from the sample, so custom decoding (a choice's words, a day's format, a task id) runs as usual; an
/// optional field the sample leaves out is still recorded, by its type.
final class FieldRecorder: @unchecked Sendable {
    /// What was asked for at a path (`councilManaged.weeklyCost`, `needsMetByCouncil[].need`).
    struct Asked {
        var type: Any.Type
        var required: Bool
    }

    /// Paths in the order first asked for; each with its last record (the same type every time).
    private(set) var order: [[String]] = []
    private(set) var asked: [[String]: Asked] = [:]

    func record(_ path: [String], _ type: Any.Type, required: Bool) {
        if asked[path] == nil { order.append(path) }
        // Required in any sample counts as required: a sample that leaves it out took another branch.
        let before = asked[path]?.required ?? false
        asked[path] = Asked(type: type, required: required || before)
    }
}

/// A `Decoder` over a sample `JSONValue` that records what it is asked for in a `FieldRecorder`.
struct RecordingDecoder: Decoder, SingleValueDecodingContainer {
    let value: JSONValue
    let path: [String]
    let recorder: FieldRecorder
    var codingPath: [any CodingKey] { path.map { PathKey($0) } }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy _: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .object(let fields) = value else { throw mismatch("an object") }
        return KeyedDecodingContainer(Keyed<Key>(fields: fields, path: path, recorder: recorder))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let items) = value else { throw mismatch("a list") }
        return Unkeyed(items: items, path: path, recorder: recorder)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { self }

    func decodeNil() -> Bool { value == .null }

    func decode<T: Decodable>(_ type: T.Type) throws -> T { try primitive(type) }

    /// A value of the sample as `type`: JSON's own kinds directly, any other type by its own decoding.
    private func primitive<T: Decodable>(_ type: T.Type) throws -> T {
        switch (value, type) {
        case (.string(let text), is String.Type): return try cast(text)
        case (.bool(let flag), is Bool.Type): return try cast(flag)
        case (.number(let number), is Double.Type): return try cast(number)
        case (.number(let number), is Int.Type): return try cast(Int(number))
        case (.string(let text), is Date.Type):
            guard let date = ISO8601DateFormatter().date(from: text) else { throw mismatch("a date") }
            return try cast(date)
        case (_, is String.Type), (_, is Bool.Type), (_, is any BinaryFloatingPoint.Type), (_, is any BinaryInteger.Type):
            // A JSON kind other than the type's own: its own decoding would ask this container again, for ever.
            throw mismatch("\(T.self)")
        default: return try T(from: self)
        }
    }

    func decode(_: Bool.Type) throws -> Bool { try primitive(Bool.self) }
    func decode(_: String.Type) throws -> String { try primitive(String.self) }
    func decode(_: Double.Type) throws -> Double { try primitive(Double.self) }
    func decode(_: Float.Type) throws -> Float { try primitive(Float.self) }
    func decode(_: Int.Type) throws -> Int { try primitive(Int.self) }
    func decode(_: Int8.Type) throws -> Int8 { try primitive(Int8.self) }
    func decode(_: Int16.Type) throws -> Int16 { try primitive(Int16.self) }
    func decode(_: Int32.Type) throws -> Int32 { try primitive(Int32.self) }
    func decode(_: Int64.Type) throws -> Int64 { try primitive(Int64.self) }
    func decode(_: UInt.Type) throws -> UInt { try primitive(UInt.self) }
    func decode(_: UInt8.Type) throws -> UInt8 { try primitive(UInt8.self) }
    func decode(_: UInt16.Type) throws -> UInt16 { try primitive(UInt16.self) }
    func decode(_: UInt32.Type) throws -> UInt32 { try primitive(UInt32.self) }
    func decode(_: UInt64.Type) throws -> UInt64 { try primitive(UInt64.self) }

    private func cast<T>(_ value: Any) throws -> T {
        guard let typed = value as? T else { throw mismatch("\(T.self)") }
        return typed
    }

    func mismatch(_ expected: String) -> DecodingError {
        .typeMismatch(Any.self, .init(codingPath: codingPath, debugDescription: "the sample is not \(expected)"))
    }

    /// A path segment as a coding key.
    struct PathKey: CodingKey {
        let stringValue: String
        init(_ text: String) { stringValue = text }
        init(stringValue: String) { self.stringValue = stringValue }
        var intValue: Int? { nil }
        init?(intValue: Int) { nil }
    }

    /// An object's fields: each asked-for key is recorded with its type.
    struct Keyed<Key: CodingKey>: KeyedDecodingContainerProtocol {
        let fields: [String: JSONValue]
        let path: [String]
        let recorder: FieldRecorder
        var codingPath: [any CodingKey] { path.map { PathKey($0) } }
        var allKeys: [Key] { fields.keys.compactMap { Key(stringValue: $0) } }

        func contains(_ key: Key) -> Bool { fields[key.stringValue] != nil }

        func decodeNil(forKey key: Key) throws -> Bool { (fields[key.stringValue] ?? .null) == .null }

        func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try required(key, type) }

        func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? { try optional(key, type) }

        private func required<T: Decodable>(_ key: Key, _ type: T.Type) throws -> T {
            let at = path + [key.stringValue]
            recorder.record(at, T.self, required: true)
            guard let value = fields[key.stringValue] else {
                throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "not in the sample"))
            }
            return try RecordingDecoder(value: value, path: at, recorder: recorder).decode(T.self)
        }

        private func optional<T: Decodable>(_ key: Key, _ type: T.Type) throws -> T? {
            let at = path + [key.stringValue]
            recorder.record(at, T.self, required: false)
            guard let value = fields[key.stringValue], value != .null else { return nil }
            return try RecordingDecoder(value: value, path: at, recorder: recorder).decode(T.self)
        }

        func nestedContainer<NestedKey: CodingKey>(keyedBy _: NestedKey.Type, forKey key: Key) throws
            -> KeyedDecodingContainer<NestedKey>
        {
            try RecordingDecoder(value: fields[key.stringValue] ?? .null, path: path + [key.stringValue], recorder: recorder)
                .container(keyedBy: NestedKey.self)
        }

        func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
            try RecordingDecoder(value: fields[key.stringValue] ?? .null, path: path + [key.stringValue], recorder: recorder)
                .unkeyedContainer()
        }

        func superDecoder() throws -> any Decoder { RecordingDecoder(value: .object(fields), path: path, recorder: recorder) }

        func superDecoder(forKey key: Key) throws -> any Decoder {
            RecordingDecoder(value: fields[key.stringValue] ?? .null, path: path + [key.stringValue], recorder: recorder)
        }

        // The concrete overloads record as the generic ones do.
        func decode(_: Bool.Type, forKey key: Key) throws -> Bool { try required(key, Bool.self) }
        func decodeIfPresent(_: Bool.Type, forKey key: Key) throws -> Bool? { try optional(key, Bool.self) }
        func decode(_: String.Type, forKey key: Key) throws -> String { try required(key, String.self) }
        func decodeIfPresent(_: String.Type, forKey key: Key) throws -> String? { try optional(key, String.self) }
        func decode(_: Double.Type, forKey key: Key) throws -> Double { try required(key, Double.self) }
        func decodeIfPresent(_: Double.Type, forKey key: Key) throws -> Double? { try optional(key, Double.self) }
        func decode(_: Float.Type, forKey key: Key) throws -> Float { try required(key, Float.self) }
        func decodeIfPresent(_: Float.Type, forKey key: Key) throws -> Float? { try optional(key, Float.self) }
        func decode(_: Int.Type, forKey key: Key) throws -> Int { try required(key, Int.self) }
        func decodeIfPresent(_: Int.Type, forKey key: Key) throws -> Int? { try optional(key, Int.self) }
        func decode(_: Int8.Type, forKey key: Key) throws -> Int8 { try required(key, Int8.self) }
        func decodeIfPresent(_: Int8.Type, forKey key: Key) throws -> Int8? { try optional(key, Int8.self) }
        func decode(_: Int16.Type, forKey key: Key) throws -> Int16 { try required(key, Int16.self) }
        func decodeIfPresent(_: Int16.Type, forKey key: Key) throws -> Int16? { try optional(key, Int16.self) }
        func decode(_: Int32.Type, forKey key: Key) throws -> Int32 { try required(key, Int32.self) }
        func decodeIfPresent(_: Int32.Type, forKey key: Key) throws -> Int32? { try optional(key, Int32.self) }
        func decode(_: Int64.Type, forKey key: Key) throws -> Int64 { try required(key, Int64.self) }
        func decodeIfPresent(_: Int64.Type, forKey key: Key) throws -> Int64? { try optional(key, Int64.self) }
        func decode(_: UInt.Type, forKey key: Key) throws -> UInt { try required(key, UInt.self) }
        func decodeIfPresent(_: UInt.Type, forKey key: Key) throws -> UInt? { try optional(key, UInt.self) }
        func decode(_: UInt8.Type, forKey key: Key) throws -> UInt8 { try required(key, UInt8.self) }
        func decodeIfPresent(_: UInt8.Type, forKey key: Key) throws -> UInt8? { try optional(key, UInt8.self) }
        func decode(_: UInt16.Type, forKey key: Key) throws -> UInt16 { try required(key, UInt16.self) }
        func decodeIfPresent(_: UInt16.Type, forKey key: Key) throws -> UInt16? { try optional(key, UInt16.self) }
        func decode(_: UInt32.Type, forKey key: Key) throws -> UInt32 { try required(key, UInt32.self) }
        func decodeIfPresent(_: UInt32.Type, forKey key: Key) throws -> UInt32? { try optional(key, UInt32.self) }
        func decode(_: UInt64.Type, forKey key: Key) throws -> UInt64 { try required(key, UInt64.self) }
        func decodeIfPresent(_: UInt64.Type, forKey key: Key) throws -> UInt64? { try optional(key, UInt64.self) }
    }

    /// A list's items: each recorded at the list's path with `[]` added.
    struct Unkeyed: UnkeyedDecodingContainer {
        let items: [JSONValue]
        let path: [String]
        let recorder: FieldRecorder
        var currentIndex = 0
        var codingPath: [any CodingKey] { path.map { PathKey($0) } }
        var count: Int? { items.count }
        var isAtEnd: Bool { currentIndex >= items.count }

        mutating func decodeNil() throws -> Bool {
            guard !isAtEnd, items[currentIndex] == .null else { return false }
            currentIndex += 1
            return true
        }

        mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
            let at = path + ["[]"]
            recorder.record(at, T.self, required: true)
            guard !isAtEnd else {
                throw DecodingError.valueNotFound(T.self, .init(codingPath: codingPath, debugDescription: "at the end"))
            }
            defer { currentIndex += 1 }
            return try RecordingDecoder(value: items[currentIndex], path: at, recorder: recorder).decode(T.self)
        }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy _: NestedKey.Type) throws
            -> KeyedDecodingContainer<NestedKey>
        {
            defer { currentIndex += 1 }
            return try RecordingDecoder(value: isAtEnd ? .null : items[currentIndex], path: path + ["[]"], recorder: recorder)
                .container(keyedBy: NestedKey.self)
        }

        mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
            defer { currentIndex += 1 }
            return try RecordingDecoder(value: isAtEnd ? .null : items[currentIndex], path: path + ["[]"], recorder: recorder)
                .unkeyedContainer()
        }

        mutating func superDecoder() throws -> any Decoder {
            RecordingDecoder(value: .array(items), path: path, recorder: recorder)
        }
    }
}

/// How `Event.typed` reads an event's payload: strictly from its data (the API, the store), or recording the
/// fields a sample's type asks for (forms).
protocol PayloadReading {
    func read<P: Decodable>(_ type: P.Type, _ data: JSONValue, for name: EventName) throws(TransitionError) -> P
}

/// Reads a sample's payload through a `RecordingDecoder`.
struct RecordingPayloadReading: PayloadReading {
    let recorder: FieldRecorder

    func read<P: Decodable>(_ type: P.Type, _ data: JSONValue, for name: EventName) throws(TransitionError) -> P {
        do {
            return try P(from: RecordingDecoder(value: data, path: [], recorder: recorder))
        } catch {
            throw TransitionError(
                .invalidData, "a sample of '\(name.rawValue)' could not be read", event: name.rawValue,
                cause: String(describing: error))
        }
    }
}
