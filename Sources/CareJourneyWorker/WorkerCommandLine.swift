import CareJourneyCore
import CareJourneyWire
import Foundation
import Logging
import ServiceLifecycle
import ZeroMQ

/// Runs a task worker as a program: `--broker ENDPOINT`, `--service NAME`, `--protocol 0.1|0.2`, `--verbose`,
/// and for CURVE `--curve-server=KEY --curve-secret-file FILE` (as `carejourney keys admit` prints and writes
/// them; `--flag=value` is taken for every flag); stops gracefully on SIGTERM or SIGINT (finishing the task in hand). For the example workers and for
/// small workers of a council's own.
public enum WorkerCommandLine {
    static let usage =
        "usage: [--broker tcp://127.0.0.1:5555] [--service NAME] [--protocol 0.1|0.2] [--verbose] "
        + "[--curve-server=KEY --curve-secret-file FILE]"

    /// Parses the command line and serves `defaultService` (or `--service`) with `handle` until stopped.
    public static func run(
        defaultService: String, _ arguments: [String] = Array(CommandLine.arguments.dropFirst()),
        handle: @escaping @Sendable (TaskRequest, _ progress: @Sendable (String) -> Void) async -> TaskOutcome
    ) async {
        let parsed: (options: WorkerOptions, verbose: Bool)?
        do {
            parsed = try parse(arguments, defaultService: defaultService)
        } catch {
            FileHandle.standardError.write(Data("\(error.message)\n".utf8))
            exit(64)
        }
        guard let (options, verbose) = parsed else {
            print(usage)
            return
        }
        let level: Logger.Level = verbose ? .debug : .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "carejourney.worker.\(options.service)")
        let worker = TaskWorker(options: options, logger: logger) { task, progress in
            let outcome = await handle(task, progress)
            logger.info(
                "task answered",
                metadata: [
                    "task": "\(LogText.quoted(task.task))", "case": "\(LogText.quoted(task.caseID))",
                    "kind": "\(LogText.quoted(task.kind))", "outcome": "\(outcome)",
                ])
            return outcome
        }
        logger.info("serving '\(options.service)' from \(options.broker) (\(options.version))")
        let group = ServiceGroup(services: [worker], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        do {
            try await group.run()
        } catch {
            logger.error("stopped: \(error)")
            exit(1)
        }
    }

    /// A command line that cannot be run: what is wrong and how to put it right.
    struct UsageError: Error {
        let message: String
    }

    /// The options a command line asks for, or nil for `--help`.
    static func parse(_ arguments: [String], defaultService: String) throws(UsageError) -> (
        options: WorkerOptions, verbose: Bool
    )? {
        var options = WorkerOptions(service: defaultService)
        var verbose = false
        var server: String?
        var secretFile: String?
        // `--flag=value` is the same as `--flag value`; a Z85 key may begin with '-', which only the first form
        // keeps from being read as a flag.
        var rest = arguments.flatMap { argument -> [String] in
            guard argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") else { return [argument] }
            return [String(argument[..<equals]), String(argument[argument.index(after: equals)...])]
        }[...]
        while let argument = rest.popFirst() {
            switch argument {
            case "--broker": options.broker = rest.popFirst() ?? options.broker
            case "--service": options.service = rest.popFirst() ?? options.service
            case "--protocol": options.version = rest.popFirst() == "0.1" ? .v01 : .v02
            case "--verbose": verbose = true
            case "--curve-server": server = rest.popFirst()
            case "--curve-secret-file": secretFile = rest.popFirst()
            case "--curve-secret", "--curve-public":
                throw UsageError(
                    message: "\(argument) is no longer taken: a key on the command line can be read by every user "
                        + "of this machine (ps, /proc). Write the secret key to a file only you can read (chmod 600 "
                        + "FILE) and pass --curve-secret-file FILE instead; the public key is derived from it. "
                        + "`carejourney keys admit` writes that file for a new worker.")
            case "--help", "-h":
                return nil
            default:
                throw UsageError(message: "unknown argument '\(argument)' (try --help)")
            }
        }
        switch (server, secretFile) {
        case (nil, nil): break
        case (let server?, let secretFile?):
            guard ZMQCurve.decode(server) != nil else {
                throw UsageError(message: "--curve-server takes the broker's public key (40 Z85 characters)")
            }
            do {
                options.curve = try CurveClientKeys.load(serverPublicKey: server, secretFile: secretFile)
            } catch {
                throw UsageError(message: "\(error)")
            }
        default:
            throw UsageError(message: "CURVE needs both --curve-server KEY and --curve-secret-file FILE")
        }
        return (options, verbose)
    }
}
