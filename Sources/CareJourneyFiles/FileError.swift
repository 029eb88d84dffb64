import Foundation

/// A problem in an input file (a policy, a scenario or a token file): what is wrong, where, and how to fix it.
public struct FileError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What kind of problem it is, for code to act on.
    public let code: Code
    /// What is wrong.
    public let message: String
    /// The file, as the user named it.
    public let file: String
    /// The line (from 1), when known.
    public let line: Int?
    /// The key path in the file, such as `reviews.first-formal-due`.
    public let key: String?
    /// How to fix it.
    public let hint: String?
    /// The underlying error's description, where there was one.
    public let cause: String?

    /// The kinds of problem. Extensible: new codes may be added.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public static let unreadable = Code(rawValue: "unreadable")
        public static let syntax = Code(rawValue: "syntax")
        public static let unknownKey = Code(rawValue: "unknown-key")
        public static let missingKey = Code(rawValue: "missing-key")
        public static let badValue = Code(rawValue: "bad-value")
        public static let inconsistent = Code(rawValue: "inconsistent")
        /// The file could not be written.
        public static let unwritable = Code(rawValue: "unwritable")
        /// The file's permissions let others change what it decides (who may sign in, say).
        public static let insecure = Code(rawValue: "insecure")
        public var description: String { rawValue }
    }

    /// Creates an error.
    /// The text of the file at `path`, or `unreadable` naming the file (`what`, for the message) and how to make it
    /// (`hint`): the one way a configuration or key file is read.
    public static func text(of path: String, what: String, hint: String) throws(FileError) -> String {
        do {
            return try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw FileError(
                .unreadable, "cannot read the \(what)", file: path, hint: hint, cause: String(describing: error))
        }
    }

    public init(
        _ code: Code, _ message: String, file: String, line: Int? = nil, key: String? = nil, hint: String? = nil,
        cause: String? = nil
    ) {
        self.code = code
        self.message = message
        self.file = file
        self.line = line
        self.key = key
        self.hint = hint
        self.cause = cause
    }

    /// `file:line: key: message (hint)`, the form compilers use, so editors can jump to it.
    public var description: String {
        var text = file
        if let line { text += ":\(line)" }
        text += ": "
        if let key { text += "\(key): " }
        text += message
        if let hint { text += "\n  hint: \(hint)" }
        return text
    }
}
