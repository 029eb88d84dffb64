import CareJourneyCore
import Foundation
import GRDB
import Testing
import CareJourneyTestSupport

@testable import CareJourneyStore

/// A backup taken before a disposal brings the disposed case back when restored; given the old folder, the restore
/// disposes of it again under the same certificate before the store is put in place.
@Suite struct RestoreDisposalsTests {
    static let bo: JSONValue = ["name": "Bo Brummell", "clientType": "adult", "route": "gp"]

    /// A store with Grace open (C-1), Ada's and Bo's whole lives closed (C-2, C-3), backed up; then Ada disposed of
    /// in the old store, and Dot opened there after the backup.
    func oldStoreAndBackup() async throws -> (old: String, backup: String, ada: CaseID, bo: CaseID) {
        let old = temporaryDirectory()
        let backup = temporaryDirectory() + "/backup.sqlite"
        let store = try CaseStore(directory: old)
        let policy = try shippedPolicy()
        let (ada, bo) = try await withEngine(store, policy: policy) { engine in
            try await engine.send(nil, "contact", DisposalTests.grace, at: start)
            let ada = try await engine.wholeLife(DisposalTests.ada, key: "ada", from: start).id
            let bo = try await engine.wholeLife(Self.bo, key: "bo", from: start).id
            _ = try StoreBackup.take(of: old, to: backup)
            let plan = try await store.planDisposal(
                asOf: DisposalTests.asOf, under: try #require(policy.retention), policy: policy.id)
            let disposable = plan.due.filter { $0.review.caseID == ada }
            let report = try await engine.dispose(
                DisposalPlan(asOf: plan.asOf, policy: plan.policy, examined: plan.examined, due: disposable),
                by: "records.officer", at: DisposalTests.asOf)
            #expect(report.count(.disposed) == 1)
            try await engine.send(
                nil, "contact", ["name": "Dot Cotton", "clientType": "adult", "route": "gp"], at: start)
            return (ada, bo)
        }
        return (old, backup, ada, bo)
    }

    @Test func withoutTheOldFolderTheDisposedCaseComesBack() async throws {
        let (_, backup, ada, _) = try await oldStoreAndBackup()
        let folder = temporaryDirectory() + "/restored"
        let restored = try StoreRestore.restore(from: backup, into: folder, identity: nil)
        #expect(restored.disposedAgain == nil)
        let store = try CaseStore(directory: folder, access: .readOnly)
        #expect(try store.count("SELECT COUNT(*) FROM events WHERE case_id = '\(ada)'") > 0)
    }

    @Test func givenTheOldFolderTheRestoreDisposesOfItAgainUnderTheSameCertificate() async throws {
        let (old, backup, ada, bo) = try await oldStoreAndBackup()
        let folder = temporaryDirectory() + "/restored"
        let restored = try StoreRestore.restore(from: backup, into: folder, identity: nil, disposalsFrom: old)
        let again = try #require(restored.disposedAgain)
        #expect(again.disposed.map(\.caseID) == [ada])
        #expect(again.stillOpen.isEmpty)
        #expect(again.mismatched.isEmpty)
        #expect(again.recorded.isEmpty)
        #expect(again.alreadyCertified == 0)
        #expect(restored.contents.cases == 2, "Grace and Bo; Dot came after the backup")

        let store = try CaseStore(directory: folder, access: .readOnly)
        let oldStore = try CaseStore(directory: old, access: .readOnly)
        let certified = try await oldStore.pool.read { db in try DisposalCertificate.all(in: db) }
        let copied = try await store.pool.read { db in try DisposalCertificate.all(in: db) }
        #expect(copied == certified, "the same certificate: who, when, under which rule, the rows removed")
        for table in ["events", "timers", "tasks", "idempotency", "access_log_cases", "reviews_done"] {
            #expect(try store.count("SELECT COUNT(*) FROM \(table) WHERE case_id = '\(ada)'") == 0, "\(table)")
        }
        #expect(try store.count("SELECT COUNT(*) FROM events WHERE case_id = '\(bo)'") > 0, "Bo was not disposed of")
        #expect(try await store.cases(matching: CaseFilter(query: "Lovelace")).cases.isEmpty)
        #expect(try await store.cases(matching: CaseFilter(query: "Brummell")).cases.count == 1)
        let bytes = try storeBytes(store)
        for trace in ["Ada Lovelace", "Lovelace", "943 476 5919"] {
            #expect(bytes.range(of: Data(trace.utf8)) == nil, "\(trace) is still in the restored files")
        }
        let verify = try store.verify()
        #expect(verify.isClean, "\(verify.differences)")
    }

    @Test func aCaseTheCopyHoldsOpenIsLeftAndNamed() async throws {
        let (old, _, ada, _) = try await oldStoreAndBackup()
        // A copy from before Ada's case closed: her contact alone.
        let early = temporaryDirectory()
        let backup = temporaryDirectory() + "/early.sqlite"
        try await withEngine(try CaseStore(directory: early), policy: try shippedPolicy()) { engine in
            try await engine.send(nil, "contact", DisposalTests.grace, at: start)
            try await engine.send(nil, "contact", DisposalTests.ada, at: start)
        }
        _ = try StoreBackup.take(of: early, to: backup)
        let folder = temporaryDirectory() + "/restored"
        let restored = try StoreRestore.restore(from: backup, into: folder, identity: nil, disposalsFrom: old)
        #expect(restored.disposedAgain?.stillOpen == [ada])
        #expect(restored.disposedAgain?.disposed.isEmpty == true)
        let store = try CaseStore(directory: folder, access: .readOnly)
        #expect(try store.count("SELECT COUNT(*) FROM cases WHERE id = '\(ada)'") == 1)
    }

    @Test func anOldFolderThatHoldsNoStoreStopsTheRestoreBeforeItStarts() async throws {
        let (_, backup, _, _) = try await oldStoreAndBackup()
        let folder = temporaryDirectory() + "/restored"
        let error = #expect(throws: StoreError.self) {
            try StoreRestore.restore(from: backup, into: folder, identity: nil, disposalsFrom: temporaryDirectory())
        }
        #expect(error?.message.contains("to read disposal certificates from") == true, "\(error?.message ?? "")")
        #expect(!FileManager.default.fileExists(atPath: folder + "/" + CaseStore.fileName))
    }

