import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Restores a backup (`StoreBackup`) into a data folder of its own, checks it, and says what it holds.
///
/// ```swift
/// let restored = try StoreRestore.restore(
///     from: "cj-20260501T1000Z.sqlite.age", into: "/var/lib/carejourney-restored", identity: keyFileText)
/// print(restored.contents)   // then: carejourney serve --data-dir /var/lib/carejourney-restored
/// ```
///
/// A restore never overwrites a store. The folder must be new, or empty but for what a stopped service or an
/// interrupted restore leaves in an empty folder (its lock file, a `.restore-…` staging folder); a folder that
/// holds anything else is refused, saying whether a running process holds its lock. The restore holds the folder's
/// lock throughout, so no service can start on it halfway. The backup is decrypted (or copied) into a private
/// staging folder (0700) inside it, migrated if an older version took it (as `serve` would on start), checked
/// (SQLite's integrity check, then every case replayed) and only then moved into place, so the folder holds either
/// no store or a checked one. The folder is 0700 and every file in it 0600.
public enum StoreRestore {
    /// What a restore put in place.
    public struct Report: Sendable {
        /// The data folder now holding the store.
        public var directory: String
        /// What it holds.
        public var contents: StoreContents
        /// How long the checks took, in seconds.
        public var checkSeconds: Double
        /// The disposals made again from the old store's certificates, when one was given.
        public var disposedAgain: DisposedAgain?
    }

    /// Restores the backup at `file` into `directory`.
    ///
    /// - Parameters:
    ///   - identity: the text of the age key file the backup was encrypted to; needed for an encrypted backup, and
    ///     handed to age through a pipe.
    ///   - disposalsFrom: the data folder the backup stands in for (the old one, moved aside), if it can still be
    ///     read: the cases it disposed of after the backup was taken are disposed of again in the restored store,
    ///     before it is put in place, each under its certificate (`CaseStore.disposeAgain(asCertifiedIn:)`).
    ///   - progress: told each step as it starts, and the cases checked as the check goes.
    /// - Throws: `StoreError`: `refused` when the folder holds a store or other files; `encryption` when the backup
    ///   is encrypted and no identity, or the wrong one, is given, or age is missing; `corrupt` when the file is not
    ///   a backup or fails its checks (nothing is put in place then); `unavailable` when another process holds the
    ///   folder's lock or the folder is open to others; `io` when a file cannot be written (a full disk said as one).
    public static func restore(
        from file: String, into directory: String, identity: String?, disposalsFrom: String? = nil,
        progress: (@Sendable (CopyStep) -> Void)? = nil
    ) throws(StoreError) -> Report {
        // The old store's certificates are read first: a folder that holds none stops the restore before it starts.
        let certified = try disposalsFrom.map { folder throws(StoreError) in
            try DisposalCertificate.all(inStoreAt: folder)
        }
        let encrypted = try isEncrypted(file)
        let age: AgeTool?
        switch (encrypted, identity) {
        case (true, nil):
            throw StoreError(
                .encryption,
                "\(file) is encrypted with age: pass --identity KEYFILE, the private key whose public key the backups "
                    + "are encrypted to")
        case (true, .some): age = try AgeTool()
        case (false, _): age = nil
        }
        let lock = try claim(directory, by: "a restore")
        let staging = try PrivateFolder(in: directory, prefix: stagingPrefix)
        defer { staging.remove() }
        let staged = try NewFile(staging.file(CaseStore.fileName), disk: directory)
        progress?(.copying)
        if let age, let identity {
            try age.decrypt(file, identity: identity, into: staged)
        } else {
            try staged.copy(from: file)
        }
        try staged.commit()

        let checking = ContinuousClock.now
        var contents: StoreContents
        let store: CaseStore
        do {
            store = try CaseStore(directory: staging.path)
            contents = try store.checkCopy(progress: progress)
        } catch {
            throw StoreError(
                .corrupt,
                "\(file) does not hold a store that passes its checks, so nothing was restored into \(directory); "
                    + "restore an earlier backup", reported: error.description)
        }
        let checked = ContinuousClock.now - checking
        var disposedAgain: DisposedAgain?
        if let certified {
            disposedAgain = try store.disposeAgain(asCertifiedIn: certified)
            contents = try store.contents()
        }
        try store.close()

        progress?(.writing)
        let target = URL(fileURLWithPath: directory).appendingPathComponent(CaseStore.fileName).path
        guard rename(staged.path, target) == 0 else { throw StoreError.file("create", target, errno: errno) }
        NewFile.flush(folder: directory)
        withExtendedLifetime(lock) {}
        return Report(
            directory: directory, contents: contents, checkSeconds: checked.inSeconds, disposedAgain: disposedAgain)
    }

