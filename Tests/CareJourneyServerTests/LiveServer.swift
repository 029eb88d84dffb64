import CareJourneyCore
import CareJourneyKit
import Foundation
import Logging
import Testing

@testable import CareJourneyServer

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

/// A real server on a free loopback port, in its own temporary data folder, for one test.
struct LiveServer {
    let base: URL

    /// Starts a server, runs `body` against it, then stops it.
    static func with<T: Sendable>(sample: Int = 0, _ body: @Sendable (LiveServer) async throws -> T) async throws -> T {
        let policy = try PolicyFile.load(repositoryRoot.appendingPathComponent("workflows/derbyshire.yaml").path)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cj-http-\(UUID().uuidString)")
            .path
        let options = CareJourneyService.Options(
            dataDirectory: directory, policy: nil, defaultPolicy: policy, port: 0,
            population: sample > 0 ? SamplePopulation(count: sample) : nil)
        let (ports, portSink) = AsyncStream<Int>.makeStream()
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                var logger = Logger(label: "test")
                logger.logLevel = .critical  // cancelling the server at the end of a test logs noise
                try await CareJourneyService(options: options, logger: logger).run { listening in
                    portSink.yield(listening.httpPort)
                }
                return nil
            }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else { throw CancellationError() }
            let result = try await body(LiveServer(base: URL(string: "http://127.0.0.1:\(port)")!))
            group.cancelAll()
            return result
        }
    }

    /// A response: status, headers and JSON body.
    struct Reply: Sendable {
        let status: Int
        let headers: [String: String]
        let body: Data

        var json: JSONValue { (try? JSONDecoder().decode(JSONValue.self, from: body)) ?? .null }

        subscript(_ key: String) -> JSONValue? {
            if case .object(let fields) = json { fields[key] } else { nil }
        }

        /// The cases of a page of `/api/cases`.
        var cases: [JSONValue] { self["cases"]?.array ?? [] }
    }

    func send(_ method: String, _ path: String, body: Data? = nil, headers: [String: String] = [:]) async throws
        -> Reply
    {
        var request = URLRequest(url: URL(string: path, relativeTo: base)!)
        request.httpMethod = method
        request.httpBody = body
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        if body != nil { request.setValue("application/json", forHTTPHeaderField: "Content-Type") }
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = response as! HTTPURLResponse
        var fields: [String: String] = [:]
        for (name, value) in http.allHeaderFields { fields["\(name)".lowercased()] = "\(value)" }
        return Reply(status: http.statusCode, headers: fields, body: data)
    }

    func post(_ path: String, _ json: JSONValue, key: String? = nil) async throws -> Reply {
        try await send(
            "POST", path, body: try JSONEncoder().encode(json), headers: key.map { ["Idempotency-Key": $0] } ?? [:])
    }

    func get(_ path: String) async throws -> Reply { try await send("GET", path) }
}

extension JSONValue {
    var string: String? { if case .string(let value) = self { value } else { nil } }
    var array: [JSONValue]? { if case .array(let value) = self { value } else { nil } }
    subscript(_ key: String) -> JSONValue? { if case .object(let fields) = self { fields[key] } else { nil } }
}
