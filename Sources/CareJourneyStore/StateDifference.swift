import CareJourneyCore

/// Where a case's stored state and its replayed history part: the fields that differ, named by their path in the
/// snapshot's JSON (`stage`, `person.name`, `timers.review-due`, `plan.items[2].cost`), each with both values, so
/// that `store verify` says what it found rather than only that something differs.
///
///     StateDifference.fields(stored: snapshot, replayed: replayed)
///     // ["stage: stored delivery, replayed review", "person.name: stored Eve, replayed Ada"]
enum StateDifference {
    /// The differing fields of two states, in the order of their paths: at most `limit`, and then how many more.
    ///
    /// A field one state has and the other does not shows as `none`; a number as JSON writes it (dates are seconds
    /// since 1970, as the snapshot holds them); a list or group that differs in length or shape, as its JSON, cut
    /// short.
    static func fields(stored: CaseState, replayed: CaseState, limit: Int = 3) -> [String] {
        guard let stored = json(stored), let replayed = json(replayed) else {
            return ["the state cannot be written as JSON"]
        }
        var found: [String] = []
        compare(stored, replayed, at: "", into: &found)
        guard found.count > limit else { return found }
        let more = found.count - limit
        return Array(found.prefix(limit)) + ["and \(more) more field\(more == 1 ? "" : "s")"]
    }

    private static func json(_ state: CaseState) -> JSONValue? {
        guard let data = try? StateCodec.encode(state) else { return nil }
        return try? JSONValue.parse(Array(data))
    }

    private static func compare(
        _ stored: JSONValue?, _ replayed: JSONValue?, at path: String, into found: inout [String]
    ) {
        guard stored != replayed else { return }
        switch (stored, replayed) {
        case (.object(let left)?, .object(let right)?):
            for key in Set(left.keys).union(right.keys).sorted() {
                compare(left[key], right[key], at: path.isEmpty ? key : "\(path).\(key)", into: &found)
            }
        case (.array(let left)?, .array(let right)?) where left.count == right.count:
            for (index, (one, other)) in zip(left, right).enumerated() {
                compare(one, other, at: "\(path)[\(index)]", into: &found)
            }
        default:
            found.append("\(path.isEmpty ? "the state" : path): stored \(shown(stored)), replayed \(shown(replayed))")
        }
    }

    /// A value as a person reads it: a string bare, anything else as JSON, cut at 60 characters.
    private static func shown(_ value: JSONValue?) -> String {
        let text: String
        switch value {
        case nil, .null?: return "none"
        case .string(let string)?: text = string
        case let value?: text = String(decoding: value.serialized(), as: UTF8.self)
        }
        return text.count > 60 ? text.prefix(59) + "…" : text
    }
}
