import CareJourneyCore
import CareJourneyStore
import Foundation
import Testing
import CareJourneyTestSupport

@testable import CareJourneySamples

/// A store seeded with a sample population, in a temporary folder.
struct SeededStore {
    let store: CaseStore
    let report: SamplePopulation.Report
    let now: Date

    /// Every case, in number order.
    let states: [CaseState]

    static func make(count: Int, seed: UInt64, now: Date = SeededStore.now) async throws -> SeededStore {
        let policy = try shippedPolicy("derbyshire")
        let store = try CaseStore(directory: temporaryDirectory())
        let report = try await withEngine(store, policy: policy) { engine in
            try await SamplePopulation(count: count, seed: seed).seed(into: engine, at: now)
        }
        var states: [CaseState] = []
        for number in 1...report.cases {
            states.append(try #require(try await store.record(of: CaseID("C-\(number)"))?.state))
        }
        return SeededStore(store: store, report: report, now: now, states: states)
    }

    /// A fixed today, so runs compare.
    static let now = Date(timeIntervalSince1970: 1_780_000_000)  // 28 May 2026
}

@Suite struct SamplePopulationTests {
    @Test func aSmallPopulationShowsEveryStageAndEverySideMachine() async throws {
        let seeded = try await SeededStore.make(count: 40, seed: 7)
        let states = seeded.states
        #expect(seeded.report.refusals.isEmpty, "\(seeded.report.refusals)")
        #expect(states.count == 40)
        #expect(Set(states.map(\.stage)) == Set(Stage.allCases).subtracting([.new]))
        #expect(Set(states.map(\.advocacy.status)) == Set(Advocacy.Status.allCases))
        #expect(Set(states.map(\.safeguarding.status)) == Set(Safeguarding.Status.allCases))
        #expect(Set(states.map(\.complaint.status)) == Set(Complaint.Status.allCases))
        #expect(Set(states.map(\.directPayment.status)) == Set(DirectPaymentAccount.Status.allCases))
        #expect(Set(states.map(\.highCost.status)) == Set(HighCostApproval.Status.allCases))
        #expect(Set(states.compactMap(\.assessment?.kind)) == Set(Assessment.Kind.allCases))
        let reviewing = Set(states.compactMap(\.reviews.current?.type))
        #expect(reviewing.contains(.unplanned) && reviewing.count >= 2)
        #expect(Set(states.compactMap(\.reablement?.overran)) == [false, true])
        #expect(states.contains { $0.safeguarding.lastOutcome != nil })
        #expect(states.contains { $0.complaint.lastOutcome != nil })
        #expect(states.contains { $0.directPayment.reclaimed > .zero })
        #expect(states.contains { $0.directPayment.audits > 0 })
        #expect(Set(states.compactMap(\.closure?.reason)).count >= 5)
        // Every case has a team, most an allocated practitioner; every open case a next step.
        #expect(states.allSatisfy { $0.allocation?.team != nil })
        #expect(states.filter { $0.allocation?.worker != nil }.count >= 30)
        #expect(states.allSatisfy { !$0.stage.isOpen || $0.hasNextStep })
        // A year's history: contacts over the last year, long-standing cases up to two years back; nothing ahead.
        let openings = states.compactMap(\.openedAt)
        #expect(openings.allSatisfy { $0 <= seeded.now && $0 > seeded.now.addingTimeInterval(-800 * 86_400) })
        #expect(openings.filter { $0 > seeded.now.addingTimeInterval(-366 * 86_400) }.count >= 30)
        #expect(states.flatMap(\.timers.values).allSatisfy { $0 > seeded.now })

        let reviews = try await seeded.store.reviewFigures(at: seeded.now)
        #expect(reviews.overdue >= 2)
        #expect(!reviews.dueThisWeek.isEmpty)
        #expect(reviews.firstFormal.onTime > 0 && reviews.firstFormal.late > 0)
        #expect(reviews.planned.onTime > 0 && reviews.planned.late > 0)

        let verified = try seeded.store.verify()
        #expect(verified.isClean, "\(verified.differences)")
        #expect(verified.events == seeded.report.events)
    }

    @Test func theSameSeedGivesTheSameCases() async throws {
        let first = try await SeededStore.make(count: 20, seed: 11)
        let again = try await SeededStore.make(count: 20, seed: 11)
        let other = try await SeededStore.make(count: 20, seed: 12)
        #expect(first.states == again.states)
        #expect(first.report.events == again.report.events)
        #expect(first.states != other.states)
        for number in [1, 13, 20] {
            let id = CaseID("C-\(number)")
            let one = try #require(try await first.store.record(of: id)).history
            let two = try #require(try await again.store.record(of: id)).history
            #expect(one.map(\.name) == two.map(\.name))
            #expect(one.map(\.data) == two.map(\.data))
            #expect(one.map(\.at) == two.map(\.at))
            #expect(one.map(\.actor) == two.map(\.actor))
        }
    }

    @Test func everyTargetIsDealtBeforeAnyComesRoundAgain() {
        let deck = PopulationTarget.deck
        #expect(deck.count == 200)
        #expect(Array(deck.prefix(PopulationTarget.allCases.count)) == PopulationTarget.allCases)
        for target in PopulationTarget.allCases { #expect(deck.filter { $0 == target }.count == target.weight) }
    }
}
