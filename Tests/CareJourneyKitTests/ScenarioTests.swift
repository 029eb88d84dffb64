import CareJourneyCore
import CareJourneyFiles
import Foundation
import Testing
import CareJourneyTestSupport

@testable import CareJourneyKit

/// Runs an example scenario under its own policy; records its failed expectations as test failures.
func runExample(_ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> ScenarioRunner.Result {
    let scenario = try ScenarioFile.load(Repository.path("examples/scenarios/\(name).yaml"))
    let policy = try PolicyFile.load(try #require(scenario.policyPath))
    let result = ScenarioRunner(policy: policy).run(scenario)
    for problem in result.failedExpectations + result.timingErrors {
        Issue.record("\(name): \(problem)", sourceLocation: sourceLocation)
    }
    return result
}

func date(_ text: String) -> Date { TimelineEntry.parseDate(text)! }

extension ScenarioRunner.Result {
    /// `kind name at` for the entries of the given kinds, in order.
    func lines(_ kinds: Set<TimelineEntry.Kind>, case id: CaseID? = nil) -> [String] {
        timeline.filter { kinds.contains($0.kind) && (id == nil || $0.case == id) }.map {
            "\($0.kind.rawValue) \($0.name) \($0.due.map { "due " + $0.formatted(.iso8601) } ?? $0.at.formatted(.iso8601))"
        }
    }

    func entries(_ kind: TimelineEntry.Kind, _ name: String) -> [TimelineEntry] {
        timeline.filter { $0.kind == kind && $0.name == name }
    }
}

@Suite struct ScenarioTests {
    @Test func aTypicalYearFromContactToTheTwelveMonthReview() throws {
        let result = try runExample("typical-year")
        // The contribution assessed 2026-01-19 15:00: re-assessed 12 months on, reminded 14 days before; re-assessed
        // 2027-01-11 09:00, so again a year from then. Signed off 2026-01-20 11:00: 72 h, 6 w, 8 w − 14 d and 8 w;
        // then 12 months from each formal review. The shipped calendar counts the review timers in days on UK time:
        // a due day passes at its end (local midnight), a window or reminder comes at its day's start; reminders
        // (the charging one too) go out at the start of a working day, the one due on 28 December 2027 (Boxing Day's
        // substitute) on Christmas Eve, the working day before.
        #expect(
            result.lines([.timerSet]) == [
                "timer-set charging.reassessment.reminder due 2027-01-05T00:00:00Z",
                "timer-set charging.reassessment.due due 2027-01-19T15:00:00Z",
                "timer-set review.informal due 2026-01-23T11:00:00Z",
                "timer-set review.first-formal.opens due 2026-03-03T00:00:00Z",
                "timer-set review.first-formal.reminder due 2026-03-03T00:00:00Z",
                "timer-set review.first-formal.due due 2026-03-18T00:00:00Z",
                "timer-set dp.audit due 2027-01-23T11:00:00Z",
                "timer-set review.planned.reminder due 2027-02-25T00:00:00Z",
                "timer-set review.planned.due due 2027-03-12T00:00:00Z",
                "timer-set charging.reassessment.reminder due 2027-12-24T00:00:00Z",
                "timer-set charging.reassessment.due due 2028-01-11T09:00:00Z",
                "timer-set dp.audit due 2028-01-23T11:00:00Z",
                "timer-set review.planned.reminder due 2028-02-17T00:00:00Z",
                "timer-set review.planned.due due 2028-03-03T00:00:00Z",
            ])
        #expect(
            result.lines([.task]).filter { $0.contains("review") } == [
                "task conduct-review 2026-01-23T11:00:00Z", "task conduct-review 2026-03-03T00:00:00Z",
                "task review-reminder 2026-03-03T00:00:00Z", "task review-reminder 2027-02-25T00:00:00Z",
                "task conduct-review 2027-02-25T00:00:00Z",
            ])
        #expect(result.entries(.task, "review-reminder").allSatisfy { $0.queue == "review-reminders" })
        #expect(result.entries(.task, "find-provider").first?.queue == "brokerage")
        #expect(result.timeline.allSatisfy { $0.kind != .rejected })
        let ada = try #require(result.cases["ada"])
        #expect(ada.stage == .delivery)
        #expect(ada.reviews.completed == 3)
        #expect(ada.budget?.confirmedWeekly == Money(pounds: 288))
        #expect(ada.provider?.weeklyCost == Money(pounds: 186.4))
        // Charging: the finance team's queue, the budget in two parts, the direct payment paid net.
        #expect(result.entries(.task, "financial-assessment").map(\.queue) == ["finance", "finance"])
        #expect(result.entries(.task, "charging-reminder").first?.queue == "review-reminders")
        #expect(ada.charging?.assessments == 2)
        let split = try #require(ada.budgetSplit)
        #expect(split.contribution == Money(pounds: 32))
        #expect(split.councilFunding == Money(pounds: 256))
        #expect(split.directPayment?.paidWeekly == Money(pounds: 68))
        // A copy of the plan after sign-off, and after the contribution changed.
        #expect(result.entries(.task, "send-plan-copy").map(\.queue) == ["notifications", "notifications"])
        #expect(result.entries(.event, "plan-copy-sent").count == 2)
    }

    @Test func reablementThatRestoresIndependence() throws {
        let result = try runExample("reablement-independence")
        #expect(
            result.lines([.task]) == [
                "task screen-contact 2026-02-02T10:00:00Z", "task reablement-check 2026-02-09T11:00:00Z",
                "task reablement-check 2026-02-16T11:00:00Z", "task reablement-check 2026-02-23T11:00:00Z",
            ])
        #expect(result.entries(.task, "reablement-check").allSatisfy { $0.queue == "reablement-team" })
        #expect(
            result.lines([.timerCancelled, .closed]) == [
                "timer-cancelled reablement.check 2026-02-25T11:00:00Z",
                "timer-cancelled reablement.end 2026-02-25T11:00:00Z",
                "closed independence-regained 2026-02-25T11:00:00Z",
            ])
        #expect(result.cases["bert"]?.reablement?.checksRecorded == 3)
    }

    @Test func notEligible() throws {
        let result = try runExample("not-eligible")
        #expect(
            result.cases["cyril"]?.eligibility?.reason == "the need does not have a significant impact on wellbeing")
        let refused = try #require(result.timeline.first { $0.kind == .rejected })
        #expect(refused.name == "sign-off")
        #expect(refused.accepted?.first == .eligibilityDecided)
        #expect(refused.error?.contains("stage 'eligibility' does not accept 'sign-off'") == true)
        #expect(
            result.lines([.task, .closed]).suffix(2) == [
                "task written-notification 2026-03-09T09:00:00Z", "closed not-eligible 2026-03-09T09:00:00Z",
            ])
        #expect(result.cases["cyril"]?.tasks.isEmpty == true)
    }

    @Test func aDirectPaymentWhoseAuditFindsUnspentMoney() throws {
        let result = try runExample("direct-payment-audit")
        let agreement = try #require(result.entries(.event, "dp-agreement-signed").first).at
        let audit = try #require(result.entries(.task, "dp-audit").first)
        #expect(audit.at == PolicyDuration.months(12).after(agreement))
        #expect(audit.queue == "dp-monitoring")
        let finding = try #require(result.entries(.event, "dp-audit-completed").first)
        #expect((finding.from, finding.to) == (.delivery, .review))
        let dora = try #require(result.cases["dora"])
        #expect(dora.directPayment.reclaimed == Money(pounds: 1460))
        #expect(dora.directPayment.audits == 1)
        #expect(dora.signedOffPlan?.directPayment?.amount == Money(pounds: 1100))
        #expect(dora.stage == .delivery)
    }

    @Test func safeguardingDuringPlanning() throws {
        let result = try runExample("safeguarding-during-planning")
        #expect(result.timeline.filter { $0.kind == .rejected }.map(\.name) == ["assessment-completed", "sign-off"])
        let concern = try #require(result.entries(.event, "safeguarding-concern").first)
        #expect((concern.from, concern.to) == (.supportPlanning, .supportPlanning))
        #expect(result.entries(.task, "safeguarding-decision").first?.queue == "safeguarding")
        #expect(result.entries(.task, "refer-advocacy").first?.queue == "advocacy")
        let signOffs = result.entries(.event, "sign-off")
        #expect(signOffs.count == 1)
        #expect(signOffs.first?.to == .delivery)
        let outcome = try #require(result.entries(.event, "safeguarding-concluded").first)
        #expect(outcome.to == .review)
        #expect(result.cases["edna"]?.advocacy.advocate == "Derbyshire Advocacy Partnership")
    }

    @Test func aCarersJourney() throws {
        let result = try runExample("carer-journey")
        let fay = try #require(result.cases["fay"])
        #expect(fay.person?.clientType == .carer)
        #expect(fay.assessment?.kind == .carer)
        #expect(fay.budget?.indicativeWeekly == Money(pounds: 126))  // £180 band less 30 % for substantial support
        #expect(fay.directPayment.status == .active)
        #expect(result.entries(.task, "conduct-review").allSatisfy { $0.queue == "review-team" })
        #expect(fay.reviews.overdue == nil)
        // A carer pays nothing in Wiltshire: exempt at once, never referred, no re-assessment.
        #expect(fay.charging?.outcome?.exemption == .carersServices)
        #expect(result.entries(.task, "financial-assessment").isEmpty)
        #expect(fay.budgetSplit?.contribution == .zero)
        #expect(fay.timers[.chargingReassessmentDue] == nil)
    }

    @Test func s117AftercareIsFreeWhileItLasts() throws {
        let result = try runExample("s117-aftercare")
        let hal = try #require(result.cases["hal"])
        let recorded = try #require(result.entries(.event, "s117-aftercare-recorded").first)
        // The assessment asked for at eligibility is withdrawn when s117 is recorded; one is asked for when it ends.
        let tasks = result.entries(.task, "financial-assessment")
        #expect(tasks.count == 2)
        #expect(tasks[0].at < recorded.at)
        #expect(tasks[1].at == result.entries(.event, "s117-aftercare-ended").first?.at)
        #expect(result.entries(.event, "financial-assessment-completed").count == 1)
        #expect(hal.health?.s117Aftercare == false)
        #expect(hal.budgetSplit?.contribution == Money(pounds: 18))
        #expect(hal.budgetSplit?.councilFunding == Money(pounds: 302))
    }

    @Test func aHighCostRequestRefusedThenAcceptedWithAll22Items() throws {
        let result = try runExample("high-cost-kent")
        let refused = result.timeline.filter { $0.kind == .rejected }
        #expect(refused.map(\.name) == ["sign-off", "request-high-cost-approval"])
        let problems = try #require(refused.last?.error)
        // Every item but 1 (the reason) and 2 (answered with evidence) is named, by Kent's number.
        for number in 3...22 { #expect(problems.contains("item \(number): "), "item \(number)") }
        #expect(!problems.contains("item 1: ") && !problems.contains("item 2: "))
        #expect(problems.contains("'not applicable' is not an answer here"))
        let ivy = try #require(result.cases["ivy"])
        #expect(ivy.highCost.status == .approved)
        #expect(ivy.highCost.checklist?.answers.count == 21)
        #expect(ivy.stage == .delivery)
        #expect(ivy.budgetSplit?.contribution == Money(pounds: 120))
    }

    @Test func aTransferToAnotherCouncil() throws {
        let result = try runExample("transfer")
        let move = try #require(result.entries(.event, "moved-to-another-council").first)
        #expect((move.from, move.to) == (.delivery, .transferring))
        let ends = try #require(result.entries(.timerSet, "transfer.funding-ends").first?.due)
        #expect(ends == move.at + 6 * 604_800)
        let closed = try #require(result.timeline.first { $0.kind == .closed })
        #expect(result.entries(.task, "end-services").first?.at == ends)
        #expect(result.entries(.event, "services-ended").count == 1)
        #expect(closed.reason == "moved-to-another-council")
        #expect(closed.at == ends)
        // Reviews and delivery stop with the move.
        #expect(result.entries(.timerCancelled, "review.first-formal.due").first?.at == move.at)
        #expect(
            result.timeline.filter { $0.kind == .timerCancelled }.map(\.name) == [
                "review.first-formal.opens", "review.first-formal.reminder", "review.first-formal.due",
                "charging.reassessment.reminder", "charging.reassessment.due",
            ])
    }

    @Test func theJSONTimelineHasTheContractFields() throws {
        let result = try runExample("not-eligible")
        for entry in result.timeline {
            let object = try JSONDecoder().decode([String: JSONValue].self, from: Data(entry.jsonLine.utf8))
            for field in ["at", "case", "kind", "name"] { #expect(object[field] != nil, "\(field) missing") }
            switch entry.kind {
            case .event, .timerFired: #expect(object["from"] != nil && object["to"] != nil)
            case .rejected: #expect(object["error"] != nil)
            case .timerSet: #expect(object["due"] != nil)
            case .task: #expect(object["queue"] != nil)
            case .closed: #expect(object["reason"] != nil)
            case .timerCancelled: break
            }
        }
        #expect(result.timeline.first?.jsonLine.hasPrefix(#"{"actor":"#) == false)
        #expect(result.timeline.first?.jsonLine.contains(#""at":"2026-03-02T09:00:00Z""#) == true)
    }
}

