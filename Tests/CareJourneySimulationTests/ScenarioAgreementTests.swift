import CareJourneyCore
import CareJourneySimulation
import CareJourneyTestSupport
import Foundation
import Testing

@testable import CareJourneyKit

/// The simulator's timers agree with the scenario runner's: a person's simulated events (timer fires aside), played
/// as a scenario, fire the same timers at the same times and end in the same case.
@Suite struct ScenarioAgreementTests {
    @Test(arguments: ["derbyshire", "wiltshire"])
    func aSimulatedPersonReplaysThroughTheScenarioRunner(policyName: String) throws {
        let policy = try shippedPolicy(policyName)
        var profile = try DeterminismTests.smallUnitary()
        profile.arrivals.perWeek = 20
        // Everyone is assessed and eligible, so that the traced people reach delivery and reviews.
        profile.routes = .init(informationAndAdvice: 0, reablement: 0, interimSupport: 0, assessment: 1)
        profile.outcomes.eligible = 1
        profile.caseload.inDelivery = 3
        profile.teams = [:]  // the profile names Derbyshire's queues
        let traced: Set<Int> = [0, 1, 2, 3, 10, 25]
        let (figures, traces) = try Simulation(
            policy: policy, profile: profile, start: HandWorkedTests.monday, weeks: 60, seed: 5
        ).run(tracing: traced)
        #expect(figures.refusals == 0, "\(figures.refusalExamples)")
        #expect(traces.count == traced.count)
        var reviewsFired = 0
        for (number, trace) in traces.sorted(by: { $0.key < $1.key }) {
            let id = CaseID("S\(number)")
            let simulated = try #require(trace.state)
            let steps = trace.events.enumerated().compactMap { index, traced -> Scenario.Step? in
                if case .timerFired = traced.event { return nil }
                return Scenario.Step(
                    line: index + 1, timing: .at(traced.at), action: .event(id, traced.event), actor: traced.actor)
            }
            let last = try #require(trace.events.last).at
            let scenario = Scenario(
                title: "S\(number)", start: try #require(trace.events.first).at,
                steps: steps + [Scenario.Step(line: 0, timing: .at(last), action: .advance)])
            let result = ScenarioRunner(policy: policy).run(scenario)
            let simulatedFires = trace.events.compactMap { traced -> String? in
                guard case .timerFired(let fire) = traced.event else { return nil }
                return "\(fire.timer.rawValue) \(traced.at.timeIntervalSince1970)"
            }
            let runnerFires = result.timeline.filter { $0.kind == .timerFired }.map {
                "\($0.name) \($0.at.timeIntervalSince1970)"
            }
            #expect(runnerFires == simulatedFires, "case \(id)")
            #expect(result.timeline.filter { $0.kind == .rejected }.isEmpty, "case \(id)")
            #expect(result.cases[id] == simulated, "case \(id)")
            reviewsFired += simulatedFires.filter { $0.hasPrefix("review.") }.count
        }
        // The traced people went through review timers, not just intake.
        #expect(reviewsFired >= 6)
    }
}
