import CareJourneyCore
import CareJourneyFiles
import CareJourneyKit
import CareJourneySimulation
import CareJourneyTestSupport
import Foundation
import Testing

/// The same seed gives the same figures; another seed other figures; a bad profile is refused with its key.
@Suite struct DeterminismTests {
    static func smallUnitary() throws -> SimulationProfile {
        try ProfileFile.load(Repository.path("examples/profiles/small-unitary.yaml"))
    }

    @Test func theSameSeedGivesTheSameFigures() throws {
        let policy = try shippedPolicy()
        func run(_ seed: UInt64) throws -> Data {
            try Simulation(
                policy: policy, profile: try Self.smallUnitary(), start: HandWorkedTests.monday, weeks: 26, seed: seed
            )
            .run().json()
        }
        let first = try run(42)
        #expect(first == (try run(42)))
        #expect(first != (try run(43)))
        let figures = try JSONDecoder.iso.decode(WeeklyFigures.self, from: first)
        #expect(figures.refusals == 0, "\(figures.refusalExamples)")
        #expect(figures.reviews.due.reduce(0, +) > 0)
    }

    /// A progress line is told every week as it begins, then the end; being told changes no figure.
    @Test func theWeeksPlayedAreToldInOrderAndChangeNothing() throws {
        let simulation = try Simulation(
            policy: try shippedPolicy(), profile: try Self.smallUnitary(), start: HandWorkedTests.monday, weeks: 6,
            seed: 7)
        var told: [Int] = []
        let figures = simulation.run { played, weeks in
            #expect(weeks == 6)
            told.append(played)
        }
        #expect(told == [0, 1, 2, 3, 4, 5, 6])
        #expect(figures.json() == simulation.run().json())
    }

    /// A run told to stop ends before the next week: no week after it is played.
    @Test func aRunToldToStopPlaysNoMoreWeeks() throws {
        let simulation = try Simulation(
            policy: try shippedPolicy(), profile: try Self.smallUnitary(), start: HandWorkedTests.monday, weeks: 6,
            seed: 7)
        var told: [Int] = []
        let figures = simulation.run(progress: { played, _ in told.append(played) }, stop: { told.count == 3 })
        #expect(told == [0, 1, 2], "weeks 0-2 begun, then stopped")
        let whole = simulation.run()
        #expect(figures.arrivals.reduce(0, +) < whole.arrivals.reduce(0, +))
        #expect(figures.arrivals.prefix(3) == whole.arrivals.prefix(3), "the weeks played are the same weeks")
    }

    @Test func aProfileWhoseSharesDoNotAddUpIsRefused() throws {
        var profile = try Self.smallUnitary()
        profile.routes.assessment += 0.2
        #expect {
            try profile.validate()
        } throws: { error in
            (error as? SimulationError)?.message.contains("routes: the shares must add up to 1") == true
        }
    }

    @Test func anUnknownKeyIsRefusedWithItsLine() throws {
        let text = try String(contentsOfFile: Repository.path("examples/profiles/small-unitary.yaml"), encoding: .utf8)
        #expect {
            _ = try ProfileFile.parse(text + "\nstaffing: 3\n", file: "p.yaml")
        } throws: { error in
            let error = error as? FileError
            return error?.code == .unknownKey && error?.key == "staffing" && error?.line != nil
        }
    }

    @Test func aTeamOnAQueueThePolicyDoesNotHaveIsRefused() throws {
        var profile = try Self.smallUnitary()
        profile.teams["brokrage"] = .init(staff: 1, tasksPerWeek: 1)
        #expect {
            _ = try Simulation(
                policy: try shippedPolicy(), profile: profile, start: HandWorkedTests.monday, weeks: 1, seed: 1)
        } throws: { error in
            (error as? SimulationError)?.message.contains("no queue 'brokrage'") == true
        }
    }
}

extension JSONDecoder {
    static let iso: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()
}
