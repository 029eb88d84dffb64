import ArgumentParser
import CareJourneyBroker
import CareJourneyCore
import CareJourneyFiles
import CareJourneyKit
import CareJourneyPostgres
import CareJourneySimulation
import CareJourneyStore
import CareJourneyServer
import CareJourneyRuntime
import CareJourneySamples
import Foundation
import Logging

/// `carejourney serve`.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract:
            "Run the store, timers, task broker and HTTP API until SIGTERM or SIGINT (then drain and exit 0).")

    @OptionGroup var data: DataDirectoryOption

    @Option(
        help: """
            Serve a PostgreSQL store shared by several nodes, postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE \
            (?sslmode=verify-full&sslrootcert=FILE for TLS; the password may come from PGPASSWORD), instead of the \
            SQLite store in --data-dir (which then only keeps the node's own files).
            """)
    var store: String?

    @Option(
        help: """
            This node's name among the nodes serving one PostgreSQL store, unique to it (default: this host's name \
            and the --http port, like care-1:8080).
            """)
    var node: String?

    @Option(help: "A council policy file (default: the store's own, else \(PolicyOption.defaultPath)).")
    var policy: String?

    @Option(
        name: .customLong("plan-profile"),
        help: """
            The simulation profile the dashboard's Plan page forecasts with: its mix, step durations and staff per \
            queue (default: \(ProfileFile.shippedPath)).
            """)
    var planProfile: String?

    @Option(help: "Where the HTTP API listens, HOST:PORT.")
    var http = "127.0.0.1:8080"

    @Option(name: .customLong("time-scale"), help: "Run the clock N times faster than the wall clock (demos, tests).")
    var timeScale: Double?

    @Option(help: "Open N sample cases with a year of history if the store is empty, so there is something to see.")
    var sample = 0

    @Option(help: "Where the task broker listens for MDP workers and clients (a ZeroMQ endpoint).")
    var zmq = "tcp://127.0.0.1:5555"

    @Option(
        help: """
            Where committed case events are published without personal data (case, event, time, stage, task ids): \
            a ZeroMQ endpoint, or 'off'.
            """)
    var events = "tcp://127.0.0.1:5556"

    @Option(
        name: .customLong("events-full"),
        help: """
            Where every committed event is published with its data (a ZeroMQ endpoint): with --curve-keys, only to \
            keys admitted with --subscribe full.
            """)
    var eventsFull: String?

    @Flag(
        name: .customLong("events-full-on-loopback"),
        help: "Publish --events-full without CURVE: any process on this machine can then read personal data.")
    var eventsFullOnLoopback = false

    @Option(
        name: .customLong("curve-keys"),
        help: "A CURVE key file: the broker then requires CURVE and admits only the listed keys (see docs/tasks.md).")
    var curveKeys: String?

    @Option(help: "Seconds a worker may hold a task before it is offered to another.")
    var lease = 300

    @Option(
        help: """
            A token file (`carejourney tokens add`): every request then needs a token or a signed-in session. \
            Without it --http must be a loopback address, and anyone on this machine is the admin 'local'.
            """)
    var tokens: String?

    @Option(
        name: .customLong("public-url"),
        help: """
            The address people use when a TLS proxy stands in front (https://carejourney.council.example): only its \
            pages may change things, and an https address makes the session cookie Secure. Needs --tokens.
            """)
    var publicURL: String?

    func validate() throws {
        if let publicURL {
            guard let url = URL(string: publicURL), ["http", "https"].contains(url.scheme?.lowercased() ?? ""),
                url.host?.isEmpty == false, url.query == nil, url.path.isEmpty || url.path == "/"
            else {
                throw ValidationError(
                    "--public-url takes the address people use, like https://carejourney.council.example (no path)")
            }
        }
        guard parseAddress(http) != nil else {
            throw ValidationError("--http takes HOST:PORT, like 127.0.0.1:8080 (port 0 picks a free one)")
        }
        if let timeScale, !(timeScale > 0) { throw ValidationError("--time-scale must be more than 0") }
        if sample < 0 { throw ValidationError("--sample must be 0 or more") }
        if lease < 1 { throw ValidationError("--lease must be at least 1 second") }
        if node != nil && store == nil { throw ValidationError("--node names a node of a PostgreSQL store: give --store postgres://… too") }
    }

    /// `--store` and `--node` as a node of a PostgreSQL store, or nil for the SQLite store in `--data-dir`.
    func postgresServing(port: Int) throws(StoreError) -> PostgresServing? {
        guard let store else { return nil }
        guard case .postgres(let address) = try StoreLocation(store) else {
            throw StoreError(
                .address,
                "--store takes a PostgreSQL address, postgres://USER@HOST[:PORT]/DATABASE; a SQLite store is served "
                    + "from its folder with --data-dir")
        }
        let host = ProcessInfo.processInfo.hostName.split(separator: ".").first.map(String.init) ?? "node"
        return PostgresServing(address: address, node: try NodeName(node ?? "\(host):\(port)"))
    }

    func run() async throws {
        let (host, port) = parseAddress(http)!
        let named = try policy.map(loadPolicy)
        // The shipped policy stands in only when none is named (the store's own, if it has one, comes first): a
        // service run with --policy outside a checkout needs no shipped file.
        let fallback = try named == nil ? PolicyFile.findShipped().map(loadPolicy) : nil
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .info
            return handler
        }
        let curve: CurveKeyFile?
        do {
            curve = try curveKeys.map(CurveKeyFile.load)
        } catch {
            printError("carejourney serve: \(error)")
            throw ExitCode.failure
        }
        let people: TokenFile?
        do {
            people = try tokens.map(TokenFile.load)
        } catch {
            printError("carejourney serve: \(error)")
            throw ExitCode.failure
        }
        let postgres: PostgresServing?
        do {
            postgres = try postgresServing(port: port)
        } catch {
            printError("carejourney serve: \(error.message)")
            throw ExitCode.failure
        }
        let broker = BrokerOptions(
            endpoint: zmq, events: events == "off" ? nil : events, fullEvents: eventsFull,
            fullEventsOnLoopback: eventsFullOnLoopback, curve: curve, lease: .seconds(lease))
        if let refusal = broker.refusal() {
            printError("carejourney serve: \(refusal)")
            throw ExitCode.failure
        }
        var options = CareJourneyService.Options(
            dataDirectory: data.path, policy: named, defaultPolicy: fallback, host: host, port: port,
            timeScale: timeScale, population: sample > 0 ? SamplePopulation(count: sample) : nil, broker: broker,
            tokens: people)
        options.publicURL = publicURL.flatMap(URL.init(string:))
        options.postgres = postgres
        options.planProfile = Result { () throws(FileError) -> SimulationProfile in
            guard let path = planProfile ?? ProfileFile.findShipped() else {
                throw FileError(
                    .unreadable, "no profile given and none shipped here", file: ProfileFile.shippedPath,
                    hint: "pass --plan-profile FILE")
            }
            return try ProfileFile.load(path)
        }.mapError { $0 as any Error }
        do {
            try await CareJourneyService(options: options).run { listening in
                let port = listening.httpPort
                let banner =
                    """
                    CareJourney is running on http://\(host):\(port)
                      cases:    http://\(host):\(port)/api/cases
                      a case:   http://\(host):\(port)/api/cases/C-1
                      figures:  http://\(host):\(port)/api/stats
                      the API:  http://\(host):\(port)/openapi.yaml
                      metrics:  http://\(host):\(port)/metrics
                      workers:  MDP on \(listening.mdp ?? "(broker not running)")\(curve == nil ? "" : " (CURVE)")
                      events:   \(listening.events ?? "not published")
                      access:   \(Self.access(people, signIn: "http://\(host):\(port)/sign-in"))
                    Stop with Ctrl-C: accepted commands are drained and committed first.

                    """
                FileHandle.standardOutput.write(Data(banner.utf8))
            }
        } catch {
            printError("carejourney serve: \(error)")
            throw ExitCode.failure
        }
    }
}

extension ServeCommand {
    /// The banner's line on who may use the service.
    static func access(_ people: TokenFile?, signIn: String) -> String {
        guard let people else {
            return "no-token mode (no --tokens): only this machine's own browser and tools, each as the admin "
                + "'local'; to let people sign in, `carejourney tokens add FILE NAME --role ROLE`, then serve --tokens FILE"
        }
        return "\(people.entries.count) people from \(people.path); sign in at \(signIn) or send Authorization: Bearer"
    }
}

/// `HOST:PORT` into its parts.
func parseAddress(_ text: String) -> (String, Int)? {
    guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
        (0...65535).contains(port)
    else { return nil }
    let host = String(text[..<colon])
    return host.isEmpty ? nil : (host, port)
}
