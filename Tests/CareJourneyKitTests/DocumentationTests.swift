import CareJourneyCore
import Foundation
import Testing
import CareJourneyTestSupport

/// The documentation names every contract value the code has, so it cannot fall behind silently.
@Suite struct DocumentationTests {
    func text(_ file: String) throws -> String {
        try String(contentsOfFile: Repository.path(file), encoding: .utf8)
    }

    @Test func everyEventIsDocumented() throws {
        let doc = try text("docs/events.md")
        for name in EventName.allCases { #expect(doc.contains("| `\(name.rawValue)` |"), "\(name.rawValue)") }
        for reason in ClosureReason.allCases { #expect(doc.contains("`\(reason.rawValue)`"), "\(reason.rawValue)") }
        for route in RouteOfAccess.allCases { #expect(doc.contains("`\(route.rawValue)`"), "\(route.rawValue)") }
    }

    @Test func everyEventsMinimumRoleIsDocumentedAsTheCodeHasIt() throws {
        let doc = try text("docs/events.md")
        let section = try #require(doc.components(separatedBy: "## Who may send each event").last)
        for name in EventName.allCases {
            let words = EventCatalog.roleSummary(of: name)
            #expect(section.contains("| `\(name.rawValue)` | \(words) |"), "\(name.rawValue): \(words)")
        }
    }

    @Test func everyTimerAndTaskKindIsDocumented() throws {
        let doc = try text("docs/policy-files.md")
        for timer in TimerName.allCases { #expect(doc.contains("| `\(timer.rawValue)` |"), "\(timer.rawValue)") }
        for kind in TaskKind.allCases { #expect(doc.contains("| `\(kind.rawValue)` |"), "\(kind.rawValue)") }
    }

    @Test func everyExampleScenarioIsListed() throws {
        let doc = try text("docs/scenarios.md")
        let files = try FileManager.default.contentsOfDirectory(atPath: Repository.path("examples/scenarios"))
        for file in files where file.hasSuffix(".yaml") { #expect(doc.contains("`\(file)`"), "\(file)") }
        #expect(files.count >= 7)
    }
}
