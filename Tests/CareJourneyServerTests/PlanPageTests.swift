import CareJourneyCore
import CareJourneyKit
import CareJourneySimulation
import CareJourneyTestSupport
import Foundation
import Testing

/// The dashboard's Plan page: a 12-week forecast per team from the live caseload, made in the background and shown
/// with when it was made; without a profile, it says how to give one.
@Suite struct PlanPageTests {
    @Test func thePlanPageShowsTheForecastFromTheLiveCaseload() async throws {
        let profile = try ProfileFile.load(Repository.path("examples/profiles/small-unitary.yaml"))
        try await LiveServer.with(sample: 40, planProfile: profile) { server in
            var page = try await server.get("/plan")
            let deadline = ContinuousClock.now + .seconds(120)
            while !page.text.contains("plan-as-of"), ContinuousClock.now < deadline {
                // The server answers while the forecast is being made.
                #expect(page.status == 200)
                #expect(page.text.contains("plan-waiting"))
                try await Task.sleep(for: .milliseconds(200))
                page = try await server.get("/plan")
            }
            let text = page.text
            #expect(page.status == 200)
            #expect(text.contains("Forecast as of"), "\(text)")
            #expect(text.contains("href=\"/plan\" aria-current=\"page\""))
            #expect(text.contains("<table id=\"plan-reviews\""))
            #expect(text.contains("data-queue=\"practice\""))
            // The forecast started from the sample's open cases: some stood open.
            let opened = try #require(text.firstMatch(of: /from (\d+) open case/)?.1)
            #expect(Int(opened) ?? 0 > 0)
            // Twelve weeks a row.
            let header = try #require(text.firstMatch(of: /<table id="plan-reviews".*?<\/thead>/.dotMatchesNewlines()))
            #expect(header.0.matches(of: /class="num"/).count == 12)
        }
    }

    @Test func withoutAProfileThePageSaysHowToGiveOne() async throws {
        try await LiveServer.with { server in
            var page = try await server.get("/plan")
            let deadline = ContinuousClock.now + .seconds(30)
            while page.text.contains("plan-waiting"), ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(100))
                page = try await server.get("/plan")
            }
            #expect(page.text.contains("No forecast: no simulation profile was given"))
            #expect(page.text.contains("--plan-profile FILE"))
        }
    }
}
