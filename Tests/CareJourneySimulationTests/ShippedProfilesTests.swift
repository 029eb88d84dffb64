import CareJourneyCore
import CareJourneyKit
import CareJourneySimulation
import CareJourneyTestSupport
import Foundation
import Testing

/// The shipped profiles load and run under the policy whose queues they name; the what-if policy is Derbyshire's
/// with reviews every 9 months, and it brings more reviews.
@Suite struct ShippedProfilesTests {
    @Test(arguments: ["small-unitary", "large-county", "england"])
    func aShippedProfileLoadsAndNamesItsSources(name: String) throws {
        let path = Repository.path("examples/profiles/\(name).yaml")
        let profile = try ProfileFile.load(path)
        _ = try Simulation(
            policy: try shippedPolicy(), profile: profile, start: HandWorkedTests.monday, weeks: 1, seed: 1)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        // The national figures it is built from, with their sources, and a source on each section's figures.
        #expect(text.contains("2.09 million") && text.contains("859,000"))
        for tag in ["[AFR]", "[ONS]", "[ASCOF]", "[SAC]", "[MODEL]"] { #expect(text.contains(tag), "\(tag)") }
        for key in ["per-week:", "seasonality:", "routes:", "reablement-independent:", "eligible:", "in-delivery:"] {
            let line = try #require(text.split(separator: "\n").first { $0.contains(key) })
            #expect(line.contains("["), "\(name): '\(key)' names no source")
        }
    }

    @Test func theWhatIfPolicyIsDerbyshiresWithNineMonthReviews() throws {
        let base = try shippedPolicy()
        var whatIf = try PolicyFile.load(Repository.path("examples/what-if/derbyshire-9-month-reviews.yaml"))
        #expect(whatIf.reviews.plannedInterval == .months(9))
        whatIf.id = base.id
        whatIf.council = base.council
        whatIf.reviews.plannedInterval = base.reviews.plannedInterval
        #expect(whatIf == base)
    }

    /// Reviews every 9 months instead of 12: more planned reviews fall due in the year, and the summary says so.
    @Test func nineMonthReviewsBringMoreReviewsDue() throws {
        let profile = try DeterminismTests.smallUnitary()
        let twelve = try Simulation(
            policy: try shippedPolicy(), profile: profile, start: HandWorkedTests.monday, weeks: 52, seed: 3
        ).run()
        let nine = try Simulation(
            policy: try PolicyFile.load(Repository.path("examples/what-if/derbyshire-9-month-reviews.yaml")),
            profile: profile, start: HandWorkedTests.monday, weeks: 52, seed: 3
        ).run()
        let more = nine.reviews.due.reduce(0, +) - twelve.reviews.due.reduce(0, +)
        // The caseload's 2,235 people, reviewed 9 months after their last review instead of 12: a quarter of them
        // (those last reviewed 0–3 months ago) fall due in the year only under 9 months.
        #expect(more > 400)
        let line = try #require(SimulationSummary(twelve, comparison: nine).lines.first)
        #expect(line.measure == "formal reviews due a year")
        #expect(line.difference.hasPrefix("+\(more.grouped) reviews a year"))
        let html = SimulationReport(twelve, comparison: nine).html
        // Charts inline, nothing fetched, no script: it opens anywhere.
        #expect(html.contains("<svg") && html.contains("<polyline"))
        #expect(!html.contains("<script") && !html.contains("src=") && !html.contains("href="))
        #expect(html.contains(line.difference))
    }
}
