import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Files that hold secrets or say who may do what (CURVE keys, sign-in tokens): written readable and writable by
/// their owner only from the moment they exist, and replaced whole, so a reader sees the old file or the new one.
public enum OwnerOnlyFile {
    /// Writes `text` to `path` with permissions 0600, through a new file in the same folder renamed over it.
    ///
    /// - Throws: `FileError` (`unwritable`) naming the path when the folder cannot be written.
    public static func write(_ text: String, to path: String) throws(FileError) {
        let temporary = "\(path).\(ProcessInfo.processInfo.processIdentifier).new"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else { throw failure(path, cause: String(cString: strerror(errno))) }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        do {
            try handle.write(contentsOf: Data(text.utf8))
            try handle.synchronize()
            try handle.close()
        } catch {
            unlink(temporary)
            throw failure(path, cause: String(describing: error))
        }
        guard rename(temporary, path) == 0 else {
            let cause = String(cString: strerror(errno))
            unlink(temporary)
            throw failure(path, cause: cause)
        }
    }

    /// Whether anyone but the owner may change the file at `path` (its group or others may write to it).
    public static func isWritableByOthers(_ path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0 && status.st_mode & (S_IWGRP | S_IWOTH) != 0
    }

    private static func failure(_ path: String, cause: String) -> FileError {
        FileError(
            .unwritable, "cannot write the file", file: path,
            hint: "check that the folder exists and that you may write to it", cause: cause)
    }
}
