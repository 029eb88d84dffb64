import Foundation

extension Event: Codable {
    /// Types an event from its name and untyped data, checking every field.
    ///
    /// - Parameters:
    ///   - name: the event's name, such as `sign-off`.
    ///   - data: the event's fields; `null` stands for none.
    /// - Throws: `unknownEvent` for a name no event has; `invalidData` naming the field for a missing field, a
    ///   value of the wrong type or a field the event does not know.
    public init(name: String, data: JSONValue) throws(TransitionError) {
        guard let eventName = EventName(rawValue: name) else {
            let guess = name.closest(in: EventName.allCases.map(\.rawValue)).map { "did you mean '\($0)'? " } ?? ""
            throw TransitionError(
                .unknownEvent, "there is no event '\(name)'; \(guess)docs/events.md lists every event", event: name)
        }
        let fields: JSONValue
        switch data {
        case .null: fields = .object([:])
        case .object: fields = data
        default:
            throw TransitionError(
                .invalidData, "the data of '\(name)' must be an object of fields, like {\"note\": \"…\"}",
                event: name)
        }
        self = try Self.typed(eventName, fields, reading: StrictPayloadReading())
    }

    /// The event `name` with its payload read from `data` by `reading`: the one list of which payload type each
    /// event has, for the API's strict reading and the forms' recording one alike.
    static func typed(_ name: EventName, _ data: JSONValue, reading: some PayloadReading) throws(TransitionError)
        -> Event
    {
        func p<P: Decodable>() throws(TransitionError) -> P { try reading.read(P.self, data, for: name) }
        switch name {
        case .contact: return .contact(try p())
        case .giveInformationAndAdvice: return .giveInformationAndAdvice(try p())
        case .offerReablement: return .offerReablement(try p())
        case .startInterimSupport: return .startInterimSupport(try p())
        case .interimSupportArranged: return .interimSupportArranged(try p())
        case .startAssessment: return .startAssessment(try p())
        case .reablementProgressChecked: return .reablementProgressChecked(try p())
        case .reablementEnded: return .reablementEnded(try p())
        case .involvementAssessed: return .involvementAssessed(try p())
        case .advocateAllocated: return .advocateAllocated(try p())
        case .assessmentCompleted: return .assessmentCompleted(try p())
        case .carerAssessmentOffered: return .carerAssessmentOffered(try p())
        case .eligibilityDecided: return .eligibilityDecided(try p())
        case .financialAssessmentCompleted: return .financialAssessmentCompleted(try p())
        case .requestFinancialAssessment: return .requestFinancialAssessment(try p())
        case .rasCompleted: return .rasCompleted(try p())
        case .planUpdated: return .planUpdated(try p())
        case .jointFundingAgreed: return .jointFundingAgreed(try p())
        case .requestHighCostApproval: return .requestHighCostApproval(try p())
        case .highCostDecided: return .highCostDecided(try p())
        case .signOff: return .signOff(try p())
        case .planCopySent: return .planCopySent(try p())
        case .providerFound: return .providerFound(try p())
        case .dpAgreementSigned: return .dpAgreementSigned(try p())
        case .dpAuditCompleted: return .dpAuditCompleted(try p())
        case .startReview: return .startReview(try p())
        case .reviewCompleted: return .reviewCompleted(try p())
        case .reminderSent: return .reminderSent(try p())
        case .notificationSent: return .notificationSent(try p())
        case .safeguardingConcern: return .safeguardingConcern(try p())
        case .s42Decision: return .s42Decision(try p())
        case .safeguardingArrangementsSafe: return .safeguardingArrangementsSafe(try p())
        case .safeguardingConcluded: return .safeguardingConcluded(try p())
        case .complaintReceived: return .complaintReceived(try p())
        case .complaintResolutionStarted: return .complaintResolutionStarted(try p())
        case .complaintConcluded: return .complaintConcluded(try p())
        case .chcChecklistCompleted: return .chcChecklistCompleted(try p())
        case .chcDecided: return .chcDecided(try p())
        case .s117AftercareRecorded: return .s117AftercareRecorded(try p())
        case .s117AftercareEnded: return .s117AftercareEnded(try p())
        case .movedToAnotherCouncil: return .movedToAnotherCouncil(try p())
        case .handoverSent: return .handoverSent(try p())
        case .closeCase: return .closeCase(try p())
        case .servicesEnded: return .servicesEnded(try p())
        case .reassign: return .reassign(try p())
        case .recordPersonDetails: return .recordPersonDetails(try p())
        case .retryTask: return .retryTask(try p())
        case .cancelTask: return .cancelTask(try p())
        case .takeTask: return .takeTask(try p())
        case .handBackTask: return .handBackTask(try p())
        case .allocateTask: return .allocateTask(try p())
        case .hold: return .hold(try p())
        case .releaseHold: return .releaseHold(try p())
        case .correctRecord: return .correctRecord(try p())
        case .policyApplied: return .policyApplied(try p())
        case .timerFired: return .timerFired(try p())
        }
    }

