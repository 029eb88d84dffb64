import Foundation
import Testing

@testable import CareJourneyCore

/// `JSONValueDecoder` makes of a `JSONValue` what Foundation's `JSONDecoder`, set up as `Event.decoder`, makes of
/// its JSON text: the same values, and errors of the same kind, explanation, field path and detail.
@Suite struct JSONValueDecoderTests {
    @Test func everyCatalogSampleDecodesAsFoundationDecodesIt() throws {
        var compared = 0
        for name in EventName.allCases {
            for sample in EventCatalog.samples(of: name) {
                let event = try Event(name: name.rawValue, data: sample)
                let payload = try #require(Mirror(reflecting: event).children.first?.value as? any Codable & Hashable)
                try Self.compare(payload, sample, name)
                compared += 1
            }
        }
        #expect(compared >= 50)
    }

    /// Both decoders give `payload` from `sample`, and neither refuses a field of it.
    private static func compare<P: Codable & Hashable>(_ payload: P, _ sample: JSONValue, _ name: EventName) throws {
        #expect(Outcome { try JSONValueDecoder.decode(P.self, from: sample).value } == .value(payload), "\(name)")
        #expect(Outcome { try Self.foundation(P.self, sample) } == .value(payload), "\(name)")
        let refused = try refusedFields(P.self, sample)
        #expect(refused.foundation == [] && refused.ours == [], "\(name)")
    }

