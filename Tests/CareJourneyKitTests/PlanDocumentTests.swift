import CareJourneyCore
import Foundation
import Testing
import CareJourneyTestSupport

@testable import CareJourneyKit

/// The person's copy of their plan, as the `send-plan-copy` task carries it.
@Suite struct PlanDocumentTests {
    func ada() throws -> CaseState {
        let result = try runExample("typical-year")
        return try #require(result.cases["ada"])
    }

    @Test func theCopyIsAnAccessibleDocumentFromTheCasesOwnData() throws {
        let state = try ada()
        let copy = try #require(PlanCopy(of: state, at: date("2027-01-11T09:00:00Z")))
        let html = PlanDocument(copy, calendar: try shippedPolicy().councilCalendar).html
        #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"en-GB\">"))
        #expect(html.contains("<h1>Care and support plan for Ada Lovelace</h1>"))
        #expect(html.contains("<link rel=\"stylesheet\" href=\"/assets/plan.css\">"))
        // Every item of the plan, in words.
        for text in [
            "a falls-prevention class at the leisure centre", "preparing meals: home care prepares a hot meal",
            "her garden, her cat and the lunch club on Thursdays", "she employs her PA herself",
            "falls pendant; the PA and the agency share a communication book", "Set aside for it: £0.00 a week.",
        ] {
            #expect(html.contains(text), "\(text)")
        }
        // The budget in its parts, the direct payment net of the contribution.
        #expect(html.contains("<caption>Your personal budget, a week</caption>"))
        #expect(html.contains("<th scope=\"row\">Your contribution</th><td>£32.00 a week</td>"))
        #expect(html.contains("<th scope=\"row\">Council funding</th><td>£256.00 a week</td>"))
        #expect(html.contains("£68.00 weekly, after your contribution"))
        #expect(html.contains("for Ada Lovelace, her daughter"))
        // No inline style or script: the content security policy (style-src 'self') holds.
        #expect(!html.contains("style=") && !html.contains("<style") && !html.contains("<script"))
    }

    /// The document's dates are the council's days: 25 hours apart, Kiritimati's and Pago Pago's days always differ.
    @Test func datesAreDaysOnTheCouncilsCalendar() throws {
        let copy = try #require(PlanCopy(of: try ada(), at: date("2027-01-11T09:00:00Z")))
        for zone in ["Pacific/Kiritimati", "Pacific/Pago_Pago"] {
            let calendar = CouncilCalendar(timeZone: try #require(TimeZone(identifier: zone)), bankHolidays: .none)
            let html = PlanDocument(copy, calendar: calendar).html
            let days = "\(calendar.day(of: copy.signedOffAt)); this copy made \(calendar.day(of: copy.madeAt))"
            #expect(html.contains("Signed off \(days)"), "\(zone)")
        }
    }

    @Test func textFromTheCaseIsEscaped() throws {
        var state = try ada()
        state.person?.name = "Ada <b>Lovelace</b> & \"friends\""
        state.signedOffPlan?.importantTo = "<script>alert(1)</script>"
        let copy = try #require(PlanCopy(of: state, at: date("2027-01-11T09:00:00Z")))
        let html = PlanDocument(copy, calendar: try shippedPolicy().councilCalendar).html
        #expect(html.contains("Ada &lt;b&gt;Lovelace&lt;/b&gt; &amp; &quot;friends&quot;"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(!html.contains("<script>"))
    }

    @Test func theWorkersBriefCarriesTheDocument() throws {
        let state = try ada()
        let task = CareTask(
            id: TaskID(caseID: state.id, number: 99), kind: .sendPlanCopy, queue: "notifications",
            createdAt: date("2027-01-11T09:00:00Z"))
        let brief = TaskBrief.forWorker(task, in: state, calendar: try shippedPolicy().councilCalendar)
        guard case .string(let html)? = brief.fields["html"] else {
            Issue.record("no html in the brief")
            return
        }
        #expect(html.contains("Care and support plan for Ada Lovelace"))
        #expect(brief.fields["recipients"] == ["Ada Lovelace", "her daughter"])
        let other = CareTask(id: task.id, kind: .findProvider, queue: "brokerage", createdAt: task.createdAt)
        let calendar = try shippedPolicy().councilCalendar
        #expect(TaskBrief.forWorker(other, in: state, calendar: calendar).fields["html"] == nil)
    }
}
