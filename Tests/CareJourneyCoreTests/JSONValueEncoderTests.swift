import Foundation
import Testing

@testable import CareJourneyCore

/// `JSONValueEncoder` makes of a value what `Event.decoder` reads back, as a `JSONValue`, from the JSON text
/// `Event.encoder` writes for it — numbers to the bit, `{}` where encoding fails — as `TaskBrief.json` made it.
@Suite struct JSONValueEncoderTests {
    @Test func aPlanCopyEncodesAsFoundationWritesAndReadsIt() throws {
        var ada = Driver(policy: chargingPolicy)
        ada.toPlanning()
        ada.send("plan-updated", EventCatalog.samples(of: .planUpdated)[0])
        ada.send("plan-updated", ["supportItems": [["rate": "home-care-hour", "perWeek": 10]]])
        ada.send("financial-assessment-completed", ["outcome": "contribution", "weeklyContribution": 40.5])
        ada.send("sign-off", after: days(1) + 0.25)
        let copy = try #require(PlanCopy(of: ada.state, at: ada.now))
        Self.expectSame(copy)
        let task = try #require(ada.state.openTask(.sendPlanCopy))
        #expect(TaskBrief(for: task, in: ada.state).fields["planCopy"] == Self.foundation(copy))
    }

    @Test func aKentChecklistEncodesAsFoundationWritesAndReadsIt() throws {
        var ada = KentChecklistTests.dearPlan()
        ada.send("request-high-cost-approval", KentChecklistTests.answers())
        let checklist = try #require(ada.state.highCost.checklist)
        Self.expectSame(checklist)
        var partial = checklist
        partial.answers = [:]
        partial.leastRestrictive = nil
        Self.expectSame(partial)
    }

    @Test func numbersReadBackAsTheirText() {
        Self.expectSame(
            Numbers(
                int: 320, double: 215.5, negativeZero: -0.0, tiny: .leastNonzeroMagnitude, huge: 1e300, float: 0.1,
                largestFloat: .greatestFiniteMagnitude, int8: -128, int64: 9_007_199_254_740_993, uint64: .max,
                int128: .min, uint128: .max, decimal: Decimal(string: "215.50")!, wholeDouble: 3))
        Self.expectSame([0.1, 1 / 3, -2.5e-8, 123_456_789.123])
        Self.expectSame([Float(1) / 3, Float.leastNonzeroMagnitude, -7.25])
        Self.expectSame([Int64.max, Int64.min, 1 << 53 + 1])
        Self.expectSame(Decimal(string: "0.1")!)
    }

    @Test func stringsKeepEveryCharacter() {
        Self.expectSame(["Zoë \"Ada\" O'Neil\\ \n\t\r\u{0}\u{7F} 😀 ﷽ e\u{301} </script>", "", "null", "3"])
        Self.expectSame(["clé \"é\"\n": "välue", "": "empty key"])
    }

    @Test func optionalsAreOmittedOrNullAsFoundationWritesThem() {
        Self.expectSame(Optionals(absent: nil, present: "here", nested: .some(nil), nestedNone: nil, items: [1, nil]))
        Self.expectSame(Optionals(absent: 1, present: nil, nested: .some(2), nestedNone: .some(nil), items: []))
        Self.expectSame(Int?.none)
        Self.expectSame([String?.none, "a"])
    }

    @Test func datesDataAndURLsAreWrittenAsText() throws {
        let date = Date(timeIntervalSince1970: 1_780_000_000.75)
        Self.expectSame(
            Dated(
                date: date, dates: [t0, date], maybe: nil, data: Data([0, 1, 254, 255]),
                url: URL(string: "https://example.org/a%20b?x=1")!))
        Self.expectSame(
            Dated(
                date: t0, dates: [], maybe: t0, data: Data(),
                url: URL(string: "plan/copy", relativeTo: URL(string: "https://example.org/case/"))!))
        Self.expectSame(date)
        Self.expectSame(["due": Optional(date)])
    }

    @Test func collectionsNestAsFoundationWritesThem() {
        Self.expectSame([[1, 2], [], [3]])
        Self.expectSame(["a": ["x": 1.5], "b": [:]])
        Self.expectSame([String: Int]())
        Self.expectSame([Int]())
        Self.expectSame([2: "two", -1: "minus one"])
        Self.expectSame([Shade.light: 1, .dark: 2])
        Self.expectSame([Tone.low: [true], .high: []])
        Self.expectSame([Shade.dark, .light])
        Self.expectSame([Choice.none, .one("a"), .two(x: 1, y: [2.5]), .three(Shade.light, nil)])
    }