    @Test func malformedEventDataFailsAsFoundationFails() {
        let plans: [(JSONValue, String)] = [
            (["councilManaged": ["services": []]], "councilManaged.weeklyCost"),
            (["councilManaged": ["services": [], "weeklyCost": "lots"]], "councilManaged.weeklyCost"),
            (["councilManaged": "home care"], "councilManaged"),
            (["councilManaged": ["services": ["a", 2], "weeklyCost": 1]], "councilManaged.services[1]"),
            (["needs": ["a", "b", 3]], "needs[2]"),
            (["needs": ["a", "b", .null]], "needs[2]"),
            (["needs": "a"], "needs"),
            (["personalBudget": true], "personalBudget"),
            (["personalBudget": 1e13], "personalBudget"),
            (["a", "b"], ""),
        ]
        for (input, field) in plans {
            Self.expectSame(PlanUpdate.self, [input])
            #expect(Outcome { try JSONValueDecoder.decode(PlanUpdate.self, from: input).value }.field == field)
        }
        let contact: [String: JSONValue] = ["name": "Ada", "clientType": "adult", "route": "gp"]
        Self.expectSame(
            Contact.self,
            [
                .object(contact), .object(contact.filter { $0.key != "route" }),
                .object(contact.merging(["name": .null]) { $1 }), .object(contact.merging(["name": 7]) { $1 }),
                .object(contact.merging(["clientType": "child"]) { $1 }),
                .object(contact.merging(["summary": ["a"]]) { $1 }),
            ])
        // Fractional and overflowing whole numbers: Foundation reports them as bad JSON, at no path.
        let points: [JSONValue] = [3, 3.0, 3.5, 1e20, "many", .null, .number(.infinity)]
        Self.expectSame(RASResult.self, points.map { ["points": $0, "informalSupport": "none"] })
        #expect(
            Outcome { try Self.foundation(RASResult.self, ["points": 3.5, "informalSupport": "none"]) }.field == "")
        Self.expectSame(Note.self, [["task": "ada#2"], ["task": "ada"], ["task": 2], ["note": .null]])
    }

    @Test func refusesTheFieldsFoundationsReEncodingLeftOut() throws {
        let contact: [String: JSONValue] = ["name": "Ada", "clientType": "adult", "route": "gp"]
        let cases: [(JSONValue, [String])] = [
            (.object(contact.merging(["religion": "1"]) { $1 }), ["religion"]),
            (.object(contact.merging(["religion": .null, "summary": .null]) { $1 }), []),
            (.object(contact.merging(["summary": "fell", "caredFor": "Bob"]) { $1 }), []),
        ]
        for (input, refused) in cases {
            let both = try Self.refusedFields(Contact.self, input)
            #expect(both.foundation == refused && both.ours == refused, "\(input)")
        }
        let plan = try Self.refusedFields(
            PlanUpdate.self, ["needs": .null, "notes": "x", "removeDirectPayment": false])
        #expect(plan.foundation == ["notes"] && plan.ours == ["notes"])
        // The one difference: a number too big for a Double stands as null. Foundation's re-encoding left such an
        // optional field out, so it was refused as unknown; it is now read as absent.
        let huge = try Self.refusedFields(PlanUpdate.self, ["personalBudget": .number(.infinity)])
        #expect(huge.foundation == ["personalBudget"] && huge.ours == [])
    }

    @Test func recordsTheTopLevelKeysTheTypeAskedFor() throws {
        let input: JSONValue = [
            "contained": 1, "nil": .null, "optional": "x", "required": 2, "nested": ["deep": 3], "parent": 4,
            "other": 5,
        ]
        #expect(
            try JSONValueDecoder.decode(Asker.self, from: input).askedKeys
                == ["contained", "nil", "optional", "absent", "required", "nested", "parent"])
        let plan = EventCatalog.samples(of: .planUpdated)[0]
        #expect(
            try JSONValueDecoder.decode(PlanUpdate.self, from: plan).askedKeys == [
                "needs", "outcomes", "eligibleNeeds", "ineligibleNeeds", "metByNetwork", "personalBudget",
                "directPayment", "councilManaged", "riskManagement", "contingencyPlan", "informationAndAdvice",
                "needsMetByCouncil", "importantTo", "importantFor", "decisionsAndControl", "contingencyBudget",
                "crisisContact", "supportItems", "sharedWith", "removeDirectPayment", "removeCouncilManaged",
            ])
        #expect(try JSONValueDecoder.decode([String: Int].self, from: ["a": 1, "b": 2]).askedKeys == ["a", "b"])
    }

    @Test func datesAreISO8601AsInFoundation() {
        let dues: [JSONValue] = [
            "2026-01-05T09:00:00Z", "2026-01-05T09:00:00.5Z", "2026-01-05T09:00:00+01:00", "2026-01-05",
            "2026-01-05T09:00:00", "tomorrow", 5, .null,
        ]
        Self.expectSame(TimerFire.self, dues.map { ["timer": "dp.audit", "due": $0] } + [["timer": "dp.audit"]])
        // Foundation reports a bad date at the path of the decoder, not of the field.
        #expect(Outcome { try Self.foundation(TimerFire.self, ["timer": "dp.audit", "due": "x"]) }.field == "")
        Self.expectSame([Date].self, [["2026-01-05T09:00:00Z"], ["2026-01-05T09:00:00Z", "x"], [.null]])
        Self.expectSame([[String: Date]].self, [[["at": "2026-01-05T09:00:00Z"]], [["at": "x"]]])
        Self.expectSame([String: Stamp].self, [["at": "2026-01-05T09:00:00Z"], ["at": "x"], ["at": 1]])
    }

    @Test func numbersFollowFoundationsRules() {
        let wholes: [JSONValue] = [
            3, 3.0, -0.0, 3.5, -1e-7, 1e15, 9_007_199_254_740_993, 4_611_686_018_427_387_904,
            -4_611_686_018_427_387_904, 1e20,
            -9_223_372_036_854_775_808, 9_223_372_036_854_775_807, "3", true, .null, .number(.infinity), [3],
        ]
        Self.expectSame(Int.self, wholes)
        Self.expectSame(Int64.self, wholes)
        Self.expectSame(Int8.self, [127, 128, -128, -129, 1.5])
        Self.expectSame(UInt8.self, [255, 256, -1, 0])
        Self.expectSame(UInt64.self, [1e19, 1.8446744073709552e19, 1_000_000_000_000_000_001])
        Self.expectSame(Int128.self, [1e18, 1e19, 1e30, -1e30])
        Self.expectSame(
            Double.self, [0.1, -0.0, 3, 1e300, .number(.leastNonzeroMagnitude), "x", true, .null, .number(.infinity)]
        ) {
            $0.bitPattern
        }
        // 1 + 2^-24 lies halfway between two Floats: read from its text it rounds up, from the Double to even.
        Self.expectSame(Float.self, [0.1, .number(1 + 0x1p-24), 16_777_217, 3.4028235e38, 1e300, 1e-50, 0, .null]) {
            $0.bitPattern
        }
        Self.expectSame(Decimal.self, [0.1, 123456.75, 1e20, 1e200, 3, "3", .null])
        Self.expectSame(Bool.self, [true, false, 1, "true", .null])
        Self.expectSame(String.self, ["a", "", 5, .null, [], [:]])
        Self.expectSame([Int?].self, [[1, .null, 2], [1, "a"], .null])
        Self.expectSame([String: Int].self, [["a": 1, "b": 2], ["a": 1, "b": "x"], ["a", "b"]])
    }

    @Test func dataAndURLsAreReadAsFoundationReadsThem() {
        Self.expectSame(Data.self, ["aGVsbG8=", "aGVsbG8", "not base64!", 5, .null])
        Self.expectSame(URL.self, ["https://example.org/care?id=1", "", 5, .null])
    }

    /// Snapshots of cases (dates as seconds since 1970, as the store writes them) read back as Foundation reads them:
    /// every state along journeys that fill most of a case, and dates that are not numbers.
    @Test func snapshotsWithDatesInSecondsReadAsFoundationReadsThem() throws {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .secondsSince1970
        encoder.outputFormatting = [.sortedKeys]
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        var ada = Driver(at: t0.addingTimeInterval(0.125))
        var states = [ada.state]
        ada.toDelivery()
        states.append(ada.state)
        ada.send("complaint-received", after: 1.7)
        ada.send("reassign", ["team": "east", "worker": "sw.jo"], after: hours(3.3))
        states.append(ada.state)
        var charged = ChargingTests.charged()
        states.append(charged.state)
        charged.send("plan-updated", Driver.fullPlan, after: days(2))
        states.append(charged.state)
        var compared = 0
        for state in states {
            let text = try encoder.encode(state)
            let ours = try JSONValue.parse(Array(text)).decode(CaseState.self, dates: .secondsSince1970)
            #expect(ours == state)
            #expect(ours == (try decoder.decode(CaseState.self, from: text)))
            compared += 1
        }
        #expect(compared == 5)
        #expect(states[2].timers.values.contains { $0.timeIntervalSince1970.rounded() != $0.timeIntervalSince1970 })
        let dates: [JSONValue] = [[1_767_603_600.5], [-0.0], ["2026-01-05T09:00:00Z"], [.null], [true], ["at": 1]]
        for input in dates {
            let theirs = Outcome { try decoder.decode([Date].self, from: Data(input.serialized())) }
            #expect(Outcome { try input.decode([Date].self, dates: .secondsSince1970) } == theirs, "\(input)")
        }
        // A date that is not a number fails, as Foundation's does.
        #expect(Outcome { try JSONValue.array(["x"]).decode([Date].self, dates: .secondsSince1970) }.field != nil)
    }

    @Test func everyKindOfContainerReadsAndFailsAsFoundationDoes() {
        let date: JSONValue = "2026-01-05T09:00:00Z"
        let list: [JSONValue] = [.null, "a", [1, date], ["at": date], "element"]
        let whole: [String: JSONValue] = [
            "list": .array(list), "object": ["inner": ["n": 1, "at": date]], "super": "parent",
        ]
        func with(_ key: String, _ value: JSONValue) -> JSONValue { .object(whole.merging([key: value]) { $1 }) }
        func listWith(_ items: [JSONValue]) -> JSONValue { with("list", .array(items)) }
        let inputs: [JSONValue] = [
            .object(whole), with("base", 3), with("base", .null), with("list", .null), with("list", ["a": 1]),
            .object(whole.filter { $0.key != "list" }), listWith([.null]), listWith([.null, 5]),
            listWith([.null, "a", []]),
            listWith([.null, "a", .null]), listWith([.null, "a", [1]]), listWith([.null, "a", [1, "x"]]),
            listWith([.null, "a", [1, date]]), listWith([.null, "a", [1, date], 4]),
            listWith([.null, "a", [1, date], ["at": "x"], "e"]), listWith([.null, "a", [1, date], ["at": 1], "e"]),
            listWith(Array(list.prefix(4))), listWith(Array(list.prefix(4)) + [5]), listWith(list + [1]),
            with("object", ["inner": .null]), with("object", ["inner": ["n": 1.5, "at": date]]),
            with("object", ["inner": ["n": 1, "at": "x"]]), with("object", [:]),
            .object(whole.filter { $0.key != "super" }),
        ]
        Self.expectSame(Walker.self, inputs)
        Self.expectSame([Walker].self, [.array(inputs)])
        Self.expectSame([Walker].self, [[.object(whole), listWith([.null, "a", [1, date], ["at": "x"], "e"])]])
        #expect(Outcome { try JSONValueDecoder.decode(Walker.self, from: .object(whole)).value }.field == nil)
    }

    // MARK: Helpers

    /// What a decoder made of some data: the value, or the error as event errors word it.
    enum Outcome<T: Equatable>: Equatable {
        case value(T)
        case failure(kind: String, explained: String, field: String?, detail: String)

        init(_ body: () throws -> T) {
            do {
                self = .value(try body())
            } catch let error as DecodingError {
                let (kind, context): (String, DecodingError.Context) =
                    switch error {
                    case .keyNotFound(_, let context): ("keyNotFound", context)
                    case .typeMismatch(_, let context): ("typeMismatch", context)
                    case .valueNotFound(_, let context): ("valueNotFound", context)
                    case .dataCorrupted(let context): ("dataCorrupted", context)
                    @unknown default: ("unknown", .init(codingPath: [], debugDescription: ""))
                    }
                self = .failure(
                    kind: kind, explained: error.explained, field: error.fieldPath, detail: context.debugDescription)
            } catch {
                self = .failure(kind: "other", explained: "\(error)", field: nil, detail: "")
            }
        }

        /// The field path of the error; `nil` for a value.
        var field: String? {
            if case .failure(_, _, let field, _) = self { field } else { nil }
        }
    }

    /// What the event store did before: Foundation reading the value's JSON text.
    static func foundation<T: Decodable>(_: T.Type, _ data: JSONValue) throws -> T {
        try Event.decoder.decode(T.self, from: Data(data.serialized()))
    }

    /// Both decoders give the same outcome for each input, compared through `view`.
    static func expectSame<T: Decodable, V: Equatable>(
        _: T.Type, _ inputs: [JSONValue], sourceLocation: SourceLocation = #_sourceLocation, _ view: (T) -> V
    ) {
        for input in inputs {
            let ours = Outcome { view(try JSONValueDecoder.decode(T.self, from: input).value) }
            let theirs = Outcome { view(try foundation(T.self, input)) }
            #expect(ours == theirs, "\(T.self) from \(input)", sourceLocation: sourceLocation)
        }
    }

    static func expectSame<T: Decodable & Equatable>(
        _: T.Type, _ inputs: [JSONValue], sourceLocation: SourceLocation = #_sourceLocation
    ) {
        expectSame(T.self, inputs, sourceLocation: sourceLocation) { $0 }
    }

    /// The non-null fields of `data` each way refuses: before, those Foundation's re-encoded value left out; now,
    /// those the type did not ask for.
    static func refusedFields<P: Codable>(
        _: P.Type, _ data: JSONValue
    ) throws -> (foundation: [String], ours: [String]) {
        guard case .object(let fields) = data else { return ([], []) }
        let given = Set(fields.filter { $0.value != .null }.keys)
        let encoded = try JSONValue.parse(Array(Event.encoder.encode(foundation(P.self, data)))).keys
        let asked = try JSONValueDecoder.decode(P.self, from: data).askedKeys
        return (given.subtracting(encoded).sorted(), given.subtracting(asked).sorted())
    }
}