    /// The event's typed data, to be encoded.
    private var payload: any Encodable {
        switch self {
        case .contact(let data): data
        case .giveInformationAndAdvice(let data), .offerReablement(let data), .startInterimSupport(let data),
            .reablementProgressChecked(let data), .signOff(let data), .dpAgreementSigned(let data),
            .reminderSent(let data), .notificationSent(let data), .safeguardingConcern(let data),
            .safeguardingArrangementsSafe(let data), .complaintResolutionStarted(let data), .handoverSent(let data),
            .servicesEnded(let data), .planCopySent(let data), .s117AftercareRecorded(let data),
            .s117AftercareEnded(let data):
            data
        case .complaintReceived(let data): data
        case .financialAssessmentCompleted(let data): data
        case .requestFinancialAssessment(let data): data
        case .jointFundingAgreed(let data): data
        case .chcChecklistCompleted(let data): data
        case .chcDecided(let data): data
        case .interimSupportArranged(let data), .providerFound(let data): data
        case .startAssessment(let data), .involvementAssessed(let data): data
        case .reablementEnded(let data): data
        case .advocateAllocated(let data): data
        case .assessmentCompleted(let data): data
        case .carerAssessmentOffered(let data): data
        case .eligibilityDecided(let data): data
        case .rasCompleted(let data): data
        case .planUpdated(let data): data
        case .requestHighCostApproval(let data): data
        case .highCostDecided(let data): data
        case .dpAuditCompleted(let data): data
        case .startReview(let data): data
        case .reviewCompleted(let data): data
        case .s42Decision(let data): data
        case .safeguardingConcluded(let data): data
        case .complaintConcluded(let data): data
        case .movedToAnotherCouncil(let data): data
        case .closeCase(let data): data
        case .reassign(let data): data
        case .recordPersonDetails(let data): data
        case .retryTask(let data), .cancelTask(let data), .takeTask(let data), .handBackTask(let data): data
        case .allocateTask(let data): data
        case .hold(let data), .releaseHold(let data): data
        case .correctRecord(let data): data
        case .policyApplied(let data): data
        case .timerFired(let data): data
        }
    }

    /// The event's data as JSON text (sorted keys, ISO 8601 dates), encoded in one pass: what the store keeps.
    public var dataJSON: Data {
        // Encoding our own payload types into JSON cannot fail.
        (try? Self.encoder.encode(payload)) ?? Data("{}".utf8)
    }

    /// The event's data as untyped JSON (the inverse of `init(name:data:)`).
    public var data: JSONValue {
        // Encoding our own payload types into JSON cannot fail.
        (try? Self.decoder.decode(JSONValue.self, from: Self.encoder.encode(payload))) ?? .object([:])
    }

    private enum Key: String, CodingKey {
        case name, data
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        let name = try container.decode(String.self, forKey: .name)
        let data = try container.decodeIfPresent(JSONValue.self, forKey: .data) ?? .null
        try self.init(name: name, data: data)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(name, forKey: .name)
        try container.encode(data, forKey: .data)
    }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }()

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()

    /// Reads payloads strictly (`decodePayload`).
    struct StrictPayloadReading: PayloadReading {
        func read<P: Decodable>(_: P.Type, _ data: JSONValue, for name: EventName) throws(TransitionError) -> P {
            try Event.decodePayload(data, for: name)
        }
    }

    /// The typed payload, read straight from `data` as `decoder` would read its JSON text; a field the payload type
    /// does not ask for is refused.
    fileprivate static func decodePayload<P: Decodable>(_ data: JSONValue, for name: EventName) throws(TransitionError) -> P
    {
        let decoded: (value: P, askedKeys: Set<String>)
        do {
            decoded = try JSONValueDecoder.decode(P.self, from: data)
        } catch let error as DecodingError {
            throw TransitionError(
                .invalidData, "the data of '\(name.rawValue)' \(error.explained)", event: name.rawValue,
                field: error.fieldPath, cause: String(describing: error))
        } catch {
            throw TransitionError(
                .invalidData, "the data of '\(name.rawValue)' could not be read", event: name.rawValue,
                cause: String(describing: error))
        }
        // The first unknown field by name (a null one is as good as absent), found without sets or sorting: the
        // broker reads every worker's reply through here.
        guard case .object(let fields) = data else { return decoded.value }
        var first: String?
        for (key, value) in fields where value != .null && !decoded.askedKeys.contains(key) {
            if first.map({ key < $0 }) ?? true { first = key }
        }
        if let first {
            let known = EventCatalog.fields(of: name)
            throw TransitionError(
                .invalidData,
                "the data of '\(name.rawValue)' has a field '\(first)' it does not know"
                    + (known.isEmpty ? "; it takes no fields" : "; its fields are: \(known.joined(separator: ", "))"),
                event: name.rawValue, field: first)
        }
        return decoded.value
    }
}

extension DecodingError {
    /// The path of the field at fault (`councilManaged.weeklyCost`, `needs[2]`).
    var fieldPath: String? {
        switch self {
        case .keyNotFound(let key, let context): Self.path(context, key)
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            Self.path(context)
        @unknown default: nil
        }
    }

    private static func path(_ context: Context, _ key: (any CodingKey)? = nil) -> String {
        let keys = context.codingPath + (key.map { [$0] } ?? [])
        return keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
            .replacingOccurrences(of: ".[", with: "[")
    }

    /// The error as the end of a sentence that names the field: "is missing the field 'weeklyCost'".
    var explained: String {
        func path(_ context: Context, _ key: (any CodingKey)? = nil) -> String { Self.path(context, key) }
        switch self {
        case .keyNotFound(let key, let context):
            return "is missing the field '\(path(context, key))'"
        case .typeMismatch(let type, let context):
            return "has '\(path(context))' of the wrong type: expected \(Self.describe(type))"
        case .valueNotFound(let type, let context):
            return "has no value for '\(path(context))': expected \(Self.describe(type))"
        case .dataCorrupted(let context):
            return "has a bad value for '\(path(context))': \(context.debugDescription)"
        @unknown default:
            return "could not be read"
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "text"
        case is Bool.Type: "true or false"
        case is Int.Type: "a whole number"
        case is Double.Type: "a number"
        case is [String].Type: "a list of text"
        default: "\(type)"
        }
    }
}
