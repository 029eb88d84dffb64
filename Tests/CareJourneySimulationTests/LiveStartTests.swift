import CareJourneyCore
import CareJourneyKit
import CareJourneySimulation
import CareJourneyTestSupport
import Foundation
import Testing

/// A forecast from live cases: a case as it stands is played on from there — its planned review falls due, is
/// worked and done — beside no other population.
@Suite struct LiveStartTests {
    @Test func aLiveCaseIsPlayedOnFromWhereItStands() throws {
        let scenario = try ScenarioFile.load(Repository.path("examples/scenarios/typical-year.yaml"))
        let policy = try PolicyFile.load(try #require(scenario.policyPath))
        let ada = try #require(ScenarioRunner(policy: policy).run(scenario).cases["ada"])
        #expect(ada.stage == .delivery)
        let due = try #require(ada.timers[.reviewPlannedDue])
        let profile = try DeterminismTests.smallUnitary().startingFromLiveCases(contactsPerWeek: 0)
        #expect(profile.caseload.inDelivery == 0 && profile.arrivals.perWeek == 0)
        // Start six weeks before her next planned review is due.
        let start = due.addingTimeInterval(-42 * 86_400)
        let figures = try Simulation(
            policy: policy, profile: profile, start: start, weeks: 12, seed: 2, startingCases: [ada]
        ).run()
        #expect(figures.refusals == 0, "\(figures.refusalExamples)")
        #expect(figures.arrivals.allSatisfy { $0 == 0 })
        // She is counted from week 0, and her one planned review is due in week 6 and done (the practice team has
        // room), on time or late, unless she died or moved first.
        #expect((figures.stages["delivery"]?[0] ?? 0) + (figures.stages["review"]?[0] ?? 0) == 1)
        #expect(figures.reviews.due.reduce(0, +) <= 1)
        #expect(figures.reviews.due[6] == 1 || figures.closures.reduce(0, +) == 1)
        #expect(figures.queues["review-reminders"]?.created.reduce(0, +) ?? 0 >= 1)
    }
}