@Suite struct MalformedScenarioTests {
    func parseError(_ text: String) -> FileError? {
        do {
            _ = try ScenarioFile.parse(text, file: "bad.yaml")
            return nil
        } catch {
            return error
        }
    }

    let header = "title: t\nstart: 2026-01-05T09:00:00Z\nsteps:\n"

    @Test func anUnknownEventIsNamedWithItsLine() throws {
        let error = try #require(parseError(header + "  - case: ada\n    event: contakt\n"))
        #expect(error.line == 5)
        #expect(error.message.hasPrefix("there is no event 'contakt'"))
    }

    @Test func badEventDataIsNamedWithItsLine() throws {
        let error = try #require(
            parseError(header + "  - case: ada\n    event: contact\n    data: { name: Ada, clientType: adult }\n"))
        #expect(error.line == 6)
        #expect(error.message == "the data of 'contact' is missing the field 'route'")
    }

    @Test func aStepMustDoExactlyOneThing() throws {
        #expect(parseError(header + "  - case: ada\n")?.message == "the step does nothing")
        #expect(
            parseError(header + "  - case: ada\n    event: contact\n    advance: 1d\n")?.message.hasPrefix(
                "the step has more than one action") == true)
        #expect(parseError(header + "  - advance: soon\n")?.line == 4)
        #expect(
            parseError(header + "  - at: yesterday\n    advance-to: 2026-01-06\n")?.message
                == "'yesterday' is not a date and time")
        #expect(parseError(header + "  - advance: 1d\n    colour: red\n")?.code == .unknownKey)
        #expect(parseError("title: t\nsteps: []\n")?.message == "the key 'start' is missing")
    }

    @Test func aPractitionersTaskCannotBeRepliedToByAWorker() throws {
        let error = try #require(parseError(header + "  - case: ada\n    reply: plan-support\n"))
        #expect(error.message.contains("completed by a practitioner's event"))
    }

    @Test func aStepBeforeTheClockIsReportedAndARefusedEventIsATimelineEntry() throws {
        let scenario = try ScenarioFile.parse(
            header
                + "  - case: ada\n    event: sign-off\n  - at: 2026-01-01T00:00:00Z\n    case: ada\n    event: contact\n    data: { name: Ada, clientType: adult, route: gp }\n",
            file: "t.yaml")
        let policy = try PolicyFile.load(Repository.path("workflows/derbyshire.yaml"))
        let result = ScenarioRunner(policy: policy).run(scenario)
        #expect(result.timeline.map(\.kind) == [.rejected])
        #expect(result.timeline.first?.accepted == [.contact])
        #expect(result.timingErrors == ["line 6: the step is at 2026-01-01 00:00, before the clock (2026-01-05 09:00)"])
    }

    @Test func aScenarioCannotCorrectARecordItHasNoStoredHistoryFor() throws {
        let scenario = try ScenarioFile.parse(
            header
                + "  - case: ada\n    event: contact\n    data: { name: Ada, clientType: adult, route: gp }\n"
                + "  - case: ada\n    event: correct-record\n    data: { event: 1, field: name, value: Bo, reason: typo }\n",
            file: "t.yaml")
        let result = ScenarioRunner(policy: try PolicyFile.load(Repository.path("workflows/derbyshire.yaml"))).run(
            scenario)
        let refused = try #require(result.timeline.last)
        #expect(refused.kind == .rejected)
        #expect(refused.name == "correct-record")
        #expect(refused.error?.contains("only the service holds") == true)
        #expect(result.cases["ada"]?.person?.name == "Ada")
    }

    @Test func peopleCannotFireTimers() throws {
        let error = try #require(
            parseError(
                header
                    + "  - case: ada\n    event: timer-fired\n    data: { timer: dp.audit, due: 2026-01-05T09:00:00Z }\n"
            ))
        #expect(error.line == 5)
        #expect(error.message == "timers fire by themselves when the clock reaches them")
    }

    @Test func anUnknownEventIsReportedOnItsOwnLineEvenWithData() throws {
        let error = try #require(parseError(header + "  - case: ada\n    event: contakt\n    data: { name: Ada }\n"))
        #expect(error.line == 5)
        #expect(error.key == "steps[0].event")
        #expect(error.message.contains("did you mean 'contact'?"))
    }

    @Test func aCarerWhoAcceptsIsGivenTheirOwnCase() throws {
        let steps = """
              - case: ada
                event: contact
                data: { name: Ada, clientType: adult, route: gp }
              - case: ada
                event: start-assessment
              - case: ada
                event: assessment-completed
                data: { needs: [personal care], outcomes: [home], carerReliedOn: true }
              - after: 1d
                case: ada
                reply: offer-carer-assessment
                data: { accepted: true, carerName: Carl }
                expect: { case: ada-carer, stage: contact, tasks: [screen-contact] }

            """
        let scenario = try ScenarioFile.parse(header + steps, file: "carer.yaml")
        let result = ScenarioRunner(policy: try PolicyFile.load(Repository.path("workflows/derbyshire.yaml"))).run(
            scenario)
        #expect(result.failedExpectations == [])
        let carer = try #require(result.cases["ada-carer"])
        #expect(carer.person?.name == "Carl")
        #expect(carer.person?.clientType == .carer)
        #expect(carer.person?.caredFor == "Ada")
        #expect(result.timeline.first { $0.case == "ada-carer" }?.actor == "referral from ada")
    }
}
