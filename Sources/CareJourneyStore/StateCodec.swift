import CareJourneyCore
import Foundation

/// How states, events and policies are written into the store and read back.
package enum StateCodec {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .secondsSince1970
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }()

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        return decoder
    }()

    package static func encode<T: Encodable>(_ value: T) throws(StoreError) -> Data {
        do {
            return try encoder.encode(value)
        } catch {
            throw StoreError(.corrupt, "cannot encode \(T.self)", cause: error)
        }
    }

    package static func decode<T: Decodable>(_ type: T.Type, _ data: Data, what: String) throws(StoreError) -> T {
        do {
            return try decoder.decode(type, from: data)
        } catch {
            throw StoreError(.corrupt, "cannot read \(what) back from the store", cause: error)
        }
    }

    /// A case's state as a snapshot holds it (JSON text, dates in seconds since 1970), read by the core's own reader
    /// and decoder: what `decoder` reads, several times faster (`JSONValueDecoderTests`), which loading a case and
    /// checking a million snapshots in `store verify` need.
    static func state(_ data: Data, what: String) throws(StoreError) -> CaseState {
        do {
            return try JSONValue.parse(Array(data)).decode(CaseState.self, dates: .secondsSince1970)
        } catch {
            throw StoreError(.corrupt, "cannot read \(what) back from the store", cause: error)
        }
    }

    /// An event's data as stored: JSON text with ISO 8601 dates (the same form the API and scenarios use).
    static func eventData(_ event: Event) -> String {
        String(decoding: event.dataJSON, as: UTF8.self)
    }

    /// An event's stored data, untyped.
    static func json(_ data: String) throws(StoreError) -> JSONValue {
        do {
            // The core's own reader: it reads JSON as Foundation does (JSONTextTests), several times faster, which
            // replaying a million histories for a report or a verify needs.
            return try JSONValue.parse(Array(data.utf8))
        } catch {
            throw StoreError(.corrupt, "event data is not JSON", cause: error)
        }
    }

    /// Reads an event back from its name and stored data.
    static func event(name: String, data: String) throws(StoreError) -> Event {
        let json = try json(data)
        do {
            return try Event(name: name, data: json)
        } catch {
            throw StoreError(.corrupt, "a stored '\(name)' event no longer reads: \(error.message)", cause: error)
        }
    }
}

extension Policy {
    /// A short stable hash of the policy's numbers: events record it, so history replays under the right policy.
    public var fingerprint: String {
        "\(id)-" + StableHash.hex((try? StateCodec.encoder.encode(self)) ?? Data())
    }
}

/// FNV-1a, 64 bits: a stable hash of bytes (the same on every machine and run), for fingerprints.
public enum StableHash {
    /// The hash of `bytes` in hexadecimal.
    public static func hex(_ bytes: Data) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash &*= 0x100_0000_01b3
        }
        return String(hash, radix: 16)
    }
}

extension CaseState {
    /// The state as the store keeps it (a snapshot): for tools that write stores directly, such as benchmarks.
    public var storedForm: Data {
        get throws(StoreError) { try StateCodec.encode(self) }
    }
}
