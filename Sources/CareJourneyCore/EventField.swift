import Foundation

/// One field of an event's data as a form asks for it: its name, its kind, whether it is required, the fields within
/// it, and what to enter (the catalog's description). Learnt from the event's typed payload (`FieldRecorder`), never
/// written down by hand, so that a form asks for exactly what the API decodes.
public struct EventField: Sendable, Equatable {
    /// What kind of value a field holds.
    public indirect enum Kind: Sendable, Equatable {
        /// Text.
        case text
        /// A day (`YYYY-MM-DD` in the data; day, month and year on a form).
        case date
        case wholeNumber
        case number
        /// Pounds and pence.
        case money
        /// True or false.
        case yesNo
        /// A task of the case, by id.
        case task
        /// One of these words.
        case choice([String])
        /// A list of simple values.
        case list(Kind)
        /// An object of fields.
        case group([EventField])
        /// A list of objects of these fields.
        case groups([EventField])
    }

    /// The field's key in the event's data (`weeklyCost`).
    public let name: String
    public let kind: Kind
    /// Whether the type asks for it always (`decode`), not only when given (`decodeIfPresent`).
    public let required: Bool
    /// What to enter, in a practitioner's words (`EventCatalog.description(of:in:)`); `nil` when the catalog has none.
    public let description: String?

    /// Every field's key, nested ones as paths (`councilManaged.weeklyCost`, `needsMetByCouncil[].need`).
    public var paths: [String] {
        switch kind {
        case .group(let fields): [name] + fields.flatMap(\.paths).map { "\(name).\($0)" }
        case .groups(let fields): [name] + fields.flatMap(\.paths).map { "\(name)[].\($0)" }
        default: [name]
        }
    }
}

extension EventCatalog {
    /// The fields of an event's data, in the order its type asks for them: learnt by decoding the catalog's samples
    /// (and no data at all) through the event's own payload type.
    public static func formFields(of name: EventName) -> [EventField] { learntFields[name] ?? [] }

    private static let learntFields: [EventName: [EventField]] = Dictionary(
        uniqueKeysWithValues: EventName.allCases.map { name in
            let recorder = FieldRecorder()
            for sample in samples(of: name) + (samplesForFormsOnly[name] ?? []) + [.object([:])] {
                _ = try? Event.typed(name, sample, reading: RecordingPayloadReading(recorder: recorder))
            }
            return (name, EventField.fields(of: name, under: [], in: recorder))
        })

    /// Data the catalog's samples leave out, decoded only to learn the fields within it: a list of objects the
    /// samples never give is learnt by its type alone, without the fields of its items. Support items name rates of
    /// a policy's `reasonable-rates`, which a sample every policy takes cannot carry.
    private static let samplesForFormsOnly: [EventName: [JSONValue]] = [
        .planUpdated: [["supportItems": [["rate": "home-care-hour", "perWeek": 10]]]]
    ]
}

extension EventField {
    /// The fields of `event`'s data recorded directly under `path`.
    static func fields(of event: EventName, under path: [String], in recorder: FieldRecorder) -> [EventField] {
        recorder.order.filter { $0.count == path.count + 1 && Array($0.dropLast()) == path && $0.last != "[]" }
            .compactMap { at in
                guard let asked = recorder.asked[at], let name = at.last else { return nil }
                return EventField(
                    name: name, kind: kind(of: asked.type, at: at, of: event, in: recorder), required: asked.required,
                    description: EventCatalog.description(of: dotted(at), in: event))
            }
    }

    /// A recorded path as `paths` writes it: `["needsMetByCouncil", "[]", "need"]` as `needsMetByCouncil[].need`.
    private static func dotted(_ path: [String]) -> String {
        path.reduce("") { written, part in
            part == "[]" ? written + part : written.isEmpty ? part : "\(written).\(part)"
        }
    }

    /// The kind of a value of `type` recorded at `path` of `event`'s data.
    private static func kind(of type: Any.Type, at path: [String], of event: EventName, in recorder: FieldRecorder)
        -> Kind
    {
        if let simple = simpleKind(of: type) { return simple }
        if let list = type as? any ListOfValues.Type {
            let element = path + ["[]"]
            if let simple = simpleKind(of: list.elementType) { return .list(simple) }
            return .groups(fields(of: event, under: element, in: recorder))
        }
        let children = fields(of: event, under: path, in: recorder)
        return children.isEmpty ? .text : .group(children)
    }

    /// The kind of a value that is one input on a form; `nil` for lists and objects.
    private static func simpleKind(of type: Any.Type) -> Kind? {
        switch type {
        case is String.Type, is CaseID.Type: return .text
        case is TaskID.Type: return .task
        case is Bool.Type: return .yesNo
        case is Int.Type: return .wholeNumber
        case is Double.Type, is PlannedUnits.Type: return .number
        case is Money.Type: return .money
        case is CalendarDay.Type, is Date.Type: return .date
        default: break
        }
        if let choice = type as? any Choice.Type { return .choice(words(of: choice)) }
        return nil
    }

    private static func words<C: Choice>(of _: C.Type) -> [String] { C.allCases.map(\.rawValue) }
}

/// A list, whose items' type a form needs to know.
protocol ListOfValues {
    static var elementType: Any.Type { get }
}

extension Array: ListOfValues {
    static var elementType: Any.Type { Element.self }
}
