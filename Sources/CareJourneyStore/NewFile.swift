import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A file that is written whole or not at all and is owner-only (0600) from the moment it exists: it is filled as
/// `PATH.partial`, flushed to disk, then renamed to `PATH`, never replacing a file already there. Dropped before
/// `commit()`, the partial file is removed.
///
/// A backup is written this way, so a reader of the backup folder (or a copy job shipping it off the machine)
/// never sees half a backup, and no one else on the machine can read it even while it is being written.
final class NewFile {
    /// Where the file ends up.
    let path: String
    /// Where it is written first.
    let partial: String
    /// The open partial file.
    let handle: FileHandle
    /// The folder a full disk is named by.
    private let disk: String?
    private var committed = false

    /// Creates `PATH.partial`, refusing when `PATH` or `PATH.partial` exists.
    ///
    /// - Parameter disk: the folder to name if the disk fills, when not the file's own.
    /// - Throws: `StoreError.refused` for a file already there; `StoreError.io` when it cannot be created.
    init(_ path: String, disk: String? = nil) throws(StoreError) {
        self.path = path
        self.disk = disk
        partial = path + ".partial"
        guard access(path, F_OK) != 0 else {
            throw StoreError(
                .refused,
                "\(path) already exists, and a backup never overwrites one: give a new name (the backup unit puts "
                    + "the time in each)")
        }
        let descriptor = open(partial, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            guard errno != EEXIST else {
                throw StoreError(
                    .refused,
                    "\(partial) already exists: another backup is writing it, or one was interrupted; when none is "
                        + "running, remove it and run again")
            }
            throw StoreError.file("create", partial, errno: errno, disk: disk)
        }
        handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
    }

    deinit {
        if !committed { unlink(partial) }
    }

    /// Copies the file at `source` into it.
    ///
    /// - Throws: `StoreError.io` naming the file that could not be read or written (a full disk said as one).
    func copy(from source: String) throws(StoreError) {
        let input = open(source, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { throw StoreError(.io, "cannot read \(source) (\(String(cString: strerror(errno))))") }
        defer { close(input) }
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(input, $0.baseAddress, $0.count) }
            guard count >= 0 else {
                throw StoreError(.io, "cannot read \(source) (\(String(cString: strerror(errno))))")
            }
            if count == 0 { return }
            var written = 0
            while written < count {
                let done = buffer.withUnsafeBytes {
                    write(handle.fileDescriptor, $0.baseAddress! + written, count - written)
                }
                guard done > 0 else { throw StoreError.file("write", partial, errno: errno, disk: disk) }
                written += done
            }
        }
    }

    /// The error for a full disk under the file, as `reported` by the program that wrote it (age).
    func diskFull(reported: String) -> StoreError {
        StoreError.file("write", partial, errno: ENOSPC, reported: reported, disk: disk)
    }

    /// Flushes the file to disk and renames it to `path`, unless a file appeared there meanwhile; then flushes the
    /// folder, so that the name survives a power cut too.
    ///
    /// - Throws: `StoreError.refused` when `path` appeared meanwhile; `StoreError.io` when the disk refused.
    func commit() throws(StoreError) {
        guard fsync(handle.fileDescriptor) == 0 else {
            throw StoreError.file("write", partial, errno: errno, disk: disk)
        }
        // link() never replaces a file; a file system without hard links (FAT) gets a rename after a last check.
        if link(partial, path) == 0 {
            unlink(partial)
        } else if errno == EEXIST || access(path, F_OK) == 0 {
            throw StoreError(.refused, "\(path) appeared while the backup was written; it was left as it was")
        } else if rename(partial, path) != 0 {
            throw StoreError.file("create", path, errno: errno, disk: disk)
        }
        committed = true
        Self.flush(folder: URL(fileURLWithPath: path).deletingLastPathComponent().path)
    }

    /// Flushes a folder's entries to disk, so that a file just renamed into it keeps its name after a power cut.
    static func flush(folder: String) {
        let descriptor = open(folder, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        fsync(descriptor)
        close(descriptor)
    }
}
