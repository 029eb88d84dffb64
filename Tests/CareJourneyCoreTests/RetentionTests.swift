import Foundation
import Testing

@testable import CareJourneyCore

/// The retention schedule: the first rule that covers a closed case sets its period, counted from its last closure.
@Suite struct RetentionTests {
    static let schedule = RetentionSchedule(rules: [
        .init(name: "safeguarding", when: .init(safeguardingEnquiry: true), keep: .months(240)),
        .init(name: "information-and-advice", when: .init(closureReasons: [.informationAndAdvice]), keep: .months(36)),
        .init(name: "carers", when: .init(clientType: .carer), keep: .months(72)),
        .init(name: "adults", when: .init(), keep: .months(96)),
    ])

    /// A driver that keeps the history it makes.
    struct Recorder {
        var driver = Driver()
        var history = CaseHistory(id: "ada")

        mutating func send(
            _ name: String, _ data: JSONValue = [:], after: TimeInterval = 0, by actor: String = "sw.test"
        ) {
            driver.send(name, data, after: after, by: actor)
            history.append(event(name, data), at: driver.now, state: driver.state)
        }
    }

    func years(_ n: Int, after date: Date) -> Date { PolicyDuration.months(12 * n).after(date) }

    @Test func theFirstRuleThatCoversTheCaseDecidesFromItsClosure() throws {
        var bo = Recorder()
        bo.send("contact", ["name": "Bo", "clientType": "adult", "route": "gp"])
        #expect(Self.schedule.review(bo.history, asOf: years(50, after: t0)) == nil, "an open case is never due")
        bo.send("give-information-and-advice", after: days(2))
        let closed = bo.driver.now
        #expect(Self.schedule.review(bo.history, asOf: years(3, after: closed).addingTimeInterval(-1)) == nil)
        let review = try #require(Self.schedule.review(bo.history, asOf: years(3, after: closed)))
        #expect(review.rule.name == "information-and-advice")
        #expect(review.closedAt == closed)
        #expect(review.openedAt == t0)
        #expect(review.dueAt == years(3, after: closed))
        #expect(review.disposable)

        var cara = Recorder()
        cara.send("contact", ["name": "Cara", "clientType": "carer", "route": "self-referral"])
        cara.send("close-case", ["reason": "support-declined"])
        #expect(Self.schedule.review(cara.history, asOf: years(8, after: t0))?.rule.name == "carers")

        var ada = Recorder()
        ada.send("contact", ["name": "Ada", "clientType": "adult", "route": "gp"])
        ada.send("close-case", ["reason": "needs-met"])
        #expect(Self.schedule.review(ada.history, asOf: years(7, after: t0)) == nil)
        #expect(Self.schedule.review(ada.history, asOf: years(8, after: t0))?.rule.name == "adults")
    }

    @Test func aSafeguardingEnquiryInAnyEpisodeKeepsTheCaseLongest() throws {
        var ada = Recorder()
        ada.send("contact", ["name": "Ada", "clientType": "adult", "route": "gp"])
        ada.send("safeguarding-concern", by: "sw.one")
        ada.send("s42-decision", ["enquiry": true], by: "m.two")
        ada.send("safeguarding-concluded", ["outcome": "risk-removed"], by: "m.two")
        ada.send("give-information-and-advice")
        // A re-referral: a new episode, closed again; the enquiry of the first still counts.
        ada.send("contact", ["name": "Ada", "clientType": "adult", "route": "gp"], after: days(400))
        ada.send("give-information-and-advice", after: days(1))
        let closed = ada.driver.now
        #expect(Self.schedule.review(ada.history, asOf: years(19, after: closed)) == nil)
        let review = try #require(Self.schedule.review(ada.history, asOf: years(20, after: closed)))
        #expect(review.rule.name == "safeguarding")
        #expect(review.closedAt == closed, "counted from the last closure")
        #expect(review.openedAt == t0, "opened at its first contact")

        // A concern that needed no enquiry is not an enquiry.
        var bo = Recorder()
        bo.send("contact", ["name": "Bo", "clientType": "adult", "route": "gp"])
        bo.send("safeguarding-concern", by: "sw.one")
        bo.send("s42-decision", ["enquiry": false], by: "m.two")
        bo.send("close-case", ["reason": "needs-met"])
        #expect(Self.schedule.review(bo.history, asOf: years(8, after: t0))?.rule.name == "adults")
    }

    @Test func aHeldCaseOrOneWithWorkOpenIsDueButNotDisposable() throws {
        var ada = Recorder()
        ada.send("contact", ["name": "Ada", "clientType": "adult", "route": "gp"])
        ada.send("close-case", ["reason": "needs-met"])
        ada.send("hold", ["reason": "inquiry"], by: "m.patel")
        let held = try #require(Self.schedule.review(ada.history, asOf: years(9, after: t0)))
        #expect(held.hold?.by == "m.patel")
        #expect(!held.disposable)

        var bo = Recorder()
        bo.send("contact", ["name": "Bo", "clientType": "adult", "route": "gp"])
        bo.send("close-case", ["reason": "needs-met"])
        bo.send("complaint-received")
        let open = try #require(Self.schedule.review(bo.history, asOf: years(9, after: t0)))
        #expect(open.openTasks == 1)
        #expect(!open.disposable)
    }

    @Test func conditionsCombineAndListReasons() {
        let facts = RetentionFacts(clientType: .carer, closureReason: .deceased, hadSafeguardingEnquiry: false)
        #expect(RetentionSchedule.Condition(clientType: .carer, closureReasons: [.needsMet, .deceased]).matches(facts))
        #expect(!RetentionSchedule.Condition(clientType: .adult, closureReasons: [.deceased]).matches(facts))
        #expect(!RetentionSchedule.Condition(safeguardingEnquiry: true).matches(facts))
        #expect(RetentionSchedule.Condition().coversEverything)
        #expect(Self.schedule.rule(for: facts)?.name == "carers")
    }
}