    /// The staging folder's prefix: an interrupted restore or copy leaves one behind, which the next removes.
    static let stagingPrefix = ".restore-"

    /// Takes `directory` for a new store that `what` ("a restore", "a copy") stages inside it: refuses a folder that
    /// holds a store or other files (again once its lock is held, so that nothing started on it meanwhile), makes new
    /// files owner-only, and removes the staging folders an interrupted restore or copy left — a half-written store
    /// full of personal data that nothing else would ever remove.
    ///
    /// - Returns: the folder's lock, to hold until the store is in place.
    static func claim(_ directory: String, by what: String) throws(StoreError) -> DataDirectoryLock {
        try refuseOccupied(directory, by: what)
        let lock = try DataDirectoryLock(directory: directory)
        try refuseOccupied(directory, by: what)
        DataDirectory.restrictNewFiles()
        for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        where name.hasPrefix(stagingPrefix) {
            try? FileManager.default.removeItem(
                atPath: URL(fileURLWithPath: directory).appendingPathComponent(name).path)
        }
        return lock
    }

    /// Whether `file` is an age-encrypted backup (binary or armoured) rather than a SQLite one.
    ///
    /// - Throws: `StoreError.corrupt` when it is neither; `StoreError.unavailable` when it cannot be read.
    static func isEncrypted(_ file: String) throws(StoreError) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: file) else {
            throw StoreError(
                .unavailable, "cannot read the backup \(file): check the path, and that this user may read it")
        }
        let start = (try? handle.read(upToCount: 34)) ?? Data()
        try? handle.close()
        if start.starts(with: Data("age-encryption.org/v1\n".utf8))
            || start.starts(with: Data("-----BEGIN AGE ENCRYPTED FILE-----".utf8))
        {
            return true
        }
        if start.starts(with: Data("SQLite format 3\0".utf8)) { return false }
        throw StoreError(
            .corrupt, "\(file) is not a CareJourney backup: neither a SQLite store nor a file encrypted with age")
    }

    /// Refuses a folder that holds anything but a lock file and staging folders, for `what` ("a restore", "a
    /// copy") that goes into a new or empty folder.
    private static func refuseOccupied(_ directory: String, by what: String) throws(StoreError) {
        // A missing folder is made by the lock; a file where the folder should be is refused by it.
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return }
        let others = names.filter { $0 != DataDirectoryLock.fileName && !$0.hasPrefix(stagingPrefix) }.sorted()
        guard !others.isEmpty else { return }
        if others.contains(where: { $0.hasPrefix(CaseStore.fileName) }) {
            let running =
                DataDirectoryLock.isHeld(directory: directory)
                ? ", and a running carejourney process (the service?) holds its lock" : ""
            throw StoreError(
                .refused,
                "\(directory) already holds a store\(running); \(what) never overwrites one. Give a new folder and "
                    + "start the service on that; or stop the service, move this folder aside (`mv \(directory) "
                    + "\(directory).replaced`), and give \(directory) again")
        }
        throw StoreError(
            .refused,
            "\(directory) is not empty (it holds \(others.prefix(5).joined(separator: ", "))"
                + "\(others.count > 5 ? ", …" : "")): \(what) goes into a new or empty folder; give another one")
    }
}
