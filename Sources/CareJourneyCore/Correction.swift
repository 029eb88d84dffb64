/// Data of `correct-record`: a value wrongly recorded in one of the case's events (a mistyped NHS number, a name
/// recorded on the wrong case) is put right, and the wrong value is removed from the record.
///
/// The correction is carried out by the store, which holds the history: it rewrites the named event's data with
/// `corrected(_:data:)`, replays the case, and keeps this event as the audit trail of the change (who, when, why,
/// which event and field) without the value: `recorded` is what it stores. The wrong value is stored nowhere after
/// it; the right one only in the corrected event. A correction puts right what was recorded, not what was decided:
/// one that would change where the case stands is refused (`changes(from:to:)`), and the decision is an event of its
/// own.
///
/// ```json
/// {"name": "correct-record", "data": {"event": 1, "field": "nhsNumber", "value": "943 476 5919",
///  "reason": "digits transposed at contact"}}
/// ```
public struct Correction: Hashable, Codable, Sendable {
    /// The event to correct, by its number in the case's history (its version, from 1).
    public var event: Int
    /// Where the value is in that event's data: a field (`nhsNumber`), a field of a field
    /// (`councilManaged.weeklyCost`) or an item of a list (`needs[1]`).
    public var field: String
    /// The right value. Sent with the command and written into the corrected event; never kept in this one.
    public var value: JSONValue?
    /// `true` to remove the field rather than replace its value.
    public var remove: Bool?
    /// Why the value was wrong. Say what was wrong, never the wrong value itself.
    public var reason: String

    /// The correction as its event is stored: the same, without the value.
    public var recorded: Correction {
        var recorded = self
        recorded.value = nil
        return recorded
    }

    /// Whether the field is removed rather than given a new value.
    public var removes: Bool { remove == true }

    /// The event `name` with this correction made to its `data`, typed by the core's own reader, as any event is.
    ///
    /// - Throws: `invalidData` naming the part at fault: a correction that gives neither a value nor `remove`, or
    ///   both; an event the service sent itself (`timer-fired`, `policy-applied`) or a correction; a field the
    ///   event does not have; a value the field already has; data the event does not take (the message names the
    ///   field of the event at fault).
    public func corrected(_ name: EventName, data: JSONValue) throws(TransitionError) -> Event {
        if Event.systemEvents.contains(name) || name == .correctRecord {
            throw refusal(
                "event \(event) is '\(name.rawValue)', which "
                    + (name == .correctRecord
                        ? "records a correction: correct the event it corrected instead"
                        : "the service sent itself: it holds no one's record and cannot be corrected"),
                field: "event")
        }
        guard removes != (value != nil) else {
            throw refusal(
                "say what is right: give the right 'value', or 'remove': true to remove the field, not both",
                field: "value")
        }
        let path = try parsedPath()
        guard let old = data.value(at: path) else {
            let fields = data.keys.sorted().joined(separator: ", ")
            throw refusal(
                "event \(event) ('\(name.rawValue)') has no field '\(field)' to correct; its fields are: \(fields)",
                field: "field")
        }
        guard removes || old != value else {
            throw refusal("event \(event)'s '\(field)' already has this value; nothing to correct", field: "value")
        }
        do {
            return try Event(name: name.rawValue, data: data.replacing(at: path, with: value))
        } catch {
            throw TransitionError(
                .invalidData, "the corrected event \(event) cannot be recorded: \(error.message)",
                event: EventName.correctRecord.rawValue, field: "value", cause: error.description)
        }
    }

    /// What a corrected history would change about where the case stands, in words; empty when it changes
    /// nothing but what was recorded. A corrected history must leave the stage, the pending timers and the open
    /// tasks as they are: those were acted on (tasks sent, reminders scheduled), and putting a record right does not
    /// undo what was done.
    public static func changes(from current: CaseState, to corrected: CaseState) -> [String] {
        var changes: [String] = []
        if current.stage != corrected.stage {
            changes.append("its stage (\(current.stage.rawValue), then \(corrected.stage.rawValue))")
        }
        if current.timers != corrected.timers { changes.append("its pending timers") }
        if current.tasks != corrected.tasks { changes.append("its open tasks") }
        return changes
    }

    /// Checks what can be checked without the history: the event number, the path, a value and a removal not
    /// given together. (Whether a value is given at all is checked by `corrected(_:data:)`: the stored correction
    /// has none.)
    func checkShape() throws(TransitionError) {
        guard event >= 1 else {
            throw refusal("'event' is the number of the event to correct in the case's history, from 1", field: "event")
        }
        guard !(removes && value != nil) else {
            throw refusal("give the right 'value' or 'remove': true, not both", field: "value")
        }
        _ = try parsedPath()
    }

    /// `councilManaged.weeklyCost` as keys and `needs[1]` as a key and an index.
    private func parsedPath() throws(TransitionError) -> [JSONValue.PathStep] {
        var steps: [JSONValue.PathStep] = []
        for part in field.split(separator: ".", omittingEmptySubsequences: false) {
            var rest = Substring(part)
            let key = rest.prefix { $0 != "[" }
            rest = rest.dropFirst(key.count)
            guard !key.isEmpty else { throw badPath() }
            steps.append(.key(String(key)))
            while rest.first == "[" {
                guard let close = rest.firstIndex(of: "]"),
                    let index = Int(rest[rest.index(after: rest.startIndex)..<close]),
                    index >= 0
                else { throw badPath() }
                steps.append(.index(index))
                rest = rest[rest.index(after: close)...]
            }
            guard rest.isEmpty else { throw badPath() }
        }
        return steps
    }

    private func badPath() -> TransitionError {
        refusal(
            "'\(field)' is not a field: write a field's name (nhsNumber), a field of a field (councilManaged.weeklyCost) "
                + "or an item of a list (needs[1])", field: "field")
    }

    private func refusal(_ message: String, field: String) -> TransitionError {
        TransitionError(
            .invalidData, "the correction cannot be made: \(message)", event: EventName.correctRecord.rawValue,
            field: field)
    }
}

extension JSONValue {
    /// One step into a value: a field of an object, or an item of a list.
    enum PathStep: Hashable {
        case key(String)
        case index(Int)
    }

    /// The value at `path`, or `nil` when there is none.
    func value(at path: [PathStep]) -> JSONValue? {
        guard let step = path.first else { return self }
        switch (step, self) {
        case (.key(let key), .object(let fields)): return fields[key]?.value(at: Array(path.dropFirst()))
        case (.index(let index), .array(let items)) where items.indices.contains(index):
            return items[index].value(at: Array(path.dropFirst()))
        default: return nil
        }
    }

    /// The value with what is at `path` (which exists) replaced by `new`, or removed when `new` is `nil`.
    func replacing(at path: [PathStep], with new: JSONValue?) -> JSONValue {
        guard let step = path.first else { return new ?? .null }
        let rest = Array(path.dropFirst())
        switch (step, self) {
        case (.key(let key), .object(var fields)):
            fields[key] = rest.isEmpty ? new : fields[key]?.replacing(at: rest, with: new)
            return .object(fields)
        case (.index(let index), .array(var items)) where items.indices.contains(index):
            if rest.isEmpty, new == nil {
                items.remove(at: index)
            } else {
                items[index] = items[index].replacing(at: rest, with: new)
            }
            return .array(items)
        default: return self
        }
    }
}
