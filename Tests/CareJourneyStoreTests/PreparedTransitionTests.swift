import CareJourneyCore
import CareJourneyTestSupport
import Foundation
import GRDB
import Testing

@testable import CareJourneyStore

/// A transition worked out by the submitting task (`PreparedTransition`) is taken by the writer only at the version it
/// was worked out from: a command for the same case that commits first makes the writer work it out again.
@Suite struct PreparedTransitionTests {
    let policy: Policy

    init() throws { policy = try shippedPolicy() }

    /// A case in delivery, and its state as the engine would hold it after the sign-off.
    func caseInDelivery() async throws -> (CaseStore, StateCache.Entry) {
        let store = try CaseStore(directory: temporaryDirectory())
        let id = try await withEngine(store, policy: policy) { engine in try await engine.caseInDelivery(at: start) }
        let entry = try #require(try await store.pool.read { db in try store.currentState(of: id, in: db) })
        return (store, entry)
    }

    /// Writes `commands`, each with its transition prepared from `entry`, in one batch; returns the outcomes and how
    /// many prepared transitions the writer took.
    func writePrepared(_ commands: [Command], from entry: StateCache.Entry, in store: CaseStore) throws
        -> (outcomes: [CommandOutcome], taken: Int)
    {
        let submissions = commands.map { command in
            WriterBatch.Submission(command: command, prepared: PreparedTransition(command, from: entry, policy: policy))
        }
        #expect(submissions.allSatisfy { $0.prepared?.version == entry.version })
        return try store.pool.write { db in
            var writer = BatchWriter(
                store: store, policy: policy, policyFingerprint: policy.fingerprint, recordedAt: start)
            let outcomes = try writer.write(submissions, in: db).map { result in try result.get() }
                .map { done in
                    guard case .done(let outcome) = done.result else { throw StoreError(.io, "replayed: \(done)") }
                    return outcome
                }
            return (outcomes, writer.preparedTaken)
        }
    }

    func command(_ id: CaseID, _ name: String, _ data: JSONValue = [:], minute: Double) throws -> Command {
        Command(caseID: id, event: try event(name, data), actor: "test", at: start.addingTimeInterval(minute * 60))
    }

    @Test func aTransitionPreparedAtAnOlderVersionIsWorkedOutAgain() async throws {
        let (store, entry) = try await caseInDelivery()
        let id = entry.state.id
        let (outcomes, taken) = try writePrepared(
            [
                try command(id, "complaint-received", minute: 1),
                try command(id, "reassign", ["team": "north", "worker": "sw.jones"], minute: 2),
            ],
            from: entry, in: store)
        guard case .applied(let second) = try #require(outcomes.last) else {
            Issue.record("the reassignment was not applied: \(outcomes)")
            return
        }
        // Taken as prepared, the reassignment would have dropped the complaint received before it.
        #expect(taken == 1, "only the first was taken as prepared")
        #expect(second.version == entry.version + 2)
        #expect(second.state.complaint.received == entry.state.complaint.received + 1)
        #expect(second.state.allocation?.team == "north")
        let record = try #require(try await store.record(of: id))
        #expect(record.state == second.state)
        #expect(try store.verify().isClean)
    }

    @Test func aRefusalPreparedAtAnOlderVersionIsWorkedOutAgain() async throws {
        let (store, entry) = try await caseInDelivery()
        let id = entry.state.id
        let concluded = try command(id, "complaint-concluded", ["outcome": "not-upheld"], minute: 2)
        // At the prepared version no complaint is open: the journey refuses the conclusion there.
        guard case .failure = try #require(PreparedTransition(concluded, from: entry, policy: policy)).result else {
            Issue.record("a complaint concluded with none open was accepted at version \(entry.version)")
            return
        }
        let (outcomes, taken) = try writePrepared(
            [try command(id, "complaint-received", minute: 1), concluded], from: entry, in: store)
        guard case .applied(let conclusion) = try #require(outcomes.last) else {
            Issue.record("the conclusion of the complaint received first was refused: \(outcomes)")
            return
        }
        #expect(taken == 1, "only the complaint was taken as prepared")
        #expect(conclusion.version == entry.version + 2)
        #expect(try store.verify().isClean)
    }

    @Test func aTransitionPreparedAtTheCurrentVersionIsTheOneWritten() async throws {
        let (store, entry) = try await caseInDelivery()
        let received = try command(entry.state.id, "complaint-received", minute: 1)
        let prepared = try #require(PreparedTransition(received, from: entry, policy: policy))
        let (outcomes, taken) = try writePrepared([received], from: entry, in: store)
        guard case .applied(let committed) = try #require(outcomes.first) else {
            Issue.record("not applied: \(outcomes)")
            return
        }
        #expect(taken == 1)
        #expect(committed.state == (try prepared.result.get()).state)
        #expect(try store.verify().isClean)
    }

    @Test func aCorrectionIsNeverPrepared() throws {
        let state = CaseState(id: CaseID("C-1"))
        let entry = StateCache.Entry(number: 1, version: 1, snapshotVersion: 0, state: state)
        let correction = Command(
            caseID: state.id,
            event: try event(
                "correct-record", ["event": 1, "field": "nhsNumber", "value": "4010232137", "reason": "two digits transposed at contact"]),
            actor: "test", at: start)
        #expect(PreparedTransition(correction, from: entry, policy: policy) == nil)
    }
}
