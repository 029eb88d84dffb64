/// A closed set of words in event data or policy files. Decoding an unknown word fails with the words allowed.
/// Being `CodingKeyRepresentable`, a dictionary keyed by one encodes as a JSON object (stable with sorted keys).
public protocol Choice: CaseIterable, Codable, Sendable, Hashable, RawRepresentable, CodingKeyRepresentable
where RawValue == String {}

extension Choice {
    public init(from decoder: any Decoder) throws {
        let word = try decoder.singleValueContainer().decode(String.self)
        guard let value = Self(rawValue: word) else {
            throw DecodingError.dataCorrupted(
                .init(
                    codingPath: decoder.codingPath,
                    debugDescription: "'\(word)' is not one of: \(Self.allowedWords)"))
        }
        self = value
    }

    /// The allowed words, comma-separated, for messages.
    public static var allowedWords: String { allCases.map(\.rawValue).joined(separator: ", ") }
}

extension InformalSupport: Choice {}

extension String {
    /// The word in `candidates` nearest to this one, if it is close enough to be a slip (for "did you mean").
    public func closest(in candidates: [String]) -> String? {
        let best = candidates.min { distance(to: $0) < distance(to: $1) }
        return best.flatMap { distance(to: $0) <= max(2, count / 4) ? $0 : nil }
    }

    /// The Levenshtein distance to `other`.
    func distance(to other: String) -> Int {
        let a = Array(self)
        let b = Array(other)
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = Swift.min(
                    previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
