import CareJourneyCore
import Foundation
import GRDB
import Testing
import CareJourneyTestSupport

@testable import CareJourneyStore

#if canImport(Glibc)
    import Glibc
#endif

/// The data folder holds people's records: owner-only whatever the umask, refused when others may read it; and
/// the commands that only read it never change it.
@Suite(.serialized) struct DataDirectoryTests {
    func mode(_ path: String) -> mode_t {
        var status = stat()
        _ = stat(path, &status)
        return status.st_mode & 0o777
    }

    @Test func aNewDataFolderIsOwnerOnlyAndSoIsEveryFileInItWhateverTheUmask() async throws {
        let folder = temporaryPath("data")
        let before = umask(0o022)
        defer { umask(before) }
        let lock = try DataDirectoryLock(directory: folder)
        try await withEngine(try CaseStore(directory: folder), policy: try shippedPolicy()) { engine in
            _ = try await engine.apply(
                Command(
                    caseID: nil, event: try event("contact", ["name": "Ada", "clientType": "adult", "route": "gp"]),
                    actor: "sw.test", at: start))
        }
        #expect(mode(folder) == 0o700)
        let files = try FileManager.default.contentsOfDirectory(atPath: folder)
        #expect(files.contains("carejourney.sqlite") && files.contains("carejourney.lock"))
        for file in files {
            #expect(mode(folder + "/" + file) == 0o600, "\(file)")
        }
        withExtendedLifetime(lock) {}
    }

    @Test func aFolderOthersCanReadIsRefusedNamingTheFix() throws {
        let folder = temporaryDirectory()
        chmod(folder, 0o755)
        let error = #expect(throws: StoreError.self) { try CaseStore(directory: folder) }
        #expect(error?.code == .unavailable)
        #expect(error?.message.contains("may be read or written by its group and every user (mode 755)") == true)
        #expect(error?.message.hasSuffix("run `chmod 700 \(folder)` and start again") == true)
        #expect(throws: StoreError.self) { try CaseStore(directory: folder, access: .readOnly) }
        #expect(throws: StoreError.self) { try DataDirectoryLock(directory: folder) }
        chmod(folder, 0o700)
        _ = try CaseStore(directory: folder)
    }

    @Test func filesLeftReadableInAnOwnerOnlyFolderAreMadeOwnerOnly() throws {
        let folder = temporaryDirectory()
        let export = folder + "/cld.csv"
        _ = FileManager.default.createFile(
            atPath: export, contents: Data("x".utf8), attributes: [.posixPermissions: 0o644])
        _ = try CaseStore(directory: folder)
        #expect(mode(export) == 0o600)
    }

    @Test func readingNeitherCreatesMigratesNorWrites() throws {
        let folder = temporaryDirectory()
        let missing = folder + "/none"
        let nothing = #expect(throws: StoreError.self) { try CaseStore(directory: missing, access: .readOnly) }
        #expect(nothing?.message.hasPrefix("there is no store in \(missing)") == true)
        #expect(!FileManager.default.fileExists(atPath: missing))

        // A store an older version wrote (schema v9): read-only refuses it; the service migrates it.
        let older = folder + "/older"
        try DataDirectory.prepare(older)
        do {
            let pool = try DatabasePool(path: older + "/carejourney.sqlite")
            try StoreSchema.migrator.migrate(pool, upTo: "v9: reviews done")
        }
        let refused = #expect(throws: StoreError.self) { try CaseStore(directory: older, access: .readOnly) }
        #expect(
            refused?.message.contains("has schema v9, and this CareJourney reads schema \(StoreSchema.version)")
                == true)
        #expect(refused?.message.contains("never migrates it") == true)
        _ = try CaseStore(directory: older)
        let current = try CaseStore(directory: older, access: .readOnly)
        #expect(throws: StoreError.self) { try current.setMeta("x", "y") }
    }

    @Test func aStoreFromANewerVersionIsRefusedNamingBothVersions() throws {
        let folder = temporaryDirectory()
        do {
            let store = try CaseStore(directory: folder)
            try store.pool.write { db in
                try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99: from the future')")
            }
        }
        for access in [CaseStore.Access.readWrite, .readOnly] {
            let error = #expect(throws: StoreError.self) { try CaseStore(directory: folder, access: access) }
            #expect(
                error?.message.contains(
                    "was written by a newer CareJourney (schema v99); this one knows schema \(StoreSchema.version)")
                    == true)
        }
    }
}
