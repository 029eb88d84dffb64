import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The folder that holds a store: made owner-only (0700) when it is created, every file in it owner-only (0600)
/// whatever the process's umask, and refused when others may read or write it.
///
/// The store, its WAL and shared-memory files, the lock, exports and the reminders log all hold personal data
/// (names, NHS numbers, safeguarding notes): no other user on the machine may read them.
public enum DataDirectory {
    /// The permissions a data folder is created with and may have: the owner's alone.
    public static let folderMode: mode_t = 0o700
    /// The permissions every file in it gets.
    public static let fileMode: mode_t = 0o600

    /// Makes `path` ready to hold a store: creates it 0700 if it is missing, refuses it if others may read or
    /// write it, and takes group and other permissions away from every file already in it.
    ///
    /// - Throws: `StoreError.unavailable` naming the folder and the fix (`chmod 700 DIR`).
    public static func prepare(_ path: String) throws(StoreError) {
        var status = stat()
        if stat(path, &status) != 0 {
            guard errno == ENOENT else {
                throw StoreError(.unavailable, "cannot read the data folder \(path) (errno \(errno))")
            }
            do {
                try FileManager.default.createDirectory(
                    atPath: path, withIntermediateDirectories: true,
                    attributes: [.posixPermissions: Int(folderMode)])
            } catch {
                throw StoreError(.unavailable, "cannot create the data folder \(path)", cause: error)
            }
            // The umask may have taken bits away from the mode asked for, never added them; set it exactly.
            chmod(path, folderMode)
            return
        }
        try checkOwnerOnly(path, status: status)
        for file in (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [] {
            let full = URL(fileURLWithPath: path).appendingPathComponent(file).path
            var fileStatus = stat()
            guard lstat(full, &fileStatus) == 0, fileStatus.st_mode & S_IFMT == S_IFREG,
                fileStatus.st_mode & 0o077 != 0
            else { continue }
            chmod(full, fileStatus.st_mode & 0o700)
        }
    }

    /// Refuses an existing data folder that others may read, write or enter (for commands that only read it).
    public static func checkExisting(_ path: String) throws(StoreError) {
        var status = stat()
        guard stat(path, &status) == 0 else {
            throw StoreError(.unavailable, "cannot read the data folder \(path) (errno \(errno))")
        }
        try checkOwnerOnly(path, status: status)
    }

    /// Refuses a data folder that is not a folder, or that others may read, write or enter.
    static func checkOwnerOnly(_ path: String, status: stat) throws(StoreError) {
        guard status.st_mode & S_IFMT == S_IFDIR else {
            throw StoreError(.unavailable, "the data folder \(path) is not a folder")
        }
        let open = status.st_mode & 0o077
        guard open == 0 else {
            let who = [(0o070 as mode_t, "its group"), (0o007 as mode_t, "every user")].filter { open & $0.0 != 0 }
                .map(\.1).joined(separator: " and ")
            throw StoreError(
                .unavailable,
                "the data folder \(path) may be read or written by \(who) (mode \(String(status.st_mode & 0o777, radix: 8))); "
                    + "it holds people's records, so only its owner may: run `chmod 700 \(path)` and start again")
        }
    }

    /// Makes the files the store creates from now on owner-only, whatever the umask the process was started with
    /// (SQLite creates its WAL and shared-memory files with the database file's mode; exports and logs are new
    /// files). Called once by every command that writes into a data folder.
    public static func restrictNewFiles() {
        umask(0o077)
    }
}
