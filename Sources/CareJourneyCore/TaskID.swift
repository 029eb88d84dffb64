/// Identifies one task of one case: the case and the task's number within it (`ada#3`).
///
/// Numbers come from the case's own counter, so ids are deterministic and replay to the same values.
public struct TaskID: Hashable, Comparable, Codable, Sendable, CustomStringConvertible {
    /// The case the task belongs to.
    public let caseID: CaseID
    /// The task's number within its case, from 1.
    public let number: Int

    /// Creates a task id from its case and number.
    public init(caseID: CaseID, number: Int) {
        self.caseID = caseID
        self.number = number
    }

    /// Parses the `case#number` form; `nil` when the text is not of that form.
    public init?(_ text: String) {
        guard let hash = text.lastIndex(of: "#"), let number = Int(text[text.index(after: hash)...]), number > 0
        else { return nil }
        self.init(caseID: CaseID(String(text[..<hash])), number: number)
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let id = TaskID(text) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "'\(text)' is not a task id like 'case-1#3'"))
        }
        self = id
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    public var description: String { "\(caseID)#\(number)" }

    public static func < (lhs: TaskID, rhs: TaskID) -> Bool {
        (lhs.caseID, lhs.number) < (rhs.caseID, rhs.number)
    }
}

extension TaskID: CodingKeyRepresentable {
    public var codingKey: any CodingKey { TaskIDKey(stringValue: description) }

    public init?<T: CodingKey>(codingKey: T) { self.init(codingKey.stringValue) }

    private struct TaskIDKey: CodingKey {
        let stringValue: String
        init(stringValue: String) { self.stringValue = stringValue }
        var intValue: Int? { nil }
        init?(intValue: Int) { nil }
    }
}
