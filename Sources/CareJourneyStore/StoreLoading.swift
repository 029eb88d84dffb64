import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A new SQLite store that `store copy` fills, staged where `store restore` stages one: the data folder must be new
/// or empty, its lock is held throughout, the store is written in a private staging folder inside it, and only once
/// it is filled and checked is it moved into place. Until `finish` succeeds the folder holds no store; `abandon`
/// removes what was written (and the folder, when the copy made it).
///
/// ```swift
/// let loading = try StoreLoading(directory: "/var/lib/carejourney")
/// do { try loading.store.insert(rows, into: table); …; let contents = try loading.finish() }
/// catch { loading.abandon(); throw error }
/// ```
public final class StoreLoading {
    /// The staged store to fill (`CaseStore.insert(_:into:)`).
    public let store: CaseStore
    /// The data folder it goes into.
    public let directory: String
    private let lock: DataDirectoryLock
    private let staging: PrivateFolder
    private let madeFolder: Bool

    /// Stages a new store for `directory`.
    ///
    /// - Throws: `StoreError.refused` when the folder holds a store or other files; `.unavailable` when another
    ///   process holds its lock; `.io` when the staging folder cannot be made.
    public init(directory: String) throws(StoreError) {
        madeFolder = !FileManager.default.fileExists(atPath: directory)
        lock = try StoreRestore.claim(directory, by: "a copy")
        self.directory = directory
        staging = try PrivateFolder(in: directory, prefix: StoreRestore.stagingPrefix)
        do {
            store = try CaseStore(directory: staging.path)
        } catch {
            staging.remove()
            throw error
        }
    }

    /// Rebuilds the name search from the copied cases, checks the store (SQLite's integrity check, then every case
    /// replayed from its history: `store verify`), and moves it into place.
    ///
    /// - Returns: what the store holds.
    /// - Throws: `StoreError.corrupt` when the checks find a difference (nothing is moved into place then);
    ///   `.io` when the store cannot be closed or moved.
    public func finish(progress: (@Sendable (CopyStep) -> Void)? = nil) throws(StoreError) -> StoreContents {
        try store.rebuildNameSearch()
        let contents = try store.checkCopy(progress: progress)
        try store.close()
        progress?(.writing)
        let target = URL(fileURLWithPath: directory).appendingPathComponent(CaseStore.fileName).path
        guard rename(staging.file(CaseStore.fileName), target) == 0 else {
            throw StoreError.file("create", target, errno: errno)
        }
        NewFile.flush(folder: directory)
        staging.remove()
        withExtendedLifetime(lock) {}
        return contents
    }

    /// Removes the staged store, and the data folder when the copy made it: the folder is left as it was.
    public func abandon() {
        staging.remove()
        if madeFolder {
            try? FileManager.default.removeItem(atPath: directory)
        }
    }
}
