import CareJourneyCore
import CareJourneyFiles
import Foundation

/// The people who may sign in to `carejourney serve --tokens FILE`: each by name, with a role and the SHA-256 of
/// their token. The token itself is shown once, when it is made, and kept nowhere.
///
/// ```yaml
/// tokens:
///   sw.jones:
///     role: practitioner
///     sha256: 3b4c…(64 hexadecimal digits)
/// ```
///
/// Written by `carejourney tokens add` and `tokens remove`, readable and writable by its owner only; a file that
/// others may write to is refused, since whoever can change it can make themselves an admin.
public struct TokenFile: Sendable, Equatable {
    /// One person who may sign in.
    public struct Entry: Sendable, Equatable {
        /// Who they are, as the audit trail records them (`sw.jones`).
        public var name: String
        public var role: Role
        /// The SHA-256 of their token (`AccessToken.digest(of:)`).
        public var sha256: String
        /// The team they work in (`north-east`), as cases are allocated to teams: opening a case with an open
        /// safeguarding enquiry outside it needs a reason. `nil` for no team.
        public var team: String?

        public init(name: String, role: Role, sha256: String, team: String? = nil) {
            self.name = name
            self.role = role
            self.sha256 = sha256
            self.team = team
        }
    }

    /// The file, as the user named it (for messages).
    public let path: String
    /// The people, in the file's order.
    public private(set) var entries: [Entry]

    /// Names the service itself records as actors, which no person may take.
    public static let reservedNames: Set<String> = ["local", "api", "timer", "policy", "sample", "retention"]

    /// A file with these entries, not yet written.
    public init(path: String, entries: [Entry] = []) {
        self.path = path
        self.entries = entries
    }

    /// Reads and checks a token file.
    ///
    /// - Throws: `FileError` naming the file, line and key with a hint: unreadable, not YAML, an unknown key, a
    ///   bad name, role or hash, a name or token given twice, or a file others may write to (`insecure`).
    public static func load(_ path: String) throws(FileError) -> TokenFile {
        let document = try YAMLValue.load(
            path, what: "token file",
            hint: "check the path; make the file with `carejourney tokens add \(path) NAME --role ROLE`")
        if OwnerOnlyFile.isWritableByOthers(path) {
            throw FileError(
                .insecure, "others may write to this file, and so make themselves an admin", file: path,
                hint: "make it the service account's own: chmod 600 \(path)")
        }
        return try read(document)
    }

    /// Parses a token file's text; `file` names it in messages.
    public static func parse(_ text: String, file: String) throws(FileError) -> TokenFile {
        try read(YAMLValue.document(text, file: file))
    }

    private static func read(_ document: YAMLValue) throws(FileError) -> TokenFile {
        let root = try document.mapping(allowed: ["tokens"])
        var file = TokenFile(path: document.file)
        for (name, key, value) in try root.required("tokens", hint: "add `tokens: {}` (no one yet)").namedEntries() {
            if let problem = file.problem(naming: name) {
                throw key.error(.badValue, problem.message, hint: problem.hint)
            }
            let fields = try value.mapping(allowed: ["role", "sha256", "team"])
            let role = try fields.required("role").choice(Role.self)
            let team = try fields.optional("team")?.string()
            let digestValue = try fields.required("sha256")
            let digest = try digestValue.string()
            guard AccessToken.isDigest(digest) else {
                throw digestValue.error(
                    .badValue, "this is not the SHA-256 of a token (64 lowercase hexadecimal digits)",
                    hint: "the file keeps only hashes; to give \(name) a new token: carejourney tokens remove "
                        + "\(document.file) \(name), then tokens add \(document.file) \(name) --role \(role.rawValue)")
            }
            if let other = file.entries.first(where: { $0.sha256 == digest }) {
                throw digestValue.error(
                    .inconsistent, "\(name) has the same token as \(other.name)",
                    hint: "remove one of them and add it again, which makes a new token")
            }
            file.entries.append(Entry(name: name, role: role, sha256: digest, team: team))
        }
        return file
    }

    /// Why `name` cannot be added, if it cannot.
    private func problem(naming name: String) -> (message: String, hint: String)? {
        if name.isEmpty || !name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }) {
            return ("'\(name)' is not a name", "use letters, digits, '.', '-' and '_', like sw.jones")
        }
        if Self.reservedNames.contains(name) {
            return (
                "'\(name)' is a name the service records for itself",
                "choose the person's own name; reserved: \(Self.reservedNames.sorted().joined(separator: ", "))"
            )
        }
        if entries.contains(where: { $0.name == name }) {
            return (
                "\(name) is already listed",
                "one token a person; to replace it: carejourney tokens remove \(path) \(name), then tokens add"
            )
        }
        return nil
    }

    /// Adds `name` with a new token and returns the token: show it to them once; only its hash is kept.
    ///
    /// - Throws: `FileError` when the name is not a name, is reserved, or is already listed.
    public mutating func add(_ name: String, role: Role, team: String? = nil) throws(FileError) -> String {
        if let problem = problem(naming: name) {
            throw FileError(.badValue, problem.message, file: path, key: "tokens.\(name)", hint: problem.hint)
        }
        let token = AccessToken.generate()
        entries.append(Entry(name: name, role: role, sha256: AccessToken.digest(of: token), team: team))
        return token
    }

    /// Removes `name`, whose token then signs no one in (once the service is restarted).
    ///
    /// - Throws: `FileError` when no one of that name is listed.
    public mutating func remove(_ name: String) throws(FileError) {
        guard let index = entries.firstIndex(where: { $0.name == name }) else {
            let listed = entries.map(\.name).joined(separator: ", ")
            throw FileError(
                .badValue, "no one named '\(name)' is listed", file: path, key: "tokens",
                hint: entries.isEmpty ? "the file lists no one yet" : "listed: \(listed)")
        }
        entries.remove(at: index)
    }

    /// The file's text (YAML), entries in order.
    public var text: String {
        var lines = [
            "# CareJourney sign-in tokens: each person's role and the SHA-256 of their token, never the token.",
            "# Written by `carejourney tokens add/remove`; `serve --tokens` reads it at start (restart to load changes).",
            entries.isEmpty ? "tokens: {}" : "tokens:",
        ]
        for entry in entries {
            lines += ["  \(entry.name):", "    role: \(entry.role.rawValue)", "    sha256: \(entry.sha256)"]
            if let team = entry.team { lines.append("    team: \(team)") }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
