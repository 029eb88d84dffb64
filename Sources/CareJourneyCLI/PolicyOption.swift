import ArgumentParser
import CareJourneyCore
import CareJourneyKit
import Foundation

/// `--policy FILE`, shared by the commands that run the journey.
struct PolicyOption: ParsableArguments {
    /// The policy shipped first, used when none is named.
    static let defaultPath = PolicyFile.shippedPath

    @Option(name: .long, help: "A council policy file (default: the scenario's own, else \(PolicyOption.defaultPath)).")
    var policy: String?

    /// Loads the named policy, else `fallback`, else the default; prints the error and exits 1 when it is bad.
    func load(fallback: String? = nil) throws -> Policy {
        if let path = policy ?? fallback { return try loadPolicy(path) }
        return try Self.loadDefault()
    }

    /// Loads the first shipped policy, found by `PolicyFile.findShipped()`.
    static func loadDefault() throws -> Policy {
        guard let found = PolicyFile.findShipped() else {
            printError("no policy given, and no \(Self.defaultPath) here or above\n  hint: pass --policy FILE")
            throw ExitCode.failure
        }
        return try loadPolicy(found)
    }
}

/// Loads a policy file, printing a bad file's error (file:line: key: message, hint) and exiting 1.
func loadPolicy(_ path: String) throws -> Policy {
    do {
        return try PolicyFile.load(path)
    } catch {
        printError(error.description)
        throw ExitCode.failure
    }
}

/// Writes a line to standard error.
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}
