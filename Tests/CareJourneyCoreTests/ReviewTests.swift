import Foundation
import Testing

@testable import CareJourneyCore

/// Rule 7: the review cycle.
@Suite struct ReviewTests {
    @Test func theInformalReviewAndTheFirstFormalWindowPutTasksOnTheirQueues() {
        var ada = Driver()
        ada.toDelivery()
        ada.fire(.reviewInformal)
        #expect(ada.enqueued == ["conduct-review@practice"])
        ada.send("start-review", ["type": "informal"], after: hours(1))
        ada.send("review-completed", ["outcome": "no-change"], after: hours(1))
        #expect(ada.state.stage == .delivery)
        #expect(ada.state.reviews.formalReviewDone == false)
        ada.fire(.reviewFirstFormalOpens)
        #expect(ada.enqueued == ["conduct-review@practice"])
        ada.fire(.reviewFirstFormalReminder)
        #expect(ada.enqueued == ["review-reminder@review-reminders"])
    }

    @Test func completingTheFirstFormalReviewSchedulesThePlannedReviewTwelveMonthsOn() {
        var ada = Driver()
        ada.toDelivery()
        ada.fire(.reviewInformal)
        ada.fire(.reviewFirstFormalOpens)
        ada.send("start-review", ["type": "first-formal"], after: days(3))
        #expect(ada.state.stage == .review)
        ada.send("review-completed", ["outcome": "no-change"], after: hours(2))
        let due = Calendar.utc.date(byAdding: .month, value: 12, to: ada.now)!
        #expect(ada.state.timers == [.reviewPlannedDue: due, .reviewPlannedReminder: due - days(14)])
        #expect(ada.state.reviews.formalReviewDone)
        #expect(ada.openTaskKinds == ["find-provider", "set-up-direct-payment"])
    }