    @Test func everyContainerKindEncodesAsFoundationWritesIt() {
        Self.expectSame(Containers(rows: [[1, 2], [3]], name: "all", extra: 2.5))
        Self.expectSame(Containers(rows: [], name: "", extra: nil))
        Self.expectSame(Child(label: "child", base: Base(id: 7)))
        Self.expectSame([Nothing(), Nothing()])
        Self.expectSame(["nothing": Nothing()])
        Self.expectSame(Wrapper(inner: Containers(rows: [[1]], name: "inner", extra: 0)))
    }

    @Test func whatFoundationRefusesIsAnEmptyObject() {
        Self.expectSame(["nan": Double.nan], refused: true)
        Self.expectSame([Double.infinity], refused: true)
        Self.expectSame(
            Numbers(
                int: 1, double: -.infinity, negativeZero: 0, tiny: 0, huge: 0, float: 0, largestFloat: 0, int8: 0,
                int64: 0, uint64: 0, int128: 0, uint128: 0, decimal: 0, wholeDouble: 0), refused: true)
        Self.expectSame([Float.nan], refused: true)
        Self.expectSame(Decimal.nan, refused: true)
        Self.expectSame(Nothing(), refused: true)
        #expect(TaskBrief.json([Double.nan]) == .object([:]))
    }

    @Test func whatWouldStopFoundationIsAnError() {
        #expect(Outcome { try JSONValueEncoder.encode(Misused(second: .keyed)) }.failed)
        #expect(Outcome { try JSONValueEncoder.encode(Misused(second: .unkeyed)) }.failed)
        #expect(Outcome { try JSONValueEncoder.encode(Misused(second: .single)) }.failed)
        #expect(Outcome { try JSONValueEncoder.encode(Misused(second: .nestedKeyed)) }.failed)
        #expect(TaskBrief.json(["misused": Misused(second: .keyed)]) == .object([:]))
    }
}

// MARK: The oracle

extension JSONValueEncoderTests {
    /// What the brief's JSON used to be: the value written by `Event.encoder` and read back by `Event.decoder`;
    /// `{}` if either fails.
    static func foundation(_ value: some Encodable) -> JSONValue {
        (try? Event.decoder.decode(JSONValue.self, from: Event.encoder.encode(value))) ?? .object([:])
    }

    /// `TaskBrief.json` gives exactly what Foundation gives for `value`, numbers to the bit; the encoder fails only
    /// where Foundation is expected to refuse the value (`refused`).
    static func expectSame(
        _ value: some Encodable, refused: Bool = false, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let ours = TaskBrief.json(value)
        let theirs = foundation(value)
        #expect(Exact(ours) == Exact(theirs), sourceLocation: sourceLocation)
        #expect(Outcome { try JSONValueEncoder.encode(value) }.failed == refused, sourceLocation: sourceLocation)
    }

    /// A `JSONValue` compared to the bit: `-0.0` is not `0.0`, nor `é` `e\u{301}`.
    struct Exact: Equatable, CustomStringConvertible {
        let value: JSONValue
        init(_ value: JSONValue) { self.value = value }

        static func == (a: Exact, b: Exact) -> Bool {
            switch (a.value, b.value) {
            case (.number(let x), .number(let y)): x.bitPattern == y.bitPattern
            case (.string(let x), .string(let y)): Array(x.unicodeScalars) == Array(y.unicodeScalars)
            case (.array(let x), .array(let y)): x.map(Exact.init) == y.map(Exact.init)
            case (.object(let x), .object(let y)): x.mapValues(Exact.init) == y.mapValues(Exact.init)
            default: a.value == b.value
            }
        }

        var description: String { "\(value)" }
    }

    /// Whether encoding threw.
    enum Outcome {
        case value(JSONValue)
        case failure(any Error)

        init(_ body: () throws -> JSONValue) {
            do { self = .value(try body()) } catch { self = .failure(error) }
        }

        var failed: Bool { if case .failure = self { true } else { false } }
    }
}

// MARK: Values to encode

extension JSONValueEncoderTests {
    struct Numbers: Encodable {
        var int: Int, double: Double, negativeZero: Double, tiny: Double, huge: Double, float: Float
        var largestFloat: Float, int8: Int8, int64: Int64, uint64: UInt64, int128: Int128, uint128: UInt128
        var decimal: Decimal, wholeDouble: Double
    }

