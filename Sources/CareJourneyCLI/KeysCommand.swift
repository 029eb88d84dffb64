import ArgumentParser
import CareJourneyBroker
import CareJourneyFiles
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
            let keys = try CurveKeyFile.generate(path: file)
            try write(keys.text, to: file)
            print(
                "wrote \(file) (server public key \(keys.serverPublicKey)); start the broker with --curve-keys \(file)")
        }
    }

    /// Admits a worker, client or subscriber to the key file, writes its secret key to a file of its own and
    /// prints how it connects.
    struct Admit: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Admit a worker, client or subscriber; write its secret key to a file for it alone.")

        @Argument(help: "The key file.")
        var file: String

        @Argument(help: "Its name, as logs, the dashboard and the audit trail show it.")
        var name: String

        @Option(help: "A service (queue) it may serve as a worker; repeat for more.")
        var service: [String] = []

        @Option(help: "A service it may call as an MDP client; repeat for more.")
        var client: [String] = []

        @Option(help: "The event stream it may read: none, minimal (no personal data) or full (every event's data).")
        var subscribe: CurveKeyFile.EventAccess = .minimal

        @Option(
            name: .customLong("secret-file"),
            help: "Where to write its secret key, readable by you only (default: NAME.secret; never replaced).")
        var secretFile: String?

        func run() throws {
            let secretPath = secretFile ?? "\(name).secret"
            guard !FileManager.default.fileExists(atPath: secretPath) else {
                printError(
                    "carejourney keys admit: \(secretPath) exists\n  hint: keys are not replaced; choose another path "
                        + "with --secret-file")
                throw ExitCode.failure
            }
            var keys: CurveKeyFile
            let pair: (publicKey: String, secretKey: String)
            do {
                keys = try CurveKeyFile.load(file)
                pair = try keys.admit(name, serve: service, call: client, subscribe: subscribe)
            } catch {
                printError("carejourney keys admit: \(error)")
                throw ExitCode.failure
            }
            try write(
                "# The CURVE secret key of '\(name)': give it to that peer alone and keep it readable by it only.\n"
                    + pair.secretKey + "\n", to: secretPath)
            try write(keys.text, to: file)
            let may = [
                service.isEmpty ? nil : "serve \(service.joined(separator: ", "))",
                client.isEmpty ? nil : "call \(client.joined(separator: ", "))",
                subscribe == .none ? "read no event stream" : "read the \(subscribe.rawValue) event stream",
            ].compactMap { $0 }
            print("admitted '\(name)' (public key \(pair.publicKey)), who may \(may.joined(separator: "; "))")
            print("wrote its secret key to \(secretPath) (readable by you only): move it to its machine, keep it 0600")
            print("restart the broker to load it; connect with:")
            // Z85 keys hold characters a shell would act on (& ! * ? { }), and never a single quote; one may begin
            // with '-', which `=` keeps from being read as a flag.
            print("  --curve-server='\(keys.serverPublicKey)' --curve-secret-file '\(secretPath)'")
        }
    }
}

extension CurveKeyFile.EventAccess: ExpressibleByArgument {}

/// Writes `text` to `path`, readable and writable by the owner only.
private func write(_ text: String, to path: String) throws {
    do {
        try OwnerOnlyFile.write(text, to: path)
    } catch {
        printError("carejourney keys: \(error)")
        throw ExitCode.failure
    }
}
