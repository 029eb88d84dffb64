import CareJourneyCore
import CareJourneyFiles
import CareJourneySimulation
import Foundation
import Yams

/// Reads and validates a simulation profile (`examples/profiles/*.yaml`) into a `SimulationProfile`.
///
/// A missing key, a value of the wrong type, an unknown key or numbers that do not add up is a `FileError` naming
/// the file, the line where known, and the key. The format is documented in `docs/simulation.md`.
public enum ProfileFile {
    /// Loads a profile from disk.
    ///
    /// - Parameter path: the file's path, as the user wrote it (used in messages).
    /// - Throws: `FileError` when the file cannot be read or is not a valid profile.
    public static func load(_ path: String) throws(FileError) -> SimulationProfile {
        try read(
            YAMLValue.load(path, what: "profile", hint: "check the path; shipped profiles are in examples/profiles/"))
    }

    /// Parses a profile from YAML text; `file` names it in messages.
    public static func parse(_ text: String, file: String) throws(FileError) -> SimulationProfile {
        try read(YAMLValue.document(text, file: file))
    }

    /// The profile `serve`'s Plan page uses when none is named.
    public static let shippedPath = "examples/profiles/small-unitary.yaml"

    /// The shipped profile, found as `PolicyFile.findShipped` finds the policy.
    public static func findShipped() -> String? { PolicyFile.findShipped(shippedPath) }

    private static func read(_ document: YAMLValue) throws(FileError) -> SimulationProfile {
        let file = document.file
        let hint = "docs/simulation.md describes every key of a profile"
        let profile: SimulationProfile
        do {
            profile = try YAMLDecoder().decode(SimulationProfile.self, from: document.node)
        } catch let DecodingError.keyNotFound(key, context) {
            throw FileError(
                .missingKey, "'\(key.stringValue)' is missing", file: file,
                key: keyPath(context.codingPath).nilIfEmpty, hint: hint)
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context),
            let DecodingError.dataCorrupted(context)
        {
            throw FileError(
                .badValue, context.debugDescription, file: file, key: keyPath(context.codingPath).nilIfEmpty,
                hint: hint)
        } catch {
            throw FileError(.badValue, "the profile cannot be read", file: file, hint: hint, cause: "\(error)")
        }
        // Every key written must be one the profile reads: what it reads back is what it knows.
        if let known = try? Yams.compose(yaml: YAMLEncoder().encode(profile)),
            let unknown = firstUnknown(document.node, known, "")
        {
            throw FileError(
                .unknownKey, "'\(unknown.key)' is not a key of a profile", file: file, line: unknown.line,
                key: unknown.key, hint: hint)
        }
        do {
            try profile.validate()
        } catch {
            throw FileError(.inconsistent, error.message, file: file, hint: hint)
        }
        return profile
    }

    private static func keyPath(_ path: [any CodingKey]) -> String {
        path.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
    }

    private static func firstUnknown(_ written: Node, _ known: Node, _ path: String) -> (key: String, line: Int?)? {
        guard let mapping = written.mapping else { return nil }
        for (key, value) in mapping {
            let name = key.string ?? "?"
            let here = path.isEmpty ? name : "\(path).\(name)"
            guard let knownValue = known.mapping?.first(where: { $0.key.string == name })?.value else {
                if let text = value.scalar?.string, ["", "null", "~"].contains(text) { continue }
                return (here, key.mark?.line)
            }
            if let found = firstUnknown(value, knownValue, here) { return found }
        }
        return nil
    }
}

extension String {
    fileprivate var nilIfEmpty: String? { isEmpty ? nil : self }
}
