/// A closed set of words in event data or policy files. Decoding an unknown word fails with the words allowed.
public protocol Choice: CaseIterable, Codable, Sendable, Hashable, RawRepresentable where RawValue == String {}

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

extension ClosureReason: Choice {}
extension InformalSupport: Choice {}