/// A coding key of any name.
private struct AnyKey: CodingKey, ExpressibleByStringLiteral {
    let stringValue: String
    init(stringValue: String) { self.stringValue = stringValue }
    init(stringLiteral value: String) { stringValue = value }
    var intValue: Int? { nil }
    init?(intValue: Int) { nil }
}

/// A date read through a single-value container.
private struct Stamp: Decodable, Equatable {
    let date: Date
    init(from decoder: any Decoder) throws { date = try decoder.singleValueContainer().decode(Date.self) }
}

/// Asks for keys every way a keyed container can.
private struct Asker: Decodable {
    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: AnyKey.self)
        _ = container.contains("contained")
        _ = try container.decodeNil(forKey: "nil")
        _ = try container.decodeIfPresent(String.self, forKey: "optional")
        _ = try container.decodeIfPresent(String.self, forKey: "absent")
        _ = try container.decode(Int.self, forKey: "required")
        _ = try container.nestedContainer(keyedBy: AnyKey.self, forKey: "nested").decode(Int.self, forKey: "deep")
        _ = try container.superDecoder(forKey: "parent")
    }
}

/// Reads `{"list": [null, "a", [1, date], {"at": date}, "element"], "object": {"inner": {"n": 1, "at": date}},
/// "super": "parent"}` through every kind of container and decoder, noting what it reads and the coding paths.
private struct Walker: Decodable, Equatable {
    let notes: [String]

