import CareJourneyCore
import Foundation
import Testing
import CareJourneyTestSupport

@testable import CareJourneyStore

/// What the Plan page's forecast starts from: every open case, or an even sample of them read a chunk at a time,
/// and the last year's contacts, counted or estimated from the same share of cases.
@Suite struct PlanningStartTests {
    /// A store with `count` cases in delivery and one closed by information and advice, all opened at `start`.
    func store(inDelivery count: Int) async throws -> CaseStore {
        let store = try CaseStore(directory: temporaryDirectory())
        try await withEngine(store, policy: try shippedPolicy()) { engine in
            for number in 0..<count { _ = try await engine.caseInDelivery(at: start, name: "Person \(number)") }
            let advised = try #require(
                try await engine.send(nil, "contact", ["name": "Bo", "clientType": "adult", "route": "gp"], at: start))
            _ = try await engine.send(
                advised.state.id, "give-information-and-advice", ["note": "signposted"], at: start)
        }
        return store
    }

    @Test func withoutASampleEveryOpenCaseIsReadAndEveryContactCounted() async throws {
        let store = try await store(inDelivery: 12)
        let read = try await store.planningStart(asOf: start.addingTimeInterval(86_400))
        #expect(read.openCaseCount == 12)
        #expect(read.openCases.count == 12)
        #expect(read.openCases.allSatisfy { $0.stage == .delivery })
        #expect(read.sampledFraction == 1)
        #expect(read.contactsInLastYear == 13)
    }

    @Test func aSampleTakesEveryNthOpenCaseAndEstimatesTheContacts() async throws {
        let store = try await store(inDelivery: 12)
        let read = try await store.planningStart(asOf: start.addingTimeInterval(86_400), sample: 4)
        #expect(read.openCaseCount == 12)
        // Every third of the twelve open cases, by number: the 1st, 4th, 7th and 10th.
        #expect(read.openCases.map(\.id.rawValue) == ["C-1", "C-4", "C-7", "C-10"])
        #expect(read.sampledFraction == 4.0 / 12.0)
        // Thirteen cases were ever opened: every fourth number (1, 5, 9, 13) is read, each with one contact in the
        // year, so the estimate is 4 × 4.
        #expect(read.contactsInLastYear == 16)
        // A year later, none of those contacts is in the last 12 months.
        let later = try await store.planningStart(asOf: start.addingTimeInterval(400 * 86_400), sample: 4)
        #expect(later.contactsInLastYear == 0)
    }

    @Test func aSampleAsLargeAsTheCaseloadReadsItAll() async throws {
        let store = try await store(inDelivery: 5)
        let read = try await store.planningStart(asOf: start.addingTimeInterval(86_400), sample: 20_000)
        #expect(read.openCases.count == 5)
        #expect(read.sampledFraction == 1)
        #expect(read.contactsInLastYear == 6)
    }
}
