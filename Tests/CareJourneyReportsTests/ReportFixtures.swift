import CareJourneyCore
import CareJourneyKit
import CareJourneyReports
import Testing

/// Runs a scenario written in the test under the shipped policy and returns its histories in case order; records
/// failed expectations and refused events as test failures.
func histories(_ yaml: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> [CaseHistory] {
    let scenario = try ScenarioFile.parse(yaml, file: "test scenario")
    let policy = try PolicyFile.load(try #require(PolicyFile.findShipped()))
    let result = ScenarioRunner(policy: policy).run(scenario)
    for problem in result.failedExpectations + result.timingErrors {
        Issue.record("\(problem)", sourceLocation: sourceLocation)
    }
    for refused in result.timeline where refused.kind == .rejected {
        Issue.record("refused: \(refused.case) \(refused.name): \(refused.error ?? "")", sourceLocation: sourceLocation)
    }
    return result.histories.values.sorted { $0.id.rawValue < $1.id.rawValue }
}

/// The second quarter of 2026.
func quarter() throws -> ReportPeriod { try ReportPeriod(from: "2026-04-01", to: "2026-06-30") }
