import CareJourneyReports
import Foundation
import Synchronization

/// Where a CLD return and the full list of its incomplete rows go, written as the return is filled: a return of a
/// million rows is never held in memory. Each is written owner-only (the return holds NHS numbers and dates of birth)
/// to a `.partial` file, and only put in place — renamed over its path, or copied to standard output — when it is
/// kept: a reader never sees half a return, and a failure or a refusal leaves what was there before.
final class CLDReturnFiles: Sendable {
    /// One file being written: where it is going and where it is meanwhile.
    private struct Output {
        let handle: FileHandle
        let partial: String
        /// Nil for standard output.
        let path: String?
    }

    private struct State {
        var written: Output
        var incomplete: Output?
        /// The first write that failed (nothing more is written after it).
        var failure: String?
    }

    private let state: Mutex<State>

    /// Opens the partial files for a return going to `out` (standard output if nil) and, if asked, a CSV listing
    /// every missing field of every incomplete row at `incompleteOut`.
    ///
    /// - Throws: `ReportError` naming the file when a folder does not exist or cannot be written.
    init(out: String?, incompleteOut: String?) throws {
        let written = try Self.open(out)
        var incomplete: Output?
        if let incompleteOut {
            do {
                incomplete = try Self.open(incompleteOut)
            } catch {
                Self.discard(written)
                throw error
            }
        }
        try written.handle.write(contentsOf: Data(CLDReturn.header.utf8))
        try incomplete?.handle.write(contentsOf: Data(Self.incompleteHeader.utf8))
        state = Mutex(State(written: written, incomplete: incomplete))
    }

    /// The header of the incomplete list: one line per case and missing field.
    static let incompleteHeader = "Case,Event Reference,Field,Rule,How to fix\r\n"

    /// Writes what `cld` has gathered since the last call and drains it.
    func write(_ cld: inout CLDReturn) {
        let (rows, incomplete) = cld.drain()
        state.withLock { state in
            guard state.failure == nil else { return }
            do {
                var text = ""
                for row in rows { text += row + "\r\n" }
                try state.written.handle.write(contentsOf: Data(text.utf8))
                guard let list = state.incomplete else { return }
                text = ""
                for problem in incomplete.lazy.flatMap(\.problems) {
                    text += [
                        problem.caseID.rawValue, problem.reference, problem.column.rawValue, problem.rule,
                        problem.column.fix,
                    ].map(CLDReturn.quoted).joined(separator: ",") + "\r\n"
                }
                try list.handle.write(contentsOf: Data(text.utf8))
            } catch {
                state.failure = "\(error.localizedDescription)"
            }
        }
    }

    /// Writes what is left in `cld`, then throws the first write that failed, naming its file.
    func finish(_ cld: inout CLDReturn) throws(ReportError) {
        write(&cld)
        let failure = state.withLock { state in
            state.failure.map { "cannot write \(state.written.path ?? "the return"): \($0)" }
        }
        if let failure { throw ReportError(.invalidOption, failure) }
    }

    /// Puts the return in place (renamed over its path, or copied to standard output).
    func keepReturn() throws {
        try state.withLock { state in try Self.keep(state.written) }
    }

    /// Puts the incomplete list in place, if one was asked for.
    func keepIncompleteList() throws {
        try state.withLock { state in
            if let list = state.incomplete { try Self.keep(list) }
            state.incomplete = nil
        }
    }

    /// Removes every partial file not yet kept (the return refused, or a failure).
    func discard() {
        state.withLock { state in
            Self.discard(state.written)
            state.incomplete.map(Self.discard)
        }
    }

    private static func open(_ path: String?) throws -> Output {
        let partial: String
        if let path {
            let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
                throw ReportError(
                    .invalidOption, "cannot write \(path): the folder \(folder) does not exist; create it or give another")
            }
            guard FileManager.default.isWritableFile(atPath: folder) else {
                throw ReportError(.invalidOption, "cannot write \(path): the folder \(folder) is not writable by this user")
            }
            partial = path + ".partial"
        } else {
            partial = FileManager.default.temporaryDirectory.appendingPathComponent(
                "carejourney-cld-\(UUID().uuidString).partial"
            ).path
        }
        // Owner-only from the start, whatever the umask.
        guard FileManager.default.createFile(atPath: partial, contents: nil, attributes: [.posixPermissions: 0o600]),
            let handle = FileHandle(forWritingAtPath: partial)
        else {
            throw ReportError(.invalidOption, "cannot write \(partial): it cannot be created by this user")
        }
        return Output(handle: handle, partial: partial, path: path)
    }

    private static func keep(_ output: Output) throws {
        try output.handle.synchronize()
        try output.handle.close()
        if let path = output.path {
            guard rename(output.partial, path) == 0 else {
                let reason = String(cString: strerror(errno))
                try? FileManager.default.removeItem(atPath: output.partial)
                throw ReportError(.invalidOption, "cannot write \(path): \(reason)")
            }
            return
        }
        defer { try? FileManager.default.removeItem(atPath: output.partial) }
        guard let reading = FileHandle(forReadingAtPath: output.partial) else {
            throw ReportError(.invalidOption, "cannot read back \(output.partial)")
        }
        while let chunk = try reading.read(upToCount: 1 << 20), !chunk.isEmpty {
            FileHandle.standardOutput.write(chunk)
        }
        try reading.close()
    }

    private static func discard(_ output: Output) {
        try? output.handle.close()
        try? FileManager.default.removeItem(atPath: output.partial)
    }
}