    @Test func aMissedDueDateIsOverdueAndEscalatedToTheTeamManager() {
        var ada = Driver()
        ada.toDelivery()
        let signedOff = ada.now
        ada.fire(.reviewInformal)
        ada.fire(.reviewFirstFormalOpens)
        ada.fire(.reviewFirstFormalReminder)
        ada.fire(.reviewFirstFormalDue)
        #expect(ada.state.reviews.overdue == OverdueReview(type: .firstFormal, due: signedOff + weeks(8)))
        #expect(ada.enqueued == ["escalate-overdue-review@team-manager"])
        #expect(
            ada.effects.contains(
                .notify(
                    Notice(
                        .reviewOverdue,
                        "the first-formal review was due \((signedOff + weeks(8)).formatted(.iso8601)) and is overdue"))
            ))
        ada.send("start-review", ["type": "first-formal"], after: days(5))
        ada.send("review-completed", ["outcome": "no-change"], after: hours(1))
        #expect(ada.state.reviews.overdue == nil)
        #expect(!ada.openTaskKinds.contains("escalate-overdue-review"))
    }

    @Test func anUnplannedReviewNeedsAReasonAndRebasesTheNextDueDate() throws {
        var ada = Driver()
        ada.toDelivery()
        let error = try #require(ada.refused("start-review", ["type": "unplanned"]))
        #expect(error.message.contains("needs a 'reason'"))
        // In the first weeks an unplanned review leaves the 6–8-week review in place.
        let firstFormal = ada.state.timers.filter { $0.key.rawValue.hasPrefix("review.first-formal") }
        ada.send("start-review", ["type": "unplanned", "reason": "hospital"], after: weeks(3))
        #expect(ada.state.reviews.current?.reason == .hospital)
        ada.send("review-completed", ["outcome": "no-change"], after: days(1))
        #expect(ada.state.timers.filter { $0.key.rawValue.hasPrefix("review.first-formal") } == firstFormal)
        #expect(ada.state.timers[.reviewPlannedDue] == nil)
        #expect(!ada.openTaskKinds.contains("conduct-review"))
        // Once the window is open, an unplanned review completes what is due and re-bases the next due date.
        ada.fire(.reviewInformal)
        ada.fire(.reviewFirstFormalOpens)
        ada.send("start-review", ["type": "unplanned", "reason": "provider-failure"], after: days(2))
        ada.send("review-completed", ["outcome": "no-change"], after: days(1))
        let due = Calendar.utc.date(byAdding: .month, value: 12, to: ada.now)!
        #expect(ada.state.timers[.reviewPlannedDue] == due)
        #expect(ada.state.timers[.reviewFirstFormalDue] == nil)
        #expect(ada.state.reviews.formalReviewDone)
    }

    @Test func theFirstFormalReviewWaitsForItsWindowAndPlannedReviewsForIt() throws {
        var ada = Driver()
        ada.toDelivery()
        let early = try #require(ada.refused("start-review", ["type": "first-formal"]))
        #expect(early.code == .guardFailed)
        #expect(early.missing.first?.hasPrefix("its window, which opens") == true)
        #expect(
            ada.refused("start-review", ["type": "planned"])?.missing == ["the first formal review, which comes first"])
    }

    @Test func reviewOutcomesLeadBackToPlanningAssessmentOrClosure() {
        var planChange = Driver()
        planChange.toDelivery()
        planChange.send("start-review", ["type": "unplanned", "reason": "change-of-circumstances"])
        planChange.send("review-completed", ["outcome": "plan-change"])
        #expect(planChange.state.stage == .supportPlanning)
        #expect(planChange.openTaskKinds.contains("plan-support"))
        planChange.send("plan-updated", ["councilManaged": ["services": ["home care 14h"], "weeklyCost": 210]])
        planChange.send("sign-off")
        // A changed council-managed part goes back to brokerage; the informal review comes round again.
        #expect(planChange.enqueued == ["find-provider@brokerage"])
        #expect(planChange.state.timers[.reviewInformal] == planChange.now + hours(72))

        var reassess = Driver()
        reassess.toDelivery()
        reassess.send("start-review", ["type": "unplanned", "reason": "request"])
        reassess.send("review-completed", ["outcome": "re-assessment"])
        #expect(reassess.state.stage == .assessment)
        #expect(reassess.state.assessment?.number == 2)
        #expect(reassess.state.budget?.confirmedWeekly == Money(pounds: 320))

        var close = Driver()
        close.toDelivery()
        close.send("start-review", ["type": "unplanned", "reason": "request"])
        close.send("review-completed", ["outcome": "closure", "closureReason": "self-funding"])
        #expect(close.state.closure?.reason == .selfFunding)
        // The decision in writing, and brokerage stops the services the case was funded for.
        #expect(close.enqueued == ["written-notification@notifications", "end-services@brokerage"])
        #expect(close.openTaskKinds == ["end-services", "written-notification"])
        #expect(close.state.timers.isEmpty)
    }

    @Test func theAdvocacyRuleAppliesAtReview() {
        var ada = Driver()
        ada.toDelivery()
        ada.send(
            "start-review",
            ["type": "unplanned", "reason": "request", "substantialDifficulty": true, "appropriatePerson": false])
        #expect(ada.refused("review-completed", ["outcome": "no-change"])?.code == .guardFailed)
        ada.send("advocate-allocated", ["advocate": "POhWER"])
        ada.send("review-completed", ["outcome": "no-change"])
        #expect(ada.state.stage == .delivery)
    }

    @Test func aTimerFiresExactlyOnce() throws {
        var ada = Driver()
        ada.toDelivery()
        let due = try #require(ada.state.timers[.reviewInformal])
        let before = ada.state
        ada.fire(.reviewInformal)
        do {
            _ = try Journey.apply(
                .timerFired(TimerFire(timer: .reviewInformal, due: due)), to: ada.state, at: due, by: "timer", policy: testPolicy)
            Issue.record("a second fire was accepted")
        } catch {
            #expect(error.code == .staleTimer)
        }
        // A fire for a due time the timer no longer has is stale too.
        #expect(throws: TransitionError.self) {
            try Journey.apply(
                .timerFired(TimerFire(timer: .reviewInformal, due: due + 1)), to: before, at: due, by: "timer", policy: testPolicy)
        }
    }

    @Test func aMissedPlannedReviewIsEscalatedAfterThePolicysGraceWhenItHasOne() throws {
        var policy = testPolicy
        policy.reviews.escalateAfter = .days(7)
        var state = CaseState(id: "ada")
        var now = t0
        func send(_ event: Event) throws {
            let transition = try Journey.apply(event, to: state, at: now, by: "test", policy: policy)
            state = transition.state
        }
        func fire(_ timer: TimerName) throws -> Transition {
            let due = try #require(state.timers[timer])
            now = max(now, due)
            let transition = try Journey.apply(
                .timerFired(TimerFire(timer: timer, due: due)), to: state, at: now, by: "timer", policy: policy)
            state = transition.state
            return transition
        }
        try send(event("contact", ["name": "Ada", "clientType": "adult", "route": "gp"]))
        try send(event("start-assessment"))
        try send(event("assessment-completed", ["needs": ["care"], "outcomes": ["home"]]))
        try send(event("eligibility-decided", ["eligible": true]))
        try send(event("ras-completed", ["points": 45, "informalSupport": "some"]))
        try send(event("plan-updated", Driver.fullPlan))
        try send(event("sign-off"))
        _ = try fire(.reviewInformal)
        _ = try fire(.reviewFirstFormalOpens)
        try send(event("start-review", ["type": "first-formal"]))
        try send(event("review-completed", ["outcome": "no-change"]))
        _ = try fire(.reviewPlannedReminder)
        let plannedDue = try #require(state.timers[.reviewPlannedDue])
        let missed = try fire(.reviewPlannedDue)
        #expect(state.reviews.overdue == OverdueReview(type: .planned, due: plannedDue))
        #expect(missed.effects.contains(.setTimer(.reviewEscalation, due: plannedDue + days(7))))
        #expect(!state.openTasks.contains { $0.kind == .escalateOverdueReview })
        let escalation = try fire(.reviewEscalation)
        let kinds: [TaskKind] = escalation.effects.compactMap {
            if case .enqueue(let task) = $0 { task.kind } else { nil }
        }
        #expect(kinds == [.escalateOverdueReview])
        #expect(state.openTask(.escalateOverdueReview)?.detail == "planned")
        #expect(state.openTask(.escalateOverdueReview)?.queue == "team-manager")
    }
}
