import CareJourneyCore
import Foundation
import Testing

/// The hand-written JSON text of `JSONValue` agrees with Foundation's coders and refuses what is not JSON.
@Suite struct JSONTextTests {
    static let samples: [String] = [
        #"{"a":1,"b":[true,false,null],"c":{"d":"e"}}"#,
        #"{"text":"quote \" backslash \\ slash \/ newline \n tab \t unicode \u00e9 \ud83d\ude00 £"}"#,
        #"[1.5,-2,3e2,0.001,-0.0,123456789012]"#,
        #"  {"spaced" : [ 1 , 2 ] }  "#,
        #""plain""#,
        #"{}"#,
        #"[]"#,
    ]

    @Test(arguments: samples) func readsAsFoundationDoes(text: String) throws {
        let ours = try JSONValue.parse(Array(text.utf8))
        let foundation = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
        #expect(ours == foundation)
        // And what it writes reads back to the same value, in Foundation too.
        let written = ours.serialized()
        #expect(try JSONValue.parse(written) == ours)
        #expect(try JSONDecoder().decode(JSONValue.self, from: Data(written)) == ours)
    }

    @Test func writesSortedKeysAndWholeNumbersWithoutFractions() {
        let value: JSONValue = ["b": 2, "a": ["x": 1.5], "c": "line\nbreak"]
        #expect(String(decoding: value.serialized(), as: UTF8.self) == #"{"a":{"x":1.5},"b":2,"c":"line\nbreak"}"#)
    }

    @Test func anObjectWrittenFromSortedFieldsIsTheObjectsText() {
        let fields: KeyValuePairs<String, JSONValue> = [
            "a": 1, "b": ["z": true, "y": .null], "c": "quote \" and\ttab", "d": [1.5, "x"],
        ]
        let object = JSONValue.object(Dictionary(uniqueKeysWithValues: fields.map { ($0.key, $0.value) }))
        #expect(JSONValue.serializedObject(sortedFields: fields) == object.serialized())
    }

    @Test func stringsWithAndWithoutEscapesReadAlike() throws {
        let text = #"["plain","with \"escape\" after","\u00e9 first",""]"#
        #expect(try JSONValue.parse(Array(text.utf8)) == ["plain", "with \"escape\" after", "é first", ""])
    }

    @Test func aKeyGivenTwiceKeepsItsLastValue() throws {
        #expect(try JSONValue.parse(Array(#"{"a":1,"b":2,"a":3}"#.utf8)) == ["a": 3, "b": 2])
    }

    @Test(arguments: [
        ("", "a value was expected"), ("{", "a key was expected"), (#"{"a" 1}"#, "':' was expected"),
        ("[1 2]", "',' or ']' was expected"), (#""open"#, "a string is not closed"), ("tru", "'true' was expected"),
        ("1 2", "text after the value"), (#""\q""#, "an unknown escape"), ("\"a\u{01}\"", "a control character"),
        (#""\u+123""#, "four hex digits"), (#""\u12g4""#, "four hex digits"), (#""\u12""#, "four hex digits"),
    ])
    func refusesWhatIsNotJSON(text: String, reason: String) {
        #expect(throws: JSONValue.SyntaxError.self) { try JSONValue.parse(Array(text.utf8)) }
        do {
            _ = try JSONValue.parse(Array(text.utf8))
        } catch {
            #expect(error.message.contains(reason), "\(error)")
        }
    }

    @Test func isoTimesRoundTripAndAgreeWithFoundation() {
        let date = Date(timeIntervalSince1970: 1_767_603_600)
        #expect(ISO8601Text.format(date) == "2026-01-05T09:00:00Z")
        #expect(ISO8601Text.format(date) == ISO8601DateFormatter().string(from: date))
        #expect(ISO8601Text.parse("2026-01-05T09:00:00Z") == date)
        #expect(ISO8601Text.parse("2026-01-05T09:00:00.250Z") == date.addingTimeInterval(0.25))
        #expect(ISO8601Text.parse("2026-01-05T09:00:00+00:00") == date)
        #expect(ISO8601Text.parse("2026-01-05 09:00:00Z") == nil)
        #expect(ISO8601Text.parse("yesterday") == nil)
        #expect(ISO8601Text.parse("2026-0a-05T09:00:00Z") == nil)
        #expect(ISO8601Text.parse("2026-+1-05T09:00:00Z") == nil)
    }

    @Test func isoTimesAgreeWithFoundationAcrossTheCalendar() {
        // Every part with one digit and two, leap days, years' and centuries' ends: a step of 1 day 1 h 1 min 1 s.
        let foundation = ISO8601DateFormatter()
        var seconds = -86_400.0 * 365
        while seconds < 4_200_000_000 {
            let date = Date(timeIntervalSince1970: seconds)
            #expect(ISO8601Text.format(date) == foundation.string(from: date), "at \(seconds)")
            #expect(ISO8601Text.parse(ISO8601Text.format(date)) == date, "at \(seconds)")
            seconds += 90_061
        }
    }
}
