import CareJourneyCore
import Foundation
import Logging
import Synchronization
import Testing
import CareJourneyTestSupport

@testable import CareJourneyStore

/// Past the last year of the policy's bank holidays a due day counts none: the engine says so, once a run.
@Suite struct BankHolidayEndTests {
    /// Log lines kept for the test to read.
    final class Lines: Sendable {
        private let lines = Mutex<[String]>([])
        func append(_ line: String) { lines.withLock { $0.append(line) } }
        var warnings: [String] { lines.withLock { $0 } }
    }

    /// Keeps warnings (and worse).
    struct Warnings: LogHandler {
        let lines: Lines
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .warning
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) { lines.append("\(event.message)") }
    }

    func at(_ text: String) throws -> Date { try Date(text, strategy: .iso8601) }

    /// Signed off in June 2029, every due date (the reviews, the financial re-assessment a year on) is within the
    /// shipped list (2024–2030): nothing said. Signed off on 2 December 2030, the first formal review falls in January
    /// 2031: one warning, naming the case, the list and its last year. A second such case says nothing more.
    @Test func aDueDatePastTheListsLastYearIsWarnedOfOnce() async throws {
        let lines = Lines()
        let logger = Logger(label: "test") { _ in Warnings(lines: lines) }
        let store = try CaseStore(directory: temporaryDirectory())
        let engine = try await Engine(store: store, policy: try shippedPolicy(), logger: logger)
        let june = try at("2029-06-04T10:00:00Z")
        let december = try at("2030-12-02T10:00:00Z")
        let (late, later) = try await withThrowingTaskGroup(of: (CaseID, CaseID)?.self) { group in
            group.addTask {
                await engine.run()
                return nil
            }
            _ = try await engine.caseInDelivery(at: june)
            #expect(lines.warnings.isEmpty)
            let late = try await engine.caseInDelivery(at: december)
            let later = try await engine.caseInDelivery(at: december.addingTimeInterval(86_400))
            engine.stopAccepting()
            try await group.waitForAll()
            return (late, later)
        }
        let warnings = lines.warnings
        try #require(warnings.count == 1, "\(warnings)")
        #expect(warnings[0].contains("of case \(late) is due on 2031-"))
        #expect(warnings[0].contains("after 2030, the last year the bank holidays 'england-and-wales' cover"))
        #expect(warnings[0].contains("carejourney calendar import"))
        #expect(!warnings[0].contains("\(later)"))
    }
}
