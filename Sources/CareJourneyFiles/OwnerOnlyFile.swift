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
        permissions(path) & (S_IWGRP | S_IWOTH) != 0
    }

    /// Reads a file that holds a secret (a CURVE secret key), refusing it when its group or others may read or
    /// change it.
    ///
    /// - Parameters:
    ///   - what: the file, for messages ("CURVE key file").
    ///   - secret: what a reader would learn, for the refusal ("the broker's secret key").
    ///   - hint: how to make the file, when it cannot be read.
    /// - Throws: `FileError`: `unreadable`, or `insecure` with the `chmod` that fixes it.
    public static func readSecret(_ path: String, what: String, secret: String, hint: String) throws(FileError)
        -> String
    {
        let text = try FileError.text(of: path, what: what, hint: hint)
        guard permissions(path) & (S_IRGRP | S_IROTH | S_IWGRP | S_IWOTH) == 0 else {
            throw FileError(
                .insecure, "others may read or change this \(what), and with it \(secret)", file: path,
                hint: "make it readable by its owner only: chmod 600 \(path)")
        }
        return text
    }

    /// The file's permission bits (0 when it cannot be examined).
    private static func permissions(_ path: String) -> mode_t {
        var status = stat()
        return stat(path, &status) == 0 ? status.st_mode : 0
    }

    private static func failure(_ path: String, cause: String) -> FileError {
        FileError(
            .unwritable, "cannot write the file", file: path,
            hint: "check that the folder exists and that you may write to it", cause: cause)
    }
}
