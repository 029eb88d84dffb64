import CareJourneyClock
import CareJourneyBroker
import CareJourneyCore
import CareJourneyKit
import CareJourneyRuntime
import CareJourneySamples
import CareJourneyServer
import CareJourneySimulation
import CareJourneyStore
import Foundation
import Logging

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A real server on a free loopback port, on a store of its own (`TestStore`: a temporary data folder, or a new
/// PostgreSQL database when the tests run with `CAREJOURNEY_TEST_STORE=postgres`), for one test.
///
/// Requests carry `token` as a bearer token when it is set (`signedIn(as:)`); cookies are neither kept nor sent
/// unless a test sends them, and redirects are not followed, so tests see them.
public struct LiveServer: Sendable {
    public let base: URL
    /// A bearer token sent with every request.
    public var token: String?
    /// The task broker's MDP endpoint, when the server runs one.
    public var mdp: String?
    /// The server's data folder (on PostgreSQL, the node's own folder).
    public var dataDirectory = ""
    /// The store it serves, when a test started it (`with`).
    public var store: TestStore?

    /// A server already running at `base` (started by someone else: the demo, say).
    public init(
        base: URL, token: String? = nil, mdp: String? = nil, dataDirectory: String = "", store: TestStore? = nil
    ) {
        self.base = base
        self.token = token
        self.mdp = mdp
        self.dataDirectory = dataDirectory
        self.store = store
    }

    /// Starts a server (with `tokens`, if given; on `clock`; with a broker on a free loopback port if `broker`; on
    /// `store`, if given, or a new one, as the node `node` when it is a PostgreSQL one; under `policy`, or the shipped
    /// Derbyshire one), runs `body` against it, then stops it.
    public static func with<T: Sendable>(
        sample: Int = 0, tokens: TokenFile? = nil, clock: (any CareClock)? = nil, broker: Bool = false,
        publicURL: URL? = nil, limits: HTTPLimits = HTTPLimits(), logger: Logger? = nil, store: TestStore? = nil,
        node: String = "test", planProfile: SimulationProfile? = nil, policy: Policy? = nil,
        _ body: @Sendable (LiveServer) async throws -> T
    ) async throws -> T {
        let policy = try policy ?? shippedPolicy()
        let store = if let store { store } else { try await TestStore.fresh() }
        var options = CareJourneyService.Options(
            dataDirectory: store.folder, policy: nil, defaultPolicy: policy, port: 0,
            population: sample > 0 ? SamplePopulation(count: sample) : nil,
            broker: broker ? BrokerOptions(endpoint: "tcp://127.0.0.1:*", events: nil) : nil, tokens: tokens,
            clock: clock)
        options.postgres = try store.serving(as: node)
        options.publicURL = publicURL
        options.limits = limits
        if let planProfile { options.planProfile = .success(planProfile) }
        let configured = options
        let (ports, portSink) = AsyncStream<CareJourneyService.Listening>.makeStream()
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                // A service that fails to start ends the stream, so its failure is thrown rather than waited on.
                defer { portSink.finish() }
                var quiet = Logger(label: "test")
                quiet.logLevel = .critical  // cancelling the server at the end of a test logs noise
                try await CareJourneyService(options: configured, logger: logger ?? quiet).run { listening in
                    portSink.yield(listening)
                }
                return nil
            }
            var iterator = ports.makeAsyncIterator()
            guard let listening = await iterator.next() else {
                try await group.waitForAll()
                throw CancellationError()
            }
            try await waitForStartUpFigures(listening.startUpFigures)
            let result = try await body(
                LiveServer(
                    base: URL(string: "http://127.0.0.1:\(listening.httpPort)")!, token: nil, mdp: listening.mdp,
                    dataDirectory: store.folder, store: store))
            group.cancelAll()
            return result
        }
    }

    /// Waits until the figures a service reads in the background after start are in (`StartUpFigures`): until then a
    /// test's first requests would wait beside those reads for the store (on PostgreSQL, for the pool's first
    /// connections too), and what the test times or gives 800 ms would be the start's. After a minute the test goes
    /// on regardless: one on a store that cannot be read finds that out for itself.
    private static func waitForStartUpFigures(_ figures: StartUpFigures) async throws {
        _ = try await eventually(60, every: .milliseconds(10)) { figures.areIn }
    }

    /// A response: status, headers and JSON body.
    public struct Reply: Sendable {
        public let status: Int
        public let headers: [String: String]
        public let body: Data

        public var json: JSONValue { (try? JSONDecoder().decode(JSONValue.self, from: body)) ?? .null }

        public subscript(_ key: String) -> JSONValue? {
            if case .object(let fields) = json { fields[key] } else { nil }
        }

        /// The cases of a page of `/api/cases`.
        public var cases: [JSONValue] { self["cases"]?.array ?? [] }

        /// The body as text (a page).
        public var text: String { String(decoding: body, as: UTF8.self) }
    }

    /// The same server, with `token` as the bearer token of every request.
    public func signedIn(as token: String) -> LiveServer {
        LiveServer(base: base, token: token, mdp: mdp, dataDirectory: dataDirectory, store: store)
    }

    public func send(_ method: String, _ path: String, body: Data? = nil, headers: [String: String] = [:]) async throws
        -> Reply
    {
        var request = URLRequest(url: URL(string: base.absoluteString + path)!)
        request.httpMethod = method
        request.httpBody = body
        if body != nil { request.setValue("application/json", forHTTPHeaderField: "Content-Type") }
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let (data, response) = try await Self.session.data(for: request)
        let http = response as! HTTPURLResponse
        var fields: [String: String] = [:]
        for (name, value) in http.allHeaderFields { fields["\(name)".lowercased()] = "\(value)" }
        return Reply(status: http.statusCode, headers: fields, body: data)
    }

    public func post(_ path: String, _ json: JSONValue, key: String? = nil) async throws -> Reply {
        try await send(
            "POST", path, body: try JSONEncoder().encode(json), headers: key.map { ["Idempotency-Key": $0] } ?? [:])
    }

    public func get(_ path: String) async throws -> Reply { try await send("GET", path) }

    /// The CSRF token a page's forms carry, as a browser would post it back.
    public static func csrf(in page: String) -> String? {
        guard let start = page.range(of: "name=\"csrf\" value=\"") else { return nil }
        return String(page[start.upperBound...].prefix { $0 != "\"" })
    }

    /// Posts an HTML form, as a browser does (with the CSRF token of the page it came from, in `csrf`).
    public func postForm(_ path: String, _ fields: [String: String]) async throws -> Reply {
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))
        let body = fields.sorted { $0.key < $1.key }.map {
            "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")"
        }.joined(separator: "&")
        return try await send(
            "POST", path, body: Data(body.utf8), headers: ["Content-Type": "application/x-www-form-urlencoded"])
    }

    /// `GET /metrics`, asked again (for up to 30 seconds: a slow machine's timer or refresh can take a few) until
    /// `ready` says the figures are in; the last figures if they never are.
    public func metrics(until ready: (MetricsText) -> Bool = { _ in true }) async throws -> MetricsText {
        var metrics = MetricsText("")
        _ = try await eventually(30, every: .milliseconds(10)) {
            metrics = MetricsText(String(decoding: try await get("/metrics").body, as: UTF8.self))
            return ready(metrics)
        }
        return metrics
    }

    /// Opens the dashboard's live stream (`GET /live`, with the bearer token) on a connection of its own, and reads
    /// its head: read its messages with `RawConnection.read(until:upTo:)`.
    public func openLive() async throws -> RawConnection {
        let connection = try RawConnection(port: base.port ?? 80)
        let authorization = token.map { "Authorization: Bearer \($0)\r\n" } ?? ""
        try connection.send("GET /live HTTP/1.1\r\nHost: 127.0.0.1\r\n\(authorization)\r\n")
        let head = await connection.read(until: "\r\n\r\n", upTo: .seconds(10))
        guard head.hasPrefix("HTTP/1.1 200") else { throw URLError(.badServerResponse) }
        return connection
    }

    /// No shared cookie store (servers of parallel tests share a host) and no redirects followed.
    public static let session: URLSession = {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpCookieStorage = nil
        configuration.httpShouldSetCookies = false
        return URLSession(configuration: configuration, delegate: NoRedirects(), delegateQueue: nil)
    }()

    private final class NoRedirects: NSObject, URLSessionTaskDelegate, Sendable {
        func urlSession(
            _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
            newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void
        ) {
            completionHandler(nil)
        }
    }
}

/// A token file of one person for each role, and their tokens.
public struct People: Sendable {
    public var file = TokenFile(path: "tokens.yaml")
    public var tokens: [String: String] = [:]

    public init(
        _ people: [(String, Role)] = [
            ("m.etrics", .metrics), ("v.iewer", .viewer), ("sw.jones", .practitioner), ("m.patel", .manager),
            ("a.dmin", .admin),
        ]
    ) throws {
        for (name, role) in people { tokens[name] = try file.add(name, role: role) }
    }

    public subscript(_ name: String) -> String { tokens[name] ?? "" }
}

extension JSONValue {
    public var string: String? { if case .string(let value) = self { value } else { nil } }
    public var array: [JSONValue]? { if case .array(let value) = self { value } else { nil } }
    public var number: Double? { if case .number(let value) = self { value } else { nil } }
    public subscript(_ key: String) -> JSONValue? { if case .object(let fields) = self { fields[key] } else { nil } }
}