    init(from decoder: any Decoder) throws {
        var notes: [String] = []
        func note(_ items: Any...) { notes.append(items.map { "\($0)" }.joined(separator: " ")) }
        func path(_ keys: [any CodingKey]) -> String {
            keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        let top = try decoder.container(keyedBy: AnyKey.self)
        note(path(top.codingPath), top.allKeys.map(\.stringValue).sorted(), top.contains("list"), top.contains("x"))
        var list = try top.nestedUnkeyedContainer(forKey: "list")
        note(path(list.codingPath), list.count ?? -1, list.isAtEnd)
        note(try list.decodeNil(), try list.decodeNil(), list.currentIndex, try list.decode(String.self))
        var inner = try list.nestedUnkeyedContainer()
        note(path(inner.codingPath), try inner.decode(Int.self), try inner.decode(Date.self), inner.isAtEnd)
        let dated = try list.nestedContainer(keyedBy: AnyKey.self)
        note(path(dated.codingPath), try dated.decode(Date.self, forKey: "at").timeIntervalSince1970)
        let element = try list.superDecoder()
        note(path(element.codingPath), try element.singleValueContainer().decode(String.self), list.isAtEnd)
        note(try list.decodeIfPresent(Int.self) as Any)
        let object = try top.nestedContainer(keyedBy: AnyKey.self, forKey: "object")
        let deeper = try object.nestedContainer(keyedBy: AnyKey.self, forKey: "inner")
        note(path(deeper.codingPath), try deeper.decode(Int.self, forKey: "n"))
        note(try deeper.decode(Date.self, forKey: "at").timeIntervalSince1970)
        note(try deeper.decodeIfPresent(Int.self, forKey: "m") as Any)
        let parent = try top.superDecoder()
        note(path(parent.codingPath), try String(from: parent))
        let base = try top.superDecoder(forKey: "base")
        note(path(base.codingPath), try base.singleValueContainer().decodeNil())
        self.notes = notes
    }
}
