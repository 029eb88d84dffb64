import CareJourneyClock
import CareJourneyCore
import Foundation
import Testing
import CareJourneyTestSupport

@testable import CareJourneyStore

@Suite struct TimerServiceTests {
    @Test func aTimerFiresOnceWhenTheClockReachesIt() async throws {
        let store = try CaseStore(directory: temporaryDirectory())
        let clock = ManualClock(start)
        try await withEngine(store, policy: try shippedPolicy()) { engine in
            let id = try await engine.caseInDelivery(at: start)
            let timers = TimerService(engine: engine, clock: clock)
            try await timers.fireDue()
            #expect(try store.count("SELECT COUNT(*) FROM events WHERE name = 'timer-fired'") == 0)
            clock.advance(by: 72 * 3600)
            try await timers.fireDue()
            try await timers.fireDue()
            let record = try #require(try await store.record(of: id))
            let fires = record.history.filter { $0.name == "timer-fired" }
            #expect(fires.count == 1)
            #expect(fires.first?.late == nil)
            #expect(fires.first?.actor == "timer")
            #expect(record.state.openTask(.conductReview) != nil)
            #expect(record.state.timers[.reviewInformal] == nil)
        }
        #expect(try store.verify().isClean)
    }

    @Test func timersDueWhileTheServiceWasDownFireOnceOnStartMarkedLate() async throws {
        let directory = temporaryDirectory()
        let policy = try shippedPolicy()
        let clock = ManualClock(start)
        let id = try await withEngine(try CaseStore(directory: directory), policy: policy) { engine in
            try await engine.caseInDelivery(at: start)
        }
        // Down for ten weeks: the informal review, the first formal window, its reminder and due date all pass.
        clock.advance(by: 70 * 86_400)
        let store = try CaseStore(directory: directory)
        try await withEngine(store, policy: policy) { engine in
            let timers = TimerService(engine: engine, clock: clock)
            try await timers.fireDue()
            try await timers.fireDue()
        }
        let record = try #require(try await store.record(of: id))
        let fires = record.history.filter { $0.name == "timer-fired" }
        #expect(Set(fires.map { $0.data }).count == fires.count)
        #expect(fires.count == 4)
        let informal = try #require(fires.first { $0.data.description.contains("review.informal") })
        #expect(informal.late == Double(70 * 86_400 - 72 * 3600))
        #expect(informal.reason == "fired 67d late")
        #expect(fires.allSatisfy { $0.late != nil })
        #expect(record.state.reviews.overdue?.type == .firstFormal)
        #expect(try store.verify().isClean)
    }

    @Test func theServiceWakesForATimerSetWhileItSleeps() async throws {
        let store = try CaseStore(directory: temporaryDirectory())
        let clock = ManualClock(start)
        try await withEngine(store, policy: try shippedPolicy()) { engine in
            // With nothing due, the service sleeps to the end of its window: ten days.
            let timers = TimerService(engine: engine, clock: clock, window: 10 * 86_400)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await timers.run() }
                try await Task.sleep(for: .milliseconds(50))
                // A commit sets a timer due in three days, well before the service means to wake.
                let id = try await engine.caseInDelivery(at: start)
                let due = try #require(try await store.record(of: id)?.state.timers[.reviewInformal])
                #expect(due < start.addingTimeInterval(10 * 86_400))
                // The clock reaches the timer, not the service's wake-up: only the doorbell the commit rang can have
                // brought the wake-up forward to it.
                try await Task.sleep(for: .milliseconds(50))
                clock.advance(to: due)
                // A wait of minutes, which returns as soon as it holds: this runs in "the rest" of `scripts/test`,
                // where the computing tests hold the cooperative pool's two threads for minutes.
                let fired = try await eventually(600, every: .milliseconds(10)) {
                    try await store.record(of: id)?.state.timers[.reviewInformal] == nil
                }
                #expect(fired, "the timer set while the service slept fired when it came due")
                group.cancelAll()
            }
        }
    }

    @Test func timesWithFractionsOfASecondReplayExactly() async throws {
        let store = try CaseStore(directory: temporaryDirectory())
        let odd = start.addingTimeInterval(0.437)
        let clock = ManualClock(odd)
        try await withEngine(store, policy: try shippedPolicy()) { engine in
            let id = try await engine.caseInDelivery(at: odd)
            clock.advance(by: 72 * 3600 + 0.25)
            try await TimerService(engine: engine, clock: clock).fireDue()
            #expect(try await store.record(of: id)?.history.last?.name == "timer-fired")
        }
        let report = try store.verify()
        #expect(report.isClean, "\(report.differences)")
    }

    @Test func latenessIsDescribedForPeople() {
        #expect(TimerService.describe(5) == "5s")
        #expect(TimerService.describe(3 * 86_400 + 4 * 3600 + 12) == "3d 4h")
        #expect(TimerService.describe(125) == "2m 5s")
    }
}

extension JSONValue: CustomStringConvertible {
    public var description: String {
        (try? String(decoding: JSONEncoder().encode(self), as: UTF8.self)) ?? ""
    }
}
