import CareJourneyCore
import Foundation
import GRDB
import Synchronization
import Testing
import CareJourneyTestSupport

@testable import CareJourneyStore

#if canImport(Glibc)
    import Glibc
#endif

/// Backups that restore: an online copy taken while the engine commits holds every command answered before it,
/// owner-only, checked, never overwriting a file; encrypted with age it reads only with its key; a restore goes only
/// into a new or empty folder, checks what it restores, and leaves nothing in place when the check fails.
@Suite(.serialized) struct BackupTests {
    func mode(_ path: String) -> mode_t {
        var status = stat()
        _ = stat(path, &status)
        return status.st_mode & 0o777
    }

    /// A data folder with a store of `cases` cases in delivery.
    func storeWithCases(_ cases: Int) async throws -> String {
        let folder = temporaryDirectory()
        try await withEngine(try CaseStore(directory: folder), policy: try shippedPolicy()) { engine in
            for _ in 0..<cases { _ = try await engine.caseInDelivery(at: start) }
        }
        return folder
    }

    @Test func aBackupTakenWhileTheEngineCommitsHoldsEveryCommandAnsweredBeforeItAndRestoresOwnerOnly() async throws {
        let folder = temporaryDirectory()
        let file = temporaryDirectory() + "/backup.sqlite"
        let answered = Answered()
        let (backup, answeredBefore) = try await withEngine(
            try CaseStore(directory: folder), policy: try shippedPolicy()
        ) { engine in
            let load = Task {
                while !Task.isCancelled {
                    let id = try await engine.caseInDelivery(at: start)
                    if let committed = try await engine.send(id, "reassign", ["team": "north"], at: start) {
                        answered.events.withLock { $0.append(committed) }
                    }
                }
            }
            // Waits of minutes, which return as soon as they hold: this runs in "the rest" of `scripts/test`, where the
            // computing tests hold the cooperative pool's two threads for minutes (CI once took 181 s to see five
            // commits here, and failed a 30 s bound).
            try #require(
                try await eventually(600, every: .milliseconds(20)) { answered.events.withLock { $0.count } >= 5 })
            let before = answered.events.withLock { $0 }
            let backup = try StoreBackup.take(of: folder, to: file)
            // The engine goes on committing: the backup took no lock its writer waits for.
            let after = answered.events.withLock { $0.count }
            let committedAfter = try await eventually(600, every: .milliseconds(20)) {
                answered.events.withLock { $0.count } > after
            }
            load.cancel()
            _ = try? await load.value
            #expect(committedAfter)
            return (backup, before)
        }
        #expect(mode(file) == 0o600)
        #expect(!FileManager.default.fileExists(atPath: file + ".partial"))
        let left = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasPrefix(".backup-") }
        #expect(left.isEmpty, "the plaintext copy's folder is removed")
        #expect(backup.bytes > 0 && backup.encryptedTo == nil)

        let restoredFolder = temporaryDirectory() + "/restored"
        let restored = try StoreRestore.restore(from: file, into: restoredFolder, identity: nil)
        #expect(restored.contents == backup.contents)
        #expect(mode(restoredFolder) == 0o700)
        for name in try FileManager.default.contentsOfDirectory(atPath: restoredFolder) {
            #expect(mode(restoredFolder + "/" + name) == 0o600, "\(name)")
        }
        let store = try CaseStore(directory: restoredFolder, access: .readOnly)
        #expect(try store.verify().isClean)
        for committed in answeredBefore {
            #expect(
                try store.count(
                    "SELECT COUNT(*) FROM events WHERE case_id = '\(committed.state.id)' AND version = \(committed.version) AND name = 'reassign'"
                ) == 1, "\(committed.state.id) v\(committed.version) was answered before the backup began")
        }
        // One consistent snapshot: every event up to the last one, and nothing after it.
        let last = try #require(backup.contents.lastEvent)
        #expect(try store.count("SELECT COUNT(*) FROM events WHERE seq <= \(last.seq)") == backup.contents.events)
        #expect(try store.count("SELECT COUNT(*) FROM events WHERE seq > \(last.seq)") == 0)
    }

    @Test func aBackupNeverOverwritesAFile() async throws {
        let folder = try await storeWithCases(1)
        let file = temporaryDirectory() + "/backup.sqlite"
        _ = FileManager.default.createFile(atPath: file, contents: Data("yesterday's".utf8))
        let exists = #expect(throws: StoreError.self) { try StoreBackup.take(of: folder, to: file) }
        #expect(exists?.code == .refused)
        #expect(exists?.message.hasPrefix("\(file) already exists, and a backup never overwrites one") == true)
        #expect(try String(contentsOfFile: file, encoding: .utf8) == "yesterday's")

        let next = file + ".next"
        _ = FileManager.default.createFile(atPath: next + ".partial", contents: Data())
        let interrupted = #expect(throws: StoreError.self) { try StoreBackup.take(of: folder, to: next) }
        #expect(interrupted?.message.contains("another backup is writing it, or one was interrupted") == true)
        #expect(!FileManager.default.fileExists(atPath: next))

        let nowhere = temporaryDirectory() + "/no-such-folder/backup.sqlite"
        let missing = #expect(throws: StoreError.self) { try StoreBackup.take(of: folder, to: nowhere) }
        #expect(missing?.code == .io)
        #expect(missing?.message.contains("the folder \(temporaryParent(nowhere)) does not exist") == true)
    }

    @Test func aCopyThatFailsItsChecksIsNotWritten() async throws {
        let folder = try await storeWithCases(2)
        try CaseStore(directory: folder).execute("UPDATE cases SET stage = 'closed' WHERE id = 'C-1'")
        let file = temporaryDirectory() + "/backup.sqlite"
        let error = #expect(throws: StoreError.self) { try StoreBackup.take(of: folder, to: file) }
        #expect(error?.code == .corrupt)
        #expect(error?.message.contains("failed its checks, so no backup was written") == true)
        #expect(error?.cause?.contains("case C-1: projection columns") == true)
        #expect(!FileManager.default.fileExists(atPath: file))
        #expect(!FileManager.default.fileExists(atPath: file + ".partial"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).allSatisfy { !$0.hasPrefix(".backup-") })
    }

    @Test func aRestoreGoesOnlyIntoANewOrEmptyFolder() async throws {
        let live = try await storeWithCases(1)
        let file = temporaryDirectory() + "/backup.sqlite"
        _ = try StoreBackup.take(of: live, to: file)

        // A folder holding a store, and one a running process holds the lock of.
        let holds = #expect(throws: StoreError.self) {
            try StoreRestore.restore(from: file, into: live, identity: nil)
        }
        #expect(holds?.code == .refused)
        #expect(holds?.message.hasPrefix("\(live) already holds a store; a restore never overwrites one") == true)
        let lock = try DataDirectoryLock(directory: live)
        let running = #expect(throws: StoreError.self) {
            try StoreRestore.restore(from: file, into: live, identity: nil)
        }
        #expect(
            running?.message.contains(
                "already holds a store, and a running carejourney process (the service?) holds its lock")
                == true)
        withExtendedLifetime(lock) {}

        // A folder with other files in it.
        let other = temporaryDirectory()
        _ = FileManager.default.createFile(atPath: other + "/notes.txt", contents: Data())
        let notEmpty = #expect(throws: StoreError.self) {
            try StoreRestore.restore(from: file, into: other, identity: nil)
        }
        #expect(notEmpty?.message.hasPrefix("\(other) is not empty (it holds notes.txt)") == true)
        #expect(!FileManager.default.fileExists(atPath: other + "/carejourney.lock"), "a refused folder is not touched")

        // An empty folder but for a stopped service's lock file and an interrupted restore's staging folder.
        let empty = temporaryDirectory()
        _ = FileManager.default.createFile(atPath: empty + "/carejourney.lock", contents: Data())
        try FileManager.default.createDirectory(atPath: empty + "/.restore-abc123", withIntermediateDirectories: false)
        let restored = try StoreRestore.restore(from: file, into: empty, identity: nil)
        #expect(restored.contents.cases == 1)
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: empty).sorted() == [
                "carejourney.lock", "carejourney.sqlite",
            ])
    }

    @Test func aDamagedBackupRestoresNothing() async throws {
        let live = try await storeWithCases(3)
        let file = temporaryDirectory() + "/backup.sqlite"
        _ = try StoreBackup.take(of: live, to: file)
        // Overwrite the middle of the file: pages of the history.
        let handle = try #require(FileHandle(forUpdatingAtPath: file))
        let size = try handle.seekToEnd()
        try handle.seek(toOffset: size / 2)
        try handle.write(contentsOf: Data(repeating: 0x5A, count: 8192))
        try handle.close()

        let target = temporaryDirectory() + "/restored"
        let error = #expect(throws: StoreError.self) {
            try StoreRestore.restore(from: file, into: target, identity: nil)
        }
        #expect(error?.code == .corrupt)
        #expect(
            error?.message.hasPrefix("\(file) does not hold a store that passes its checks, so nothing was restored")
                == true)
        #expect(try FileManager.default.contentsOfDirectory(atPath: target) == ["carejourney.lock"])

        let notABackup = temporaryDirectory() + "/notes.txt"
        _ = FileManager.default.createFile(atPath: notABackup, contents: Data("dear diary".utf8))
        let neither = #expect(throws: StoreError.self) {
            try StoreRestore.restore(from: notABackup, into: target, identity: nil)
        }
        #expect(
            neither?.message
                == "\(notABackup) is not a CareJourney backup: neither a SQLite store nor a file encrypted with age")
    }

    @Test func aBackupAnOlderVersionTookIsMigratedAsItIsRestored() throws {
        let older = temporaryDirectory()
        do {
            let pool = try DatabasePool(path: older + "/carejourney.sqlite")
            try StoreSchema.migrator.migrate(pool, upTo: "v9: reviews done")
        }
        let restored = temporaryDirectory() + "/restored"
        _ = try StoreRestore.restore(from: older + "/carejourney.sqlite", into: restored, identity: nil)
        _ = try CaseStore(directory: restored, access: .readOnly)  // read-only opens only the current schema
    }

    @Test func anEncryptedBackupHoldsNothingReadableAndRestoresOnlyWithItsKey() async throws {
        let live = temporaryDirectory()
        _ = try await withEngine(try CaseStore(directory: live), policy: try shippedPolicy()) { engine in
            try await engine.send(
                nil, "contact", ["name": "Philippa Quarrington", "clientType": "adult", "route": "gp"], at: start)
        }
        let keys = temporaryDirectory()
        let publicKey = try ageKey(keys + "/key.txt")
        let file = keys + "/backup.sqlite.age"
        let backup = try StoreBackup.take(of: live, to: file, encryptTo: AgeRecipient(publicKey))
        #expect(backup.encryptedTo == .key(publicKey))
        #expect(mode(file) == 0o600)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: file))
        #expect(bytes.starts(with: Data("age-encryption.org/v1\n".utf8)))
        #expect(bytes.range(of: Data("Quarrington".utf8)) == nil)
        #expect(bytes.range(of: Data("SQLite format 3".utf8)) == nil)

        let target = temporaryDirectory() + "/restored"
        let noKey = #expect(throws: StoreError.self) {
            try StoreRestore.restore(from: file, into: target, identity: nil)
        }
        #expect(noKey?.code == .encryption)
        #expect(noKey?.message.contains("is encrypted with age: pass --identity KEYFILE") == true)
        _ = try ageKey(keys + "/other.txt")
        let wrongKey = #expect(throws: StoreError.self) {
            try StoreRestore.restore(
                from: file, into: target, identity: try String(contentsOfFile: keys + "/other.txt", encoding: .utf8))
        }
        #expect(wrongKey?.message.contains("the key given is not one it was encrypted to") == true)
        #expect(!FileManager.default.fileExists(atPath: target + "/carejourney.sqlite"))

        let restored = try StoreRestore.restore(
            from: file, into: target, identity: try String(contentsOfFile: keys + "/key.txt", encoding: .utf8))
        #expect(restored.contents == backup.contents)
        #expect(
            try CaseStore(directory: target, access: .readOnly).count(
                "SELECT COUNT(*) FROM cases WHERE name = 'Philippa Quarrington'") == 1)

        // A recipients file works as a key does; a mistyped key is refused before anything is copied.
        let recipients = keys + "/recipients.txt"
        try "# the council's backup key\n\(publicKey)\n".write(toFile: recipients, atomically: true, encoding: .utf8)
        _ = try StoreBackup.take(of: live, to: keys + "/second.sqlite.age", encryptTo: AgeRecipient(recipients))
        let mistyped = #expect(throws: StoreError.self) {
            try StoreBackup.take(of: live, to: keys + "/third.sqlite.age", encryptTo: AgeRecipient("age1qqqq"))
        }
        #expect(mistyped?.code == .encryption)
        #expect(mistyped?.message.hasPrefix("age refuses the recipient age1qqqq: give an age public key") == true)
        #expect(mistyped?.cause?.contains("malformed recipient") == true)
        #expect(!FileManager.default.fileExists(atPath: keys + "/third.sqlite.age.partial"))
    }

    @Test func withoutAgeEncryptionSaysHowToInstallIt() {
        let error = #expect(throws: StoreError.self) { try AgeTool(searchPath: "/nonexistent") }
        #expect(error?.code == .encryption)
        #expect(error?.message.contains("install it with `apt-get install age`") == true)
    }

    /// Makes an age key file at `path` with `age-keygen`; returns its public key.
    func ageKey(_ path: String) throws -> String {
        let keygen = Process()
        keygen.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        keygen.arguments = ["age-keygen", "-o", path]
        keygen.standardError = FileHandle.nullDevice
        try keygen.run()
        keygen.waitUntilExit()
        try #require(keygen.terminationStatus == 0, "age-keygen failed: install age (scripts/setup test)")
        let text = try String(contentsOfFile: path, encoding: .utf8)
        return try #require(text.split(separator: "\n").first { $0.hasPrefix("# public key: ") }).dropFirst(14)
            .description
    }

    /// What a progress line shows: the copy, then the cases of the copy checked up to all of them, then the last step.
    @Test func aBackupAndARestoreTellTheirStepsInOrder() async throws {
        let live = try await storeWithCases(3)
        let file = temporaryDirectory() + "/backup.sqlite"
        let steps = CopySteps()
        _ = try StoreBackup.take(of: live, to: file) { step in steps.seen.withLock { $0.append(step) } }
        #expect(steps.seen.withLock { $0 }.first == .copying)
        #expect(steps.seen.withLock { $0 }.last == .writing)
        #expect(steps.seen.withLock { $0 }.dropLast().last == .checking(done: 3, total: 3))
        steps.seen.withLock { $0 = [] }
        _ = try StoreRestore.restore(from: file, into: temporaryDirectory() + "/restored", identity: nil) { step in
            steps.seen.withLock { $0.append(step) }
        }
        let restored = steps.seen.withLock { $0 }
        #expect(restored.first == .copying && restored.last == .writing)
        #expect(restored.dropLast().last == .checking(done: 3, total: 3))
    }

    func temporaryParent(_ path: String) -> String {
        URL(fileURLWithPath: path).deletingLastPathComponent().path
    }
}

/// The steps a backup or a restore told, in order.
final class CopySteps: Sendable {
    let seen = Mutex<[CopyStep]>([])
}

/// The events a load's commands committed, as they are answered.
final class Answered: Sendable {
    let events = Mutex<[CommittedEvent]>([])
}
