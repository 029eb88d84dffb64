import CareJourneyCore
import Foundation
import Testing
import CareJourneyTestSupport

@testable import CareJourneyStore

@Suite struct EngineTests {
    @Test func commitsAreDurableWithSynchronousFull() throws {
        let store = try CaseStore(directory: temporaryDirectory())
        #expect(try store.synchronousLevel() == 2)
        #expect(try store.count("SELECT COUNT(*) FROM pragma_journal_mode WHERE journal_mode = 'wal'") == 1)
        #expect(
            try store.count(
                "SELECT COUNT(*) FROM pragma_journal_size_limit WHERE journal_size_limit = \(CaseStore.walSizeLimit)")
                == 1, "a WAL that grew once is cut back when it starts again")
        #expect(try store.count("PRAGMA wal_autocheckpoint") == CaseStore.autocheckpointPages)
    }

    @Test func oneTransactionCommitsTheEventStateTimersAndTasks() async throws {
        let store = try CaseStore(directory: temporaryDirectory())
        let policy = try shippedPolicy()
        let id = try await withEngine(store, policy: policy) { engine in try await engine.caseInDelivery(at: start) }
        #expect(id == "C-1")
        let record = try #require(try await store.record(of: id))
        #expect(record.version == 8)
        #expect(
            record.history.map(\.name) == [
                "contact", "start-assessment", "assessment-completed", "eligibility-decided", "ras-completed",
                "plan-updated", "financial-assessment-completed", "sign-off",
            ])
        #expect(record.history.allSatisfy { $0.actor == "test" && $0.policy == policy.fingerprint })
        #expect(record.state.stage == .delivery)
        // The timers table and the outbox follow the state exactly.
        let timers = try await store.timers(dueBy: .distantFuture, limit: 100)
        #expect(Dictionary(uniqueKeysWithValues: timers.map { ($0.name, $0.due) }) == record.state.timers)
        #expect(record.tasks.filter { $0.status == "open" }.map(\.kind) == ["find-provider", "send-plan-copy"])
        #expect(record.tasks.first { $0.kind == "find-provider" }?.queue == "brokerage")
        #expect(record.tasks.first { $0.kind == "send-plan-copy" }?.queue == "notifications")
        #expect(
            record.tasks.filter { $0.status == "completed" }.map(\.kind) == [
                "screen-contact", "assess-needs", "decide-eligibility", "calculate-budget", "financial-assessment",
                "plan-support",
            ])
    }

    @Test func aRefusedEventChangesNothing() async throws {
        let store = try CaseStore(directory: temporaryDirectory())
        try await withEngine(store, policy: try shippedPolicy()) { engine in
            let id = try #require(
                try await engine.send(nil, "contact", ["name": "Ada", "clientType": "adult", "route": "gp"], at: start)
            ).state.id
            let result = try await engine.apply(
                Command(caseID: id, event: try event("sign-off"), actor: "test", at: start))
            guard case .rejected(let error, _) = result else {
                Issue.record("sign-off was not refused: \(result)")
                return
            }
            #expect(error.code == .notAccepted)
            let missing = try await engine.apply(
                Command(caseID: "C-99", event: try event("sign-off"), actor: "t", at: start))
            guard case .notFound("C-99") = missing else {
                Issue.record("an unknown case was not reported: \(missing)")
                return
            }
        }
        #expect(try store.count("SELECT COUNT(*) FROM events") == 1)
    }

    @Test func aRetriedCommandIsAnsweredNotAppliedTwice() async throws {
        let store = try CaseStore(directory: temporaryDirectory())
        try await withEngine(store, policy: try shippedPolicy()) { engine in
            let contact: JSONValue = ["name": "Ada", "clientType": "adult", "route": "gp"]
            let command = Command(caseID: nil, event: try event("contact", contact), actor: "t", at: start)
            let first = try await engine.submit(command, key: IdempotencyKey("k1", fingerprint: "same"))
            let retry = try await engine.submit(command, key: IdempotencyKey("k1", fingerprint: "same"))
            let reused = try await engine.submit(command, key: IdempotencyKey("k1", fingerprint: "different"))
            guard case .done(let outcome) = first, case .replayed(let kept) = retry, case .keyReused = reused
            else {
                Issue.record("unexpected results: \(first) \(retry) \(reused)")
                return
            }
            // The outcome kept is the first one's, in terms the API renders as it rendered the first.
            #expect(kept == RecordedOutcome(outcome))
            guard case .applied(let applied) = kept else { return }
            #expect(applied.caseID == "C-1" && applied.version == 1 && applied.event == .contact)
        }
        #expect(try store.count("SELECT COUNT(*) FROM cases") == 1)
    }

    @Test func concurrentCommandsAreGroupCommittedWithoutLosingAny() async throws {
        let store = try CaseStore(directory: temporaryDirectory())
        let (ids, batching) = try await withEngine(store, policy: try shippedPolicy()) { engine in
            let ids = try await withThrowingTaskGroup(of: CaseID?.self) { group in
                for n in 0..<200 {
                    group.addTask {
                        try await engine.send(
                            nil, "contact", ["name": .string("Person \(n)"), "clientType": "adult", "route": "gp"],
                            at: start)?.state.id
                    }
                }
                var ids: [CaseID] = []
                for try await id in group { if let id { ids.append(id) } }
                return ids
            }
            return (ids, engine.statistics)
        }
        #expect(Set(ids).count == 200)
        // Group commit: fewer transactions than commands, every command in one of them.
        #expect(batching.commands == 200)
        #expect(batching.batches < 200)
        #expect(batching.largestBatch > 1)
        #expect(try store.count("SELECT COUNT(*) FROM events") == 200)
        #expect(try store.count("SELECT MAX(number) FROM cases") == 200)
        #expect(try store.verify().isClean)
    }

    /// A task that submits a command for a case the engine holds works its transition out before the writer's turn
    /// (`PreparedTransition`); a thread that gives an answer callback (the broker) leaves it to the writer, as does
    /// a new case.
    @Test func submittingTasksWorkOutTheTransitionsOfCasesTheEngineHolds() async throws {
        let store = try CaseStore(directory: temporaryDirectory())
        let (path, afterCallback) = try await withEngine(store, policy: try shippedPolicy()) { engine in
            _ = try await engine.caseInDelivery(at: start)
            let path = engine.statistics
            let complaint = Command(
                caseID: CaseID("C-1"), event: try event("complaint-received"), actor: "test", at: start)
            let outcome = await withCheckedContinuation { continuation in
                engine.apply(complaint) { continuation.resume(returning: $0) }
            }
            guard case .success(.applied) = outcome else {
                Issue.record("the complaint was not applied: \(outcome)")
                return (path, engine.statistics)
            }
            return (path, engine.statistics)
        }
        // The contact opens the case (the writer works it out); every step after it was prepared.
        #expect(path.commands == 1 + EventCatalog.pathToDelivery.count)
        #expect(path.preparedTransitions == EventCatalog.pathToDelivery.count)
        #expect(afterCallback.preparedTransitions == path.preparedTransitions)
        #expect(try store.verify().isClean)
    }

    @Test func aCarerReferralOpensTheCarersCaseInTheSameTransaction() async throws {
        let store = try CaseStore(directory: temporaryDirectory())
        try await withEngine(store, policy: try shippedPolicy()) { engine in
            let id = try #require(
                try await engine.send(nil, "contact", ["name": "Ada", "clientType": "adult", "route": "gp"], at: start)
            ).state.id
            try await engine.send(id, "start-assessment", at: start)
            try await engine.send(
                id, "assessment-completed", ["needs": ["care"], "outcomes": ["home"], "carerReliedOn": true], at: start)
            let offer = try await engine.send(
                id, "carer-assessment-offered", ["accepted": true, "carerName": "Carl"], at: start)
            #expect(offer?.opened == ["C-2"])
        }
        let carer = try #require(try await store.record(of: "C-2"))
        #expect(carer.state.person?.clientType == .carer)
        #expect(carer.history.first?.actor == "referral from C-1")
        #expect(try store.verify().isClean)
    }

    @Test func theEngineTakesNoCommandsAfterShuttingDown() async throws {
        let store = try CaseStore(directory: temporaryDirectory())
        let engine = try await withEngine(store, policy: try shippedPolicy()) { engine in engine }
        await #expect(throws: StoreError.self) {
            try await engine.apply(
                Command(
                    caseID: nil, event: try event("contact", ["name": "A", "clientType": "adult", "route": "gp"]),
                    actor: "t", at: start))
        }
    }
}
