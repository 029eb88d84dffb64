import CareJourneyCore
import CareJourneyReports
import Testing

/// Requests from new clients around the second quarter of 2026, one for each sequel, and two at its edges: fi's
/// request ended (her assessment began) before the quarter; ed's ended in its last days, and what followed was not
/// known until July.
let requestsScenario = scenario(
    "Request outcomes around a quarter",
    [
        [
            TimedStep(
                "2026-04-02T09:00:00Z", "ann", "event: contact, data: { name: Ann, clientType: adult, route: gp }"),
            TimedStep("2026-04-02T10:00:00Z", "ann", "event: give-information-and-advice"),
            TimedStep(
                "2026-04-07T09:00:00Z", "ben",
                "event: contact, data: { name: Ben, clientType: adult, route: hospital-discharge }"),
            TimedStep("2026-04-07T10:00:00Z", "ben", "event: offer-reablement"),
        ],
        toSignOff("cat", contactOn: "2026-05-04", signOffOn: "2026-05-11"),
        toSignOff("ivy", contactOn: "2026-05-18", signOffOn: "2026-05-25", component: "residential-care"),
        [
            TimedStep(
                "2026-05-12T09:00:00Z", "dan",
                "event: contact, data: { name: Dan, clientType: carer, route: self-referral, caredFor: his wife }"),
            TimedStep("2026-05-12T10:00:00Z", "dan", "event: start-assessment"),
            TimedStep(
                "2026-05-19T10:00:00Z", "dan",
                "event: assessment-completed, data: { needs: [a break], outcomes: [keep caring] }"),
            TimedStep(
                "2026-05-20T10:00:00Z", "dan",
                "event: eligibility-decided, data: { eligible: false, reason: his wellbeing is not significantly affected }"
            ),
            TimedStep(
                "2026-06-01T09:00:00Z", "hal", "event: contact, data: { name: Hal, clientType: adult, route: police }"),
            TimedStep("2026-06-01T10:00:00Z", "hal", "event: start-interim-support"),
            TimedStep(
                "2026-06-10T09:00:00Z", "gil", "event: contact, data: { name: Gil, clientType: adult, route: gp }"),
            TimedStep("2026-06-10T15:00:00Z", "gil", "event: close-case, data: { reason: deceased }"),
        ],
        toSignOff("ed", contactOn: "2026-06-29", signOffOn: "2026-07-03"),
        toSignOff("fi", contactOn: "2026-03-31", signOffOn: "2026-04-06"),
    ])

@Suite struct RequestOutcomesTests {
    func outcomes(_ period: ReportPeriod) throws -> RequestOutcomes {
        var outcomes = RequestOutcomes(period: period)
        for history in try histories(requestsScenario) { outcomes.add(history) }
        return outcomes
    }

    @Test func eachRequestThatEndedInThePeriodCountsOnceUnderWhatFollowed() throws {
        let q2 = try outcomes(try quarter())
        #expect(q2.requests == 8)
        #expect(
            q2.bySequel == [
                "Universal Services / Signposted to Other Services": 1,
                "Short Term Support to Maximise Independence": 1,
                "Long Term Support: Community": 1,
                "Long Term Support: Residential Care": 1,
                "No Services Provided: Any Other Reason": 1,
                "Short Term Support (other)": 1,
                "No Services Provided: Deceased": 1,
                "Not yet known (assessment or planning under way)": 1,
            ])
        #expect(q2.byClientType["Unpaid carer"] == ["No Services Provided: Any Other Reason": 1])
        #expect(q2.byClientType["Service user"]?.values.reduce(0, +) == 7)
    }

    @Test func aRequestCountsInThePeriodItEndedInOnly() throws {
        // Ed's request ended in June; fi's in March.
        let july = try outcomes(try ReportPeriod(from: "2026-07-01", to: "2026-07-31"))
        #expect(july.requests == 0)
        let march = try outcomes(try ReportPeriod(from: "2026-03-01", to: "2026-03-31"))
        #expect(march.requests == 1)
        #expect(march.bySequel == ["Not yet known (assessment or planning under way)": 1])
        let spring = try outcomes(try ReportPeriod(from: "2026-03-01", to: "2026-04-30"))
        #expect(spring.bySequel["Long Term Support: Community"] == 1)
    }

    @Test func printsARowForEverySequel() throws {
        let lines = try outcomes(try quarter()).text.components(separatedBy: "\n")
        #expect(lines.first == "Requests from new clients ended 2026-04-01 to 2026-06-30: 8")
        #expect(lines[2].split(separator: " ") == ["sequel", "all", "Service", "user", "Unpaid", "carer"])
        #expect(lines.count == 3 + CLDCodes.Sequel.allCases.count)
        let deceased = try #require(lines.first { $0.hasPrefix("No Services Provided: Deceased") })
        #expect(deceased.split(separator: " ").suffix(3) == ["1", "1", "0"])
    }
}