    /// A case opened after the backup and disposed of before the restore: the copy never held it, but its
    /// certificate is kept, and its number is not given to a new case.
    @Test func theCertificateOfACaseTheCopyNeverHeldIsKeptAndItsNumberNotGivenAgain() async throws {
        let (old, backup, _, _) = try await oldStoreAndBackup()
        let policy = try shippedPolicy()
        let oldStore = try CaseStore(directory: old)
        let late = try await withEngine(oldStore, policy: policy) { engine in
            let late = try await engine.wholeLife(
                ["name": "Eve Late", "clientType": "adult", "route": "gp"], key: "eve", from: start)
            let plan = try await oldStore.planDisposal(
                asOf: DisposalTests.asOf, under: try #require(policy.retention), policy: policy.id)
            let report = try await engine.dispose(
                DisposalPlan(
                    asOf: plan.asOf, policy: plan.policy, examined: plan.examined,
                    due: plan.due.filter { $0.review.caseID == late.id }),
                by: "records.officer", at: DisposalTests.asOf)
            #expect(report.count(.disposed) == 1)
            return late.id
        }
        let folder = temporaryDirectory() + "/restored"
        let restored = try StoreRestore.restore(from: backup, into: folder, identity: nil, disposalsFrom: old)
        #expect(restored.disposedAgain?.recorded.map(\.caseID) == [late])
        #expect(restored.disposedAgain?.disposed.count == 1, "Ada, as before")
        let store = try CaseStore(directory: folder)
        let number = try #require(restored.disposedAgain?.recorded.first?.caseNumber)
        let next = try await withEngine(store, policy: policy) { engine in
            try #require(try await engine.send(nil, "contact", DisposalTests.grace, at: DisposalTests.asOf)).state.id
        }
        #expect(next.rawValue == "C-\(number + 1)", "the next case takes the number after the certified one")
    }

    /// A certificate names its case by number and id and says when it opened; a case here under that number that
    /// opened at another time is another person's (numbers are given again after a restore): it stays.
    @Test func aCaseOpenedAtAnotherTimeUnderTheCertifiedNumberIsLeftAndNamed() async throws {
        let (old, backup, ada, _) = try await oldStoreAndBackup()
        let folder = temporaryDirectory() + "/restored"
        _ = try StoreRestore.restore(from: backup, into: folder, identity: nil)
        var certificate = try #require(try DisposalCertificate.all(inStoreAt: old).first { $0.caseID == ada })
        certificate.openedAt = certificate.openedAt?.addingTimeInterval(86_400)
        let store = try CaseStore(directory: folder)
        let again = try store.disposeAgain(asCertifiedIn: [certificate])
        #expect(again.mismatched == [ada])
        #expect(again.disposed.isEmpty)
        #expect(try store.count("SELECT COUNT(*) FROM events WHERE case_id = '\(ada)'") > 0, "the case stays")
        #expect(try store.count("SELECT COUNT(*) FROM disposal_certificates") == 0)
    }

    /// The old folder is read for its certificates alone: a store an older version last ran on (the service was
    /// upgraded before the restore) is read, not refused, and nothing in it is started or migrated.
    @Test func anOldFolderOnAnOlderSchemaIsReadForItsCertificates() async throws {
        let (old, backup, ada, _) = try await oldStoreAndBackup()
        let queue = try DatabaseQueue(path: old + "/" + CaseStore.fileName)
        // One migration taken back: to this version, a store that still needs it.
        let undone = try await queue.write { db in
            let undone = try String.fetchOne(db, sql: "SELECT MAX(identifier) FROM grdb_migrations")
            try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = ?", arguments: [undone])
            return undone
        }
        try queue.close()
        #expect(throws: StoreError.self, "a store CaseStore refuses as not this version's") {
            try CaseStore(directory: old, access: .readOnly)
        }
        let folder = temporaryDirectory() + "/restored"
        let restored = try StoreRestore.restore(from: backup, into: folder, identity: nil, disposalsFrom: old)
        #expect(restored.disposedAgain?.disposed.map(\.caseID) == [ada])
        let after = try DatabaseQueue(path: old + "/" + CaseStore.fileName)
        let migrated = try await after.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM grdb_migrations WHERE identifier = ?", arguments: [undone])
        }
        #expect(migrated == 0, "the old folder was read, not migrated")
    }
}
