import CareJourneyClock
import CareJourneyCore
import CareJourneyStore
import Foundation
import Logging
import Testing
import CareJourneyTestSupport

/// `serve` disposes of closed cases on the policy's schedule (`retention.dispose-every`, daily in the shipped
/// Derbyshire policy), on its own clock, and logs each run in counts alone.
@Suite struct ScheduledDisposalTests {
    @Test func theServiceDisposesOnThePolicysScheduleAndLogsNoPersonalData() async throws {
        let start = Date(timeIntervalSince1970: 1_767_603_600)  // 2026-01-05T09:00:00Z
        let clock = ManualClock(start)
        let lines = LogLines()
        var logger = Logger(label: "test") { _ in CapturingLogHandler(lines: lines) }
        logger.logLevel = .info
        try await LiveServer.with(clock: clock, logger: logger) { server in
            let contact: JSONValue = [
                "data": ["name": "Ada Lovelace", "clientType": "adult", "route": "gp", "nhsNumber": "943 476 5919"]
            ]
            #expect(try await server.post("/api/cases", contact).status == 201)
            let close: JSONValue = ["name": "close-case", "data": ["reason": "needs-met"]]
            #expect(try await server.post("/api/cases/C-1/events", close).status == 200)
            // Kept eight years after closing ("adults"); the service looks once a day.
            clock.advance(to: PolicyDuration.months(96).after(start).addingTimeInterval(2 * 86_400))
            var status = 200
            for _ in 0..<1000 where status == 200 {
                try await Task.sleep(for: .milliseconds(20))
                status = try await server.get("/api/cases/C-1").status
            }
            #expect(status == 404)
            // The case goes with the run's first step; the run is logged after its last (the name search merged,
            // the time of the run kept): the service is stopped only then.
            for _ in 0..<1000
            where !lines.all.contains(where: { $0.contains("disposal run") && $0.contains("\"disposed\": 1") }) {
                try await Task.sleep(for: .milliseconds(20))
            }
        }
        let runs = lines.all.filter { $0.contains("disposal run") }
        #expect(runs.contains { $0.contains("\"disposed\": 1") }, "\(runs)")
        for personal in ["Lovelace", "943 476 5919", "9434765919", "C-1"] {
            #expect(!runs.joined().contains(personal), "\(personal)")
        }
    }
}
