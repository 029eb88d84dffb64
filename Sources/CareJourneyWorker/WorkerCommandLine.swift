import CareJourneyCore
import CareJourneyWire
import Foundation
import Logging
import ServiceLifecycle
import ZeroMQ

/// Runs a task worker as a program: `--broker ENDPOINT`, `--service NAME`, `--protocol 0.1|0.2`, `--verbose`;
/// stops gracefully on SIGTERM or SIGINT (finishing the task in hand). For the example workers and for small
/// workers of a council's own.
public enum WorkerCommandLine {
    /// `--curve-server KEY --curve-public KEY --curve-secret KEY` (from `carejourney keys admit`) turn on CURVE.
    /// Parses the command line and serves `defaultService` (or `--service`) with `handle` until stopped.
    public static func run(
        defaultService: String, _ arguments: [String] = Array(CommandLine.arguments.dropFirst()),
        handle: @escaping @Sendable (TaskRequest, _ progress: @Sendable (String) -> Void) async -> TaskOutcome
    ) async {
        var options = WorkerOptions(service: defaultService)
        var verbose = false
        var curve: [String: String] = [:]
        var rest = arguments[...]
        while let argument = rest.popFirst() {
            switch argument {
            case "--broker": options.broker = rest.popFirst() ?? options.broker
            case "--service": options.service = rest.popFirst() ?? options.service
            case "--protocol": options.version = rest.popFirst() == "0.1" ? .v01 : .v02
            case "--verbose": verbose = true
            case "--curve-server", "--curve-public", "--curve-secret": curve[argument] = rest.popFirst()
            case "--help", "-h":
                print(
                    "usage: [--broker tcp://127.0.0.1:5555] [--service \(defaultService)] [--protocol 0.1|0.2] [--verbose]"
                )
                return
            default:
                FileHandle.standardError.write(Data("unknown argument '\(argument)' (try --help)\n".utf8))
                exit(64)
            }
        }
        if !curve.isEmpty {
            guard let server = curve["--curve-server"], let mine = curve["--curve-public"],
                let secret = curve["--curve-secret"]
            else {
                FileHandle.standardError.write(
                    Data("CURVE needs all three of --curve-server, --curve-public and --curve-secret\n".utf8))
                exit(64)
            }
            options.curve = CurveClientKeys(serverPublicKey: server, publicKey: mine, secretKey: secret)
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
                    "task": "\(task.task)", "case": "\(task.caseID)", "kind": "\(task.kind)", "outcome": "\(outcome)",
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
}
