import CareJourneyCore
import Foundation
import Testing
import CareJourneyTestSupport

@testable import CareJourneyStore

@Suite struct PolicyChangeStoreTests {
    @Test func aDryRunCountsAndTheRealRunRetimesWithAnAuditedEvent() async throws {
        let store = try CaseStore(directory: temporaryDirectory())
        let policy = try shippedPolicy()
        let ids = try await withEngine(store, policy: policy) { engine in
            [try await engine.caseInDelivery(at: start), try await engine.caseInDelivery(at: start)]
        }
        var sooner = policy
        sooner.id = "derbyshire-2027"
        sooner.reviews.firstFormalDue = .weeks(7)
        let dryRun = try store.apply(
            sooner, at: start.addingTimeInterval(3600), reason: "new review standard", dryRun: true)
        #expect(dryRun == PolicyChangeReport(examined: 2, changed: 2, timersMoved: 4))
        #expect(try store.count("SELECT COUNT(*) FROM events WHERE name = 'policy-applied'") == 0)
        #expect(try store.currentPolicy()?.id == "derbyshire")

        let applied = try store.apply(
            sooner, at: start.addingTimeInterval(3600), reason: "new review standard", dryRun: false)
        #expect(applied == dryRun)
        let record = try #require(try await store.record(of: ids[0]))
        #expect(record.history.last?.name == "policy-applied")
        #expect(record.history.last?.actor == "policy")
        #expect(record.history.last?.reason == "new review standard")
        // Under the shipped calendar, 7 weeks after sign-off on 5 January (09:00) is due by the end of 23 February.
        #expect(record.state.timers[.reviewFirstFormalDue] == (try Date("2026-02-24T00:00:00Z", strategy: .iso8601)))
        #expect(try store.currentPolicy()?.id == "derbyshire-2027")
        // History replays under the policy each event was applied under.
        #expect(try store.verify().isClean)
        // Applying it again changes nothing.
        #expect(try store.apply(sooner, at: start, reason: "again", dryRun: true).changed == 0)
    }
}

@Suite struct PolicyFingerprintTests {
    /// Without `retention:` a policy encodes as it did before the key existed, so a store running under it needs no
    /// `policy apply`: these are the shipped files' fingerprints before they had a schedule.
    @Test func aPolicyWithoutARetentionScheduleKeepsItsFingerprint() throws {
        for (name, fingerprint) in [
            ("derbyshire", "derbyshire-f8db0c7df5941c0d"), ("wiltshire", "wiltshire-bc5fe57173fb9659"),
        ] {
            var policy = try shippedPolicy(name)
            #expect(policy.retention != nil)
            #expect(policy.fingerprint != fingerprint, "the schedule is part of the policy")
            policy.retention = nil
            // Nor are charging, the plan items, Kent's checklist and the queues they need: without them, the
            // fingerprint is the one the file had before any of these.
            #expect(policy.fingerprint != fingerprint)
            policy.charging = nil
            policy.plans = nil
            // Nor is the calendar: a policy without `calendar:` counts in exact instants, as before it existed.
            policy.calendar = nil
            policy.highCost.checklist = nil
            // Nor are who serves each queue and the tasks' due dates (issue 17).
            #expect(policy.servedBy != nil && policy.taskDue != nil)
            policy.servedBy = nil
            policy.taskDue = nil
            for kind in [TaskKind.financialAssessment, .chargingReminder, .chcReferral, .sendPlanCopy] {
                policy.queues[kind] = nil
            }
            #expect(policy.fingerprint == fingerprint, "\(name)")
        }
    }
}
