import CareJourneyCore
import ArgumentParser
import CareJourneyFiles
import CareJourneyKit
import Foundation

/// `carejourney tokens`: the people who may sign in to `serve --tokens FILE`, each with a role.
struct TokensCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokens", abstract: "Give people sign-in tokens with a role, list them, or take them away.",
        subcommands: [Add.self, List.self, Remove.self])

    /// Adds a person with a new token, making the file if need be, and prints the token once.
    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a person with a new token (printed once; the file keeps only its SHA-256).")

        @Argument(help: "The token file (made, owner-only, if it does not exist).")
        var file: String

        @Argument(help: "The person's name, as the audit trail records them (like sw.jones).")
        var name: String

        @Option(help: "What they may do: \(Role.allowedWords) (each allows all the roles before it).")
        var role: Role

        @Option(
            help: """
                The team they work in, as cases are allocated (opening a case with an open safeguarding enquiry \
                outside it asks for a reason).
                """)
        var team: String?

        func run() throws {
            let token = try fail("add") { () throws(FileError) in
                var tokens =
                    FileManager.default.fileExists(atPath: file) ? try TokenFile.load(file) : TokenFile(path: file)
                let token = try tokens.add(name, role: role, team: team)
                try OwnerOnlyFile.write(tokens.text, to: file)
                return token
            }
            printError(
                "added \(name) (\(role.rawValue)) to \(file); their token is below, shown once and kept nowhere.\n"
                    + "Give it to them privately; restart `serve --tokens \(file)` to load it. They sign in at "
                    + "/sign-in, or send `Authorization: Bearer TOKEN`.")
            print(token)
        }
    }

    /// Lists names and roles (never tokens, which the file does not hold).
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List who may sign in, with their roles.")

        @Argument(help: "The token file.")
        var file: String

        func run() throws {
            let tokens = try fail("list") { () throws(FileError) in try TokenFile.load(file) }
            guard !tokens.entries.isEmpty else {
                return print("no one yet; add people with `carejourney tokens add \(file) NAME --role ROLE`")
            }
            let width = tokens.entries.map(\.name.count).max() ?? 0
            for entry in tokens.entries {
                print(
                    entry.name.padding(toLength: width + 2, withPad: " ", startingAt: 0) + entry.role.rawValue
                        + (entry.team.map { " (team \($0))" } ?? ""))
            }
        }
    }

    /// Removes a person: their token no longer signs anyone in once `serve` is restarted.
    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove a person; their token stops working when serve is restarted.")

        @Argument(help: "The token file.")
        var file: String

        @Argument(help: "The person's name.")
        var name: String

        func run() throws {
            try fail("remove") { () throws(FileError) in
                var tokens = try TokenFile.load(file)
                try tokens.remove(name)
                try OwnerOnlyFile.write(tokens.text, to: file)
            }
            print("removed \(name) from \(file); restart serve to sign them out everywhere")
        }
    }
}

extension Role: ExpressibleByArgument {}

/// Runs `body`; a `FileError` is printed as `carejourney tokens VERB: file:line: …` and exits 1.
private func fail<T>(_ verb: String, _ body: () throws(FileError) -> T) throws -> T {
    do {
        return try body()
    } catch {
        printError("carejourney tokens \(verb): \(error)")
        throw ExitCode.failure
    }
}