    struct Optionals: Encodable {
        var absent: Int?
        var present: String?
        var nested: Int??
        var nestedNone: Double??
        var items: [Int?]
    }

    struct Dated: Encodable {
        var date: Date, dates: [Date], maybe: Date?, data: Data, url: URL
    }

    enum Shade: String, Encodable, CodingKeyRepresentable { case light, dark }
    /// Not `CodingKeyRepresentable`: a dictionary keyed by it is written as an array of keys and values.
    enum Tone: Int, Encodable { case low = 1, high = 2 }
    enum Choice: Encodable {
        case none
        case one(String)
        case two(x: Int, y: [Double])
        case three(Shade, Int?)
    }

    /// Writes every kind of container: nested keyed and unkeyed containers from keyed and unkeyed ones, a key
    /// written twice, a nested container asked for twice or where an object was written, a value written over a
    /// nested container, nil written explicitly, and super encoders.
    struct Containers: Encodable {
        var rows: [[Int]], name: String, extra: Double?

        enum Key: String, CodingKey { case rows, name, extra, meta, list, again, twice, reopened, replaced }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Key.self)
            try container.encode("first", forKey: .twice)
            try container.encode(name, forKey: .twice)
            try container.encodeIfPresent(extra, forKey: .extra)
            try container.encodeNil(forKey: .name)
            var meta = container.nestedContainer(keyedBy: Key.self, forKey: .meta)
            try meta.encode(rows.count, forKey: .rows)
            var again = container.nestedContainer(keyedBy: Key.self, forKey: .meta)
            try again.encode(true, forKey: .again)
            var list = container.nestedUnkeyedContainer(forKey: .list)
            for row in rows {
                var nested = list.nestedUnkeyedContainer()
                for value in row { try nested.encode(value) }
                var cell = list.nestedContainer(keyedBy: Key.self)
                try cell.encode(row, forKey: .rows)
                try cell.encodeNil(forKey: .extra)
            }
            try list.encodeNil()
            try list.encode(Float(2.5))
            try "super".encode(to: container.superEncoder())
            try rows.encode(to: container.superEncoder(forKey: .rows))
            try Nothing().encode(to: list.superEncoder())
            try extra.encode(to: list.superEncoder())
            try container.encode(["kept": 1], forKey: .reopened)
            var reopened = container.nestedContainer(keyedBy: Key.self, forKey: .reopened)
            try reopened.encode(name, forKey: .name)
            var replaced = container.nestedUnkeyedContainer(forKey: .replaced)
            try replaced.encode(1)
            try container.encode("plain", forKey: .replaced)
            var items = container.nestedUnkeyedContainer(forKey: .again)
            try items.encode(UInt8(7))
            try items.encode(Shade.dark)
        }
    }

    /// A subclass-like value that encodes its base through a super encoder.
    struct Base: Encodable { var id: Int }
    struct Child: Encodable {
        var label: String, base: Base
        enum Key: String, CodingKey { case label, base }
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Key.self)
            try container.encode(label, forKey: .label)
            try base.encode(to: container.superEncoder())
            try base.encode(to: container.superEncoder(forKey: .base))
        }
    }

    /// Encodes nothing at all: `{}` inside a container, a failure at the top.
    struct Nothing: Encodable {
        func encode(to encoder: any Encoder) throws {}
    }

    /// A value encoded through a single-value container.
    struct Wrapper: Encodable {
        var inner: Containers
        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(inner)
        }
    }

    /// Asks for a second container where `JSONEncoder` stops the program.
    struct Misused: Encodable {
        enum Second { case keyed, unkeyed, single, nestedKeyed }
        var second: Second

        enum Key: String, CodingKey { case a }

        func encode(to encoder: any Encoder) throws {
            switch second {
            case .keyed:
                var single = encoder.singleValueContainer()
                try single.encode(1)
                _ = encoder.container(keyedBy: Key.self)
            case .unkeyed:
                var keyed = encoder.container(keyedBy: Key.self)
                try keyed.encode(1, forKey: .a)
                _ = encoder.unkeyedContainer()
            case .single:
                var single = encoder.singleValueContainer()
                try single.encode(1)
                try single.encode(2)
            case .nestedKeyed:
                var keyed = encoder.container(keyedBy: Key.self)
                try keyed.encode(1, forKey: .a)
                _ = keyed.nestedContainer(keyedBy: Key.self, forKey: .a)
            }
        }
    }
}
