import CareJourneyCore

extension JSONValue {
    /// The number, when this is one.
    var number: Double? { if case .number(let value) = self { value } else { nil } }

    /// The strings of an array, skipping anything else; `nil` when this is not an array.
    var arrayOfStrings: [String]? {
        guard case .array(let items) = self else { return nil }
        return items.compactMap { if case .string(let text) = $0 { text } else { nil } }
    }
}
