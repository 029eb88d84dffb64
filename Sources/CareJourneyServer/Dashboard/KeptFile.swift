import CareJourneyFiles
import CareJourneyStore
import Foundation
import Logging

/// Figures a background reader keeps in a file of the store's folder (owner-only, replaced whole), so that the next
/// start shows the last ones at once, as of when they were made, until its own first read replaces them. A store
/// without a local folder (`CareStore.localFolder`) keeps none: each start reads its figures first.
struct KeptFile<Value: Codable & Sendable>: Sendable {
    /// The file's path; `nil` when the store has no local folder.
    let path: String?

    /// `name` in the local folder of `store`.
    init(_ name: String, beside store: any CareStore) {
        path = store.localFolder.map { URL(fileURLWithPath: $0).appendingPathComponent(name).path }
    }

    /// The figures kept, or nil: none kept yet, or a file another version wrote or that was damaged (the figures
    /// are then read again from the store).
    func read() -> Value? {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        return path.flatMap { FileManager.default.contents(atPath: $0) }.flatMap {
            try? decoder.decode(Value.self, from: $0)
        }
    }

    /// Keeps `value`; a file that cannot be written costs only the figures at the next start, and is logged.
    func write(_ value: Value, logger: Logger) {
        guard let path else { return }
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .secondsSince1970
        do {
            try OwnerOnlyFile.write(String(decoding: try encoder.encode(value), as: UTF8.self), to: path)
        } catch {
            logger.warning("figures not kept for the next start", metadata: ["file": .string(path), "error": .string("\(error)")])
        }
    }
}
