import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Who may read an encrypted backup: an age public key, or a file of them.
public enum AgeRecipient: Sendable, Equatable, CustomStringConvertible {
    /// A public key, `age1…` (what `age-keygen -y KEYFILE` prints).
    case key(String)
    /// A recipients file: one public key a line, `#` comments allowed (age's `-R`).
    case file(String)

    /// `age1…` is a key; anything else names a recipients file.
    public init(_ text: String) {
        self = text.hasPrefix("age1") ? .key(text) : .file(text)
    }

    /// age's arguments for this recipient.
    var arguments: [String] {
        switch self {
        case .key(let key): ["-r", key]
        case .file(let path): ["-R", path]
        }
    }

    public var description: String {
        switch self {
        case .key(let key): key
        case .file(let path): "the recipients in \(path)"
        }
    }
}

/// The `age` tool (Debian's package `age`), which encrypts backups so that a copy off the machine holds nothing
/// readable without the private key, and decrypts them for a restore. CareJourney runs it rather than linking a
/// cryptographic library: it is the format and tool councils' backup staff can use by hand.
struct AgeTool: Sendable {
    /// The `age` executable.
    let executable: String

    /// Finds `age` on `searchPath` (a `PATH`-style list of folders).
    ///
    /// - Throws: `StoreError.encryption` saying how to install it, when it is not there.
    init(searchPath: String = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin") throws(StoreError)
    {
        let candidates = searchPath.split(separator: ":").map { folder in String(folder) + "/age" }
        let found = candidates.first { path in access(path, X_OK) == 0 }
        guard let found else {
            throw StoreError(
                .encryption,
                "`age` is not installed (it is not on PATH: \(searchPath)), and it encrypts and decrypts backups: "
                    + "install it with `apt-get install age` (`scripts/setup test` installs it for the tests)")
        }
        executable = found
    }

    /// Checks that `recipient` is one age accepts (a well-formed key, a readable file of them), by encrypting
    /// nothing to it: before a backup starts, so a mistyped key fails in a moment, not after the copy.
    ///
    /// - Throws: `StoreError.encryption` naming the recipient and how to give a good one.
    func check(_ recipient: AgeRecipient) throws(StoreError) {
        let refusal = try run(recipient.arguments, input: .none, output: FileHandle.nullDevice)
        if let refusal {
            throw StoreError(
                .encryption,
                "age refuses the recipient \(recipient): give an age public key (`age1…`, which "
                    + "`age-keygen -y KEYFILE` prints for a key made with `age-keygen -o KEYFILE`) or a file of them, "
                    + "one a line", reported: refusal)
        }
    }

    /// Encrypts the file at `input` to `recipient`, writing to `output` (an open file at `destination`, on the disk
    /// `disk` names).
    ///
    /// - Throws: `StoreError.io` when the disk is full; `StoreError.encryption` for anything else age reports.
    func encrypt(_ input: String, to recipient: AgeRecipient, into output: NewFile) throws(StoreError) {
        guard let refusal = try run(recipient.arguments + [input], input: .none, output: output.handle) else { return }
        if refusal.contains("no space left") { throw output.diskFull(reported: refusal) }
        throw StoreError(.encryption, "age could not encrypt the backup into \(output.partial)", reported: refusal)
    }

    /// Decrypts the backup at `input` with the private key `identity` (the text of an age key file), writing to
    /// `output`. The key goes to age through a pipe, never through another file.
    ///
    /// - Throws: `StoreError.encryption` when the key is not one the backup was encrypted to, or the file is not
    ///   age's; `StoreError.io` when the disk is full.
    func decrypt(_ input: String, identity: String, into output: NewFile) throws(StoreError) {
        guard let refusal = try run(["-d", "-i", "-", input], input: .text(identity), output: output.handle) else {
            return
        }
        if refusal.contains("no space left") { throw output.diskFull(reported: refusal) }
        let hint =
            refusal.contains("no identity matched")
            ? "the key given is not one it was encrypted to: use the private key whose public key the backups are "
                + "encrypted to (the backup unit's recipients file lists them)"
            : "check that it is a whole backup, copied back intact"
        throw StoreError(.encryption, "age could not decrypt \(input): \(hint)", reported: refusal)
    }

    /// What age is given on standard input.
    private enum Input {
        case none
        case text(String)
    }

    /// Runs age; returns nil when it succeeded, else its error line (without its line asking for bug reports).
    private func run(_ arguments: [String], input: Input, output: FileHandle) throws(StoreError) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = output
        let errors = Pipe()
        process.standardError = errors
        let stdin = Pipe()
        switch input {
        case .none: process.standardInput = FileHandle.nullDevice
        case .text: process.standardInput = stdin
        }
        do {
            try process.run()
        } catch {
            throw StoreError(.encryption, "cannot run \(executable)", cause: error)
        }
        if case .text(let text) = input {
            stdin.fileHandleForWriting.write(Data(text.utf8))
            try? stdin.fileHandleForWriting.close()
        }
        let said = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus != 0 else { return nil }
        let lines = said.split(separator: "\n").filter { !$0.contains("report unexpected or unhelpful errors") }
        return lines.isEmpty ? "age exited \(process.terminationStatus)" : lines.joined(separator: "; ")
    }
}
