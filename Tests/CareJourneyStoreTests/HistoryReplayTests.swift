import CareJourneyCore
import Foundation
import Testing
import CareJourneyTestSupport

@testable import CareJourneyStore

/// Reports read the stored histories: every case that may have something in the period, each replayed to the
/// state the engine holds.
@Suite struct HistoryReplayTests {
    @Test func historiesReplayToTheStoredStateAndSkipCasesClosedBeforeThePeriod() async throws {
        let store = try CaseStore(directory: temporaryDirectory())
        let (open, closed) = try await withEngine(store, policy: try shippedPolicy()) { engine in
            let open = try await engine.caseInDelivery(at: start)
            let contact: JSONValue = ["name": "Bo", "clientType": "adult", "route": "self-referral"]
            let closed = try #require(try await engine.send(nil, "contact", contact, at: start)).state.id
            try await engine.send(closed, "give-information-and-advice", at: start.addingTimeInterval(3_600))
            return (open, closed)
        }
        let stored = try #require(try await store.record(of: open))

        let all = try await store.reduceHistories(activeFrom: start, into: [CaseHistory]()) { $0.append($1) }
        #expect(Set(all.map(\.id)) == [open, closed])
        let history = try #require(all.first { $0.id == open })
        #expect(history.latest == stored.state)
        #expect(history.steps.map(\.version) == Array(1...stored.version))
        #expect(history.steps.first?.event.name == .contact)
        #expect(history.steps.map(\.at).allSatisfy { $0 == start })

        // Bo's case closed an hour after it opened: nothing of it can count in a period from the next day.
        let later = try await store.reduceHistories(
            activeFrom: start.addingTimeInterval(86_400), into: [CaseID]()
        ) { $0.append($1.id) }
        #expect(later == [open])
    }
}
