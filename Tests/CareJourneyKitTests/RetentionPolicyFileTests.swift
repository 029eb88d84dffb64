import CareJourneyCore
import CareJourneyFiles
import Foundation
import Testing
import CareJourneyTestSupport

@testable import CareJourneyKit

/// The `retention:` key: rules in order, the last covering every case, each period more than zero; a mistake is named
/// with its file, line and key.
@Suite struct RetentionPolicyFileTests {
    static let derbyshire = Repository.path("workflows/derbyshire.yaml")

    @Test func theShippedCouncilsNameTheirSchedules() throws {
        let derbyshire = try #require(try PolicyFile.load(Self.derbyshire).retention)
        #expect(derbyshire.rules.map(\.name) == ["safeguarding", "information-and-advice", "carers", "adults"])
        #expect(derbyshire.rules.map(\.keep) == [.months(240), .months(36), .months(72), .months(96)])
        #expect(derbyshire.rules[0].when == .init(safeguardingEnquiry: true))
        #expect(derbyshire.rules[1].when == .init(closureReasons: [.informationAndAdvice]))
        #expect(derbyshire.rules[2].when == .init(clientType: .carer))
        #expect(derbyshire.rules[3].when.coversEverything)
        #expect(derbyshire.disposeEvery == .days(1))
        let wiltshire = try #require(try PolicyFile.load(Repository.path("workflows/wiltshire.yaml")).retention)
        #expect(wiltshire.disposeEvery == nil)
        #expect(wiltshire.rules[1].when.closureReasons == [.informationAndAdvice, .independenceRegained])
    }

    @Test func aPolicyWithoutRetentionHasNone() throws {
        let text = try String(contentsOfFile: Self.derbyshire, encoding: .utf8)
        let without = try PolicyFile.parse(try #require(text.components(separatedBy: "\nretention:").first), file: "x")
        #expect(without.retention == nil)
    }

    /// The Derbyshire file with its retention block replaced by `block`, parsed; the error and the line (from 1) of
    /// `marker` in the file parsed.
    func error(_ block: String, at marker: String) throws -> (FileError, Int) {
        let text = try String(contentsOfFile: Self.derbyshire, encoding: .utf8)
        let head = try #require(text.components(separatedBy: "\nretention:").first)
        let file = head + "\n" + block
        let line = try #require(file.components(separatedBy: "\n").firstIndex { $0.contains(marker) }) + 1
        let error = try #require(throws: FileError.self) { try PolicyFile.parse(file, file: "council.yaml") }
        return (error, line)
    }

    @Test func aRuleAfterOneThatCoversEverythingIsNeverUsed() throws {
        let (error, line) = try error(
            """
            retention:
              rules:
                - { name: adults, keep: 8y }
                - { name: carers, when: { client-type: carer }, keep: 6y }
            """, at: "name: carers")
        #expect(error.code == .inconsistent)
        #expect(error.line == line)
        #expect(error.key == "retention.rules[1]")
        #expect(error.message == "this rule is never used: the rule before it, 'adults', covers every case")
    }

    @Test func theLastRuleMustCoverEveryCase() throws {
        let (error, line) = try error(
            """
            retention:
              rules:
                - { name: carers, when: { client-type: carer }, keep: 6y }
            """, at: "name: carers")
        #expect(error.code == .inconsistent)
        #expect(error.line == line)
        #expect(error.message == "a closed case no rule covers would be kept for ever")
        #expect(error.hint?.contains("without `when`") == true)
    }

    @Test(arguments: [
        ("    - { name: adults, keep: 8 years }", "retention.rules[0].keep", "'8 years' is not a duration"),
        ("    - { name: adults, keep: 0s }", "retention.rules[0].keep", "a record cannot be disposed of as it closes"),
        ("    - { name: adults, kept: 8y }", "retention.rules[0].kept", "unknown key 'kept'"),
        ("    - { name: adults, when: {}, keep: 8y }", "retention.rules[0].when", "`when` gives no condition"),
        (
            "    - { name: x, when: { closure-reason: retired }, keep: 8y }",
            "retention.rules[0].when.closure-reason", "'retired' is not allowed here"
        ),
        (
            "    - { name: x, when: { safeguarding-enquiry: maybe }, keep: 8y }",
            "retention.rules[0].when.safeguarding-enquiry", "expected true or false, not 'maybe'"
        ),
        (
            "    - { name: adults and carers, keep: 8y }", "retention.rules[0].name",
            "'adults and carers' is not a rule name"
        ),
    ])
    func aBadRuleIsNamedWithItsLineAndKey(rule: String, key: String, message: String) throws {
        let (error, line) = try error("retention:\n  rules:\n\(rule)\n", at: "name:")
        #expect(error.key == key)
        #expect(error.line == line)
        #expect(error.message == message)
    }

    @Test func ruleNamesAreUniqueAndTheServiceCannotDisposeEveryInstant() throws {
        let (twice, line) = try error(
            """
            retention:
              rules:
                - { name: adults, when: { client-type: adult }, keep: 8y }
                - { name: adults, keep: 8y }
            """, at: "name: adults, keep")
        #expect(twice.message == "two rules are named 'adults'")
        #expect(twice.line == line)
        let (never, everyLine) = try error(
            "retention:\n  dispose-every: 0s\n  rules:\n    - { name: adults, keep: 8y }\n", at: "dispose-every")
        #expect(never.key == "retention.dispose-every")
        #expect(never.line == everyLine)
    }
}
