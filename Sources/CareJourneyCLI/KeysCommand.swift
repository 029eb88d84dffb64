import ArgumentParser
import CareJourneyBroker
import CareJourneyKit
import Foundation

/// `carejourney keys`: the broker's CURVE key file.
struct KeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys", abstract: "Make the broker's CURVE key file and admit workers to it.",
        subcommands: [Init.self, Admit.self])

    /// Writes a new key file with a fresh server key pair.
    struct Init: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write a new key file with a fresh server key pair.")

        @Argument(help: "The key file to write (it must not exist).")
        var file: String

        func run() throws {
            guard !FileManager.default.fileExists(atPath: file) else {
                printError("carejourney keys init: \(file) exists\n  hint: keys are not replaced; choose another path")
                throw ExitCode.failure
            }
            let keys = try CurveKeyFile.generate()
            try write(keys.text, to: file)
            print(
                "wrote \(file) (server public key \(keys.serverPublicKey)); start the broker with --curve-keys \(file)")
        }
    }

    /// Admits a worker (or client) to the key file and prints the keys it connects with.
    struct Admit: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Admit a worker for some services; print the keys it connects with (shown once).")

        @Argument(help: "The key file.")
        var file: String

        @Argument(help: "The worker's name, as logs and the dashboard show it.")
        var name: String

        @Option(help: "A service (queue) it may serve; repeat for more.")
        var service: [String] = []

        func run() throws {
            var keys: CurveKeyFile
            do {
                keys = try CurveKeyFile.load(file)
            } catch {
                printError("carejourney keys admit: \(error)")
                throw ExitCode.failure
            }
            let pair: (publicKey: String, secretKey: String)
            do {
                pair = try keys.admit(name, services: service)
            } catch {
                printError("carejourney keys admit: \(error)")
                throw ExitCode.failure
            }
            try write(keys.text, to: file)
            print(
                "admitted '\(name)' for \(service.isEmpty ? "no services (a client only)" : service.joined(separator: ", "))"
            )
            print("restart the broker to load it; start the worker with:")
            // Z85 keys hold characters a shell would act on (& ! * ? { }), and never a single quote.
            print(
                "  --curve-server '\(keys.serverPublicKey)' --curve-public '\(pair.publicKey)' --curve-secret '\(pair.secretKey)'"
            )
            print("the secret key is shown once and kept nowhere else")
        }
    }
}

/// Writes `text` to `path`, readable and writable by the owner only.
private func write(_ text: String, to path: String) throws {
    do {
        try OwnerOnlyFile.write(text, to: path)
    } catch {
        printError("carejourney keys: \(error)")
        throw ExitCode.failure
    }
}
