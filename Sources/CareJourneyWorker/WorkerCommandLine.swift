import CareJourneyCore
import CareJourneyWire
import Foundation
import Logging
import ServiceLifecycle
import ZeroMQ

/// Runs a task worker as a program: `--broker ENDPOINT` (once for each node, in the order to try them),
/// `--service NAME`, `--protocol 0.1|0.2`, `--verbose`,
/// and for CURVE `--curve-server=KEY --curve-secret-file FILE` (as `carejourney keys admit` prints and writes
/// them; `--flag=value` is taken for every flag); stops gracefully on SIGTERM or SIGINT (finishing the task in hand). For the example workers and for
/// small workers of a council's own.
public enum WorkerCommandLine {
    static let usage =
        "usage: [--broker tcp://127.0.0.1:5555 ...] [--service NAME] [--protocol 0.1|0.2] [--verbose] "
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
        logger.info(
            "serving '\(options.service)' from \(options.brokers.joined(separator: ", ")) (\(options.version))")
        let group = ServiceGroup(services: [worker], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        do {
            try await group.run()
        } catch {
            logger.error("stopped: \(error)")
            exit(1)
        }
    }

    /// The options a command line asks for, or nil for `--help`.
    static func parse(_ arguments: [String], defaultService: String) throws(WorkerError) -> (
        options: WorkerOptions, verbose: Bool
    )? {
        var options = WorkerOptions(service: defaultService)
        var verbose = false
        var server: String?
        var secretFile: String?
        var brokers: [String] = []
        // `--flag=value` is the same as `--flag value` for the flags that take a value; a Z85 key may begin with
        // '-' (even "--") and hold '=', so only a flag's own name before the '=' is split off.
        var rest = arguments.flatMap { argument -> [String] in
            guard let equals = argument.firstIndex(of: "="), valueFlags.contains(String(argument[..<equals])) else {
                return [argument]
            }
            return [String(argument[..<equals]), String(argument[argument.index(after: equals)...])]
        }[...]
        while let argument = rest.popFirst() {
            switch argument {
            case "--broker": brokers.append(try endpoint(rest.popFirst()))
            case "--service": options.service = rest.popFirst() ?? options.service
            case "--protocol": options.version = rest.popFirst() == "0.1" ? .v01 : .v02
            case "--verbose": verbose = true
            case "--curve-server": server = rest.popFirst()
            case "--curve-secret-file": secretFile = rest.popFirst()
            case "--curve-secret", "--curve-public":
                throw WorkerError(
                    .usage,
                    "\(argument) is no longer taken: a key on the command line can be read by every user "
                        + "of this machine (ps, /proc). Write the secret key to a file only you can read (chmod 600 "
                        + "FILE) and pass --curve-secret-file FILE instead; the public key is derived from it. "
                        + "`carejourney keys admit` writes that file for a new worker.")
            case "--help", "-h":
                return nil
            default:
                throw WorkerError(.usage, "unknown argument '\(argument)' (try --help)")
            }
        }
        if !brokers.isEmpty { options.brokers = brokers }
        switch (server, secretFile) {
        case (nil, nil): break
        case (let server?, let secretFile?):
            guard ZMQCurve.decode(server) != nil else {
                throw WorkerError(.usage, "--curve-server takes the broker's public key (40 Z85 characters)")
            }
            do {
                options.curve = try CurveClientKeys.load(serverPublicKey: server, secretFile: secretFile)
            } catch {
                throw WorkerError(.usage, "\(error)")
            }
        default:
            throw WorkerError(.usage, "CURVE needs both --curve-server KEY and --curve-secret-file FILE")
        }
        return (options, verbose)
    }

    /// The flags that take a value.
    private static let valueFlags: Set = [
        "--broker", "--service", "--protocol", "--curve-server", "--curve-secret-file", "--curve-secret",
        "--curve-public",
    ]

    /// A broker's endpoint as libzmq takes it (`tcp://HOST:PORT`, `ipc://PATH`), or why it is not one.
    private static func endpoint(_ given: String?) throws(WorkerError) -> String {
        guard let given, !given.hasPrefix("-") else {
            throw WorkerError(.usage, "--broker takes a broker's endpoint, such as tcp://10.0.0.5:5555")
        }
        let parts = given.split(separator: "://", maxSplits: 1)
        guard parts.count == 2, ["tcp", "ipc"].contains(parts[0]), !parts[1].isEmpty,
            parts[0] != "tcp" || parts[1].split(separator: ":").last.flatMap({ UInt16($0) }) != nil
        else {
            throw WorkerError(
                .usage,
                "--broker \(LogText.quoted(given)) is not a broker's endpoint: give tcp://HOST:PORT (or "
                    + "ipc://PATH), once for each node, such as --broker tcp://10.0.0.5:5555 --broker tcp://10.0.0.6:5555"
            )
        }
        return given
    }
}
