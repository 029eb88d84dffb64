import Foundation
import GRDB

#if canImport(Glibc)
    import Glibc
#endif

extension StoreError {
    /// A file could not be written or made, in words that say what to do: a full disk, a missing folder, a
    /// folder this user may not write in.
    ///
    /// - Parameters:
    ///   - action: what could not be done to the file, as in "cannot \(action) PATH": `write`, `create`.
    ///   - path: the file.
    ///   - error: the `errno` value.
    ///   - reported: what reported it, when not the system call itself (age's message, SQLite's).
    ///   - disk: the folder to name for a full disk, when not the file's own (a data folder, rather than the
    ///     private folder inside it that is gone by the time the message is read).
    static func file(
        _ action: String, _ path: String, errno error: Int32, reported cause: String? = nil, disk: String? = nil
    ) -> StoreError {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        let reason = String(cString: strerror(error))
        let message: String
        switch error {
        case ENOSPC, EDQUOT:
            let disk = disk ?? folder
            message =
                "cannot \(action) \(path): the disk holding \(disk) is full (\(reason)); free space there (`df -h "
                + "\(disk)` shows it) or write to another disk, then run it again"
        case ENOENT:
            message =
                "cannot \(action) \(path): the folder \(folder) does not exist; create it (`mkdir -m 700 \(folder)`) "
                + "or give a path in another"
        case EACCES, EPERM, EROFS:
            message =
                "cannot \(action) \(path): this user may not write in \(folder) (\(reason)); run as the user that owns "
                + "it, or give a path in a folder that user may write to"
        default:
            message = "cannot \(action) \(path) (\(reason))"
        }
        return StoreError(.io, message, reported: cause)
    }

    /// SQLite could not write `path`: a full disk is said as one (`file(_:_:errno:reported:disk:)`), anything else
    /// as SQLite's error.
    static func sqlite(_ error: any Error, writing path: String, disk: String) -> StoreError {
        if let error = error as? DatabaseError, error.resultCode == .SQLITE_FULL {
            return file("write", path, errno: ENOSPC, reported: "SQLITE_FULL", disk: disk)
        }
        return StoreError(.io, "cannot write \(path)", cause: error)
    }
}
