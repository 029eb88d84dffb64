import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// An exclusive lock on a data folder, held by a running server, so that offline tools that rewrite cases
/// (`policy apply`) cannot run beside it. The operating system releases it when the process ends, even on a crash.
public final class DataDirectoryLock: Sendable {
    /// The lock file's name in the data folder.
    static let fileName = "carejourney.lock"
    private let descriptor: Int32

    /// Takes the lock (preparing the folder as `DataDirectory.prepare` does), or throws when another process holds
    /// it.
    public init(directory: String) throws(StoreError) {
        try DataDirectory.prepare(directory)
        let path = URL(fileURLWithPath: directory).appendingPathComponent(Self.fileName).path
        descriptor = open(path, O_CREAT | O_RDWR, DataDirectory.fileMode)
        guard descriptor >= 0 else {
            throw StoreError(.unavailable, "cannot open the lock file \(path) (errno \(errno))")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            throw StoreError(
                .unavailable, "another carejourney process (a running server?) is using \(directory); stop it first")
        }
    }

    /// Whether a process holds the lock on `directory` now (a running server), without taking it or creating anything.
    static func isHeld(directory: String) -> Bool {
        let descriptor = open(
            URL(fileURLWithPath: directory).appendingPathComponent(fileName).path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        return flock(descriptor, LOCK_SH | LOCK_NB) != 0 && errno == EWOULDBLOCK
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
