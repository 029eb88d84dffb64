import CareJourneyCore
import CareJourneyKit
import CareJourneySimulation
import CareJourneyTestSupport
import Foundation
import Testing

/// A forecast from a sample of a large caseload: the sample's contacts and staff in proportion, its figures scaled
/// back up — close to the whole caseload's.
@Suite struct SamplingTests {
    @Test func aSampledProfileHasContactsAndStaffInProportion() throws {
        let profile = try DeterminismTests.smallUnitary()
        let tenth = profile.sampled(0.1)
        #expect(tenth.arrivals.perWeek == profile.arrivals.perWeek * 0.1)
        #expect(tenth.caseload.inDelivery == Int((Double(profile.caseload.inDelivery) * 0.1).rounded()))
        #expect(!profile.teams.isEmpty)
        for (queue, team) in profile.teams {
            #expect(tenth.teams[queue]?.staff == team.staff * 0.1)
            #expect(tenth.teams[queue]?.tasksPerWeek == team.tasksPerWeek)
        }
    }

    @Test func scaledFiguresMultiplyEveryCount() throws {
        let policy = try shippedPolicy()
        let figures = try Simulation(
            policy: policy, profile: try DeterminismTests.smallUnitary().sampled(0.05), start: HandWorkedTests.monday, weeks: 4, seed: 3
        ).run()
        let scaled = figures.scaled(by: 20)
        #expect(scaled.arrivals == figures.arrivals.map { $0 * 20 })
        #expect(scaled.closures == figures.closures.map { $0 * 20 })
        #expect(scaled.reviews.due == figures.reviews.due.map { $0 * 20 })
        #expect(scaled.stages["delivery"] == figures.stages["delivery"]?.map { $0 * 20 })
        #expect(scaled.queues["practice"]?.created == figures.queues["practice"]?.created.map { $0 * 20 })
        #expect(scaled.queues["practice"]?.waiting == figures.queues["practice"]?.waiting.map { $0 * 20 })
        #expect(scaled.eventsApplied == figures.eventsApplied)
        #expect(figures.arrivals.reduce(0, +) > 0)
    }

    @Test func aQuarterSampleScaledUpIsCloseToTheWhole() throws {
        let policy = try shippedPolicy()
        let profile = try DeterminismTests.smallUnitary()
        let whole = try Simulation(policy: policy, profile: profile, start: HandWorkedTests.monday, weeks: 8, seed: 5).run()
        let quarter = try Simulation(policy: policy, profile: profile.sampled(0.25), start: HandWorkedTests.monday, weeks: 8, seed: 5)
            .run().scaled(by: 4)
        func total(_ values: [Int]?) -> Double { Double(values?.reduce(0, +) ?? 0) }
        for (what, full, sampled) in [
            ("reviews due", total(whole.reviews.due), total(quarter.reviews.due)),
            ("practice tasks created", total(whole.queues["practice"]?.created), total(quarter.queues["practice"]?.created)),
            ("cases in delivery", total(whole.stages["delivery"]), total(quarter.stages["delivery"])),
            ("contacts", total(whole.arrivals), total(quarter.arrivals)),
        ] {
            #expect(full > 100, "\(what): \(full)")
            #expect(abs(sampled - full) / full < 0.15, "\(what): whole \(full), a quarter scaled up \(sampled)")
        }
    }
}



