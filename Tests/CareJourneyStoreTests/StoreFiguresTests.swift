import CareJourneyClock
import CareJourneyCore
import Foundation
import Testing
import CareJourneyTestSupport

@testable import CareJourneyStore

@Suite struct StoreFiguresTests {
    /// The figures as a fresh count of the store reads them.
    func counted(_ store: CaseStore) throws -> StoreFigures {
        try store.pool.read { db in try StoreFigures.count(in: db) }
    }

    @Test func figuresCountedOnceFollowEveryCommitExactly() async throws {
        let store = try CaseStore(directory: temporaryDirectory())
        let clock = ManualClock(start)
        try await withEngine(store, policy: try shippedPolicy()) { engine in
            #expect(engine.figures == nil)
            let first = try await engine.caseInDelivery(at: start)
            try await engine.countFigures()
            #expect(engine.figures == (try counted(store)))
            #expect(engine.figures?.cases[.delivery] == 1)

            // After the count: new cases, a closure, a timer firing, a task failing and then done by hand.
            let second = try await engine.caseInDelivery(at: start)
            try await engine.send(nil, "contact", ["name": "Bo", "clientType": "adult", "route": "gp"], at: start)
            try await engine.send(second, "close-case", ["reason": "deceased"], at: start)
            clock.advance(by: 72 * 3600)
            try await TimerService(engine: engine, clock: clock).fireDue()
            engine.record(.task(.failed(task: "\(first)#7", attempts: 5, reason: "no provider answers")))
            try await engine.send(nil, "contact", ["name": "Cy", "clientType": "adult", "route": "gp"], at: start)
            let failed = try #require(engine.figures)
            #expect(failed.tasks["brokerage"]?[.failed] == 1)
            #expect(failed == (try counted(store)))
            // Retried by the operations team: open again, counted so; then it fails once more.
            try await engine.send(first, "retry-task", ["task": .string("\(first)#7")], at: clock.now())
            let retried = try #require(engine.figures)
            #expect(retried.tasks["brokerage"]?[.failed] == 0)
            #expect(retried == (try counted(store)))
            engine.record(.task(.failed(task: "\(first)#7", attempts: 1, reason: "still nobody")))
            try await engine.send(nil, "contact", ["name": "Di", "clientType": "adult", "route": "gp"], at: start)
            #expect(engine.figures?.tasks["brokerage"]?[.failed] == 1)

            try await engine.send(
                first, "provider-found",
                ["task": .string("\(first)#7"), "provider": "Sunrise Home Care", "weeklyCost": 215.5],
                at: clock.now())
            let figures = try #require(engine.figures)
            #expect(figures == (try counted(store)))
            #expect(figures.cases[.contact] == 3)
            #expect(figures.cases[.closed] == 1)
            #expect(figures.tasks["brokerage"]?[.failed] == 0)
            #expect(figures.tasks["brokerage"]?[.completed] == 1)
            #expect(figures.tasks["brokerage"]?[.withdrawn] == 1)
            #expect(figures.pendingTimers > 0)
        }
    }

    @Test func figuresAreEqualWhenEveryCountIsAMissingOneCountingAsNought() {
        var some = StoreFigures()
        some.cases[.contact] = 0
        some.tasks["practice"] = [.open: 0]
        #expect(some == StoreFigures())
        some.pendingTimers = 1
        #expect(some != StoreFigures())
        #expect(some - some == StoreFigures())
    }
}
