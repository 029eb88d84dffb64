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

/// The shipped policy's calendar, whose days decide on time and late.
func shippedCalendar() throws -> CouncilCalendar {
    try PolicyFile.load(try #require(PolicyFile.findShipped())).councilCalendar
}

/// The second quarter of 2026.
func quarter() throws -> ReportPeriod { try ReportPeriod(from: "2026-04-01", to: "2026-06-30") }

/// One step of a scenario at a set time, so that steps of many cases can be merged in time order.
struct TimedStep {
    let at: String
    let body: String

    /// A step at `at` (ISO 8601, UTC) for `id`; `body` is the rest of its flow mapping (`event: …, data: {…}`).
    init(_ at: String, _ id: String, _ body: String) {
        self.at = at
        self.body = "{ at: \(at), case: \(id), \(body) }"
    }

    /// A step that moves the clock to `at`, firing the timers due by then.
    init(advanceTo at: String) {
        self.at = at
        body = "{ advance-to: \(at) }"
    }
}

/// A scenario of `steps` merged in time order (a stable sort: steps at the same time keep their order).
func scenario(_ title: String, _ steps: [[TimedStep]]) -> String {
    let ordered = steps.joined().enumerated().sorted { ($0.element.at, $0.offset) < ($1.element.at, $1.offset) }
    let start = ordered.first?.element.at ?? "2026-01-01T00:00:00Z"
    return "title: \(title)\nstart: \(start)\nsteps:\n"
        + ordered.map { "  - \($0.element.body)" }.joined(separator: "\n")
}

/// The steps that take `id` from contact on `day` (at 09:00 UTC) to a signed-off plan of `component` (home care
/// unless given) at 10:00 UTC on `signOff`, in `team` when one is given.
func toSignOff(
    _ id: String, contactOn day: String, signOffOn signOff: String, team: String? = nil,
    component: String = "home-care"
) -> [TimedStep] {
    var steps = [
        TimedStep("\(day)T09:00:00Z", id, "event: contact, data: { name: \(id), clientType: adult, route: gp }"),
        TimedStep("\(day)T09:30:00Z", id, "event: start-assessment"),
        TimedStep(
            "\(day)T11:00:00Z", id, "event: assessment-completed, data: { needs: [personal care], outcomes: [home] }"),
        TimedStep("\(day)T12:00:00Z", id, "event: eligibility-decided, data: { eligible: true }"),
        TimedStep("\(day)T13:00:00Z", id, "event: ras-completed, data: { points: 46, informalSupport: some }"),
        TimedStep(
            "\(day)T14:00:00Z", id,
            "event: plan-updated, data: { personalBudget: 288, riskManagement: pendant, contingencyPlan: agency, "
                + "metByNetwork: [a neighbour shops], "
                + "councilManaged: { services: [care], weeklyCost: 188, component: \(component) }, "
                // The items the shipped policies' `plans:` ask of every plan.
                + "contingencyBudget: 0, informationAndAdvice: a falls class, importantTo: her garden, "
                + "importantFor: eating well, decisionsAndControl: she decides, "
                + "needsMetByCouncil: [{ need: personal care, how: home care }] }"),
        // The shipped policies charge: the finance team's outcome comes before sign-off.
        TimedStep("\(day)T15:00:00Z", id, "reply: financial-assessment, data: { outcome: nil-contribution }"),
        TimedStep("\(signOff)T10:00:00Z", id, "event: sign-off"),
    ]
    if let team { steps.insert(TimedStep("\(day)T09:10:00Z", id, "event: reassign, data: { team: \(team) }"), at: 1) }
    return steps
}

/// A review of `id` started at `at` and completed an hour later.
func review(_ id: String, at day: String, _ start: String, outcome: String = "no-change") -> [TimedStep] {
    [
        TimedStep("\(day)T10:00:00Z", id, "event: start-review, data: \(start)"),
        TimedStep("\(day)T11:00:00Z", id, "event: review-completed, data: { outcome: \(outcome) }"),
    ]
}
