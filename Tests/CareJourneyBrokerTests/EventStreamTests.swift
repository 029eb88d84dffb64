import CareJourneyCore
import CareJourneyKit
import Foundation
import Testing
import CareJourneyTestSupport
import ZeroMQ

@testable import CareJourneyBroker

/// The two event streams, with real sockets: the minimal one carries no personal data; the full one only to keys
/// admitted for it.
@Suite(.serialized) struct EventStreamTests {
    /// A subscriber to everything on `endpoint`, with CURVE keys when given.
    func subscriber(_ endpoint: String, curve: (server: String, public: String, secret: String)? = nil) throws
        -> ZMQSocket
    {
        let socket = try ZMQSocket(ZMQContext(), .sub)
        if let curve {
            try socket.set(.curveClient(serverKey: curve.server, publicKey: curve.public, secretKey: curve.secret))
        }
        try socket.set(.subscribe([]))
        try socket.connect(endpoint)
        return socket
    }

    /// Messages (topic, JSON body) until `count` came or `seconds` passed; only the case `id`'s when given (the
    /// warm-ups of `hear` are not counted).
    func collect(_ socket: ZMQSocket, count: Int, of id: CaseID? = nil, within seconds: Double = 15) throws -> [(
        topic: String, body: [String: JSONValue], text: String
    )] {
        var received: [(topic: String, body: [String: JSONValue], text: String)] = []
        let deadline = Date().addingTimeInterval(seconds)
        let poller = try ZMQPoller()
        try poller.add(socket)
        while received.count < count && Date() < deadline {
            guard try poller.wait(milliseconds: 50)[0], let message = try socket.receive(dontWait: true) else {
                continue
            }
            let body = try JSONDecoder().decode([String: JSONValue].self, from: Data(message.frames[1]))
            if let id, body["case"] != .string(id.rawValue) { continue }
            received.append((String(message.frames[0]), body, String(message.frames[1])))
        }
        return received
    }

    /// Whether each of `sockets` hears the stream: a subscription takes a moment to reach the publisher (with CURVE,
    /// a handshake first), and one not there yet misses what is published. Warm-up contacts are committed, one a
    /// round (each still deaf socket listens a tenth of a second), until each has heard one (for up to 15 s).
    func hear(_ sockets: [ZMQSocket], through harness: BrokerHarness) async throws -> Bool {
        var deaf = sockets
        return try await eventually(15, every: .zero) {
            _ = try await harness.engine.send(
                nil, "contact", ["name": "Warm Up", "clientType": "adult", "route": "gp"], at: Date())
            deaf = try deaf.filter { try collect($0, count: 1, within: 0.1).isEmpty }
            return deaf.isEmpty
        }
    }

    @Test func theDefaultStreamCarriesNoPersonalDataAndTheFullOneEverything() async throws {
        var options = fastOptions()
        options.events = "tcp://127.0.0.1:*"
        options.fullEvents = "tcp://127.0.0.1:*"
        options.fullEventsOnLoopback = true
        try await withBroker(options: options) { harness in
            let bound = try #require(await harness.broker.boundEndpoints())
            let minimal = try subscriber(try #require(bound.events))
            let full = try subscriber(try #require(bound.fullEvents))
            try #require(try await hear([minimal, full], through: harness))
            let (id, task) = try await harness.caseWithABrokerageTask(name: "Ada Lovelace")
            let topics = ["contact \(id)"] + EventCatalog.pathToDelivery.map { "\($0.name.rawValue) \(id)" }

            let plain = try collect(minimal, count: topics.count, of: id)
            #expect(plain.map(\.topic) == topics)
            for event in plain {
                #expect(Set(event.body.keys) == ["seq", "case", "event", "at", "stage", "tasks"], "\(event.text)")
                #expect(!event.text.contains("Ada"), "\(event.text)")
            }
            #expect(plain.last?.body["case"] == .string(id.rawValue))
            #expect(plain.last?.body["stage"] == "delivery")
            // The last step opens the brokerage task (and resolves the one before it).
            guard case .array(let tasks)? = plain.last?.body["tasks"] else { throw TestFailure("no task ids") }
            #expect(tasks.contains(.string(task)))

            let whole = try collect(full, count: topics.count, of: id)
            #expect(whole.map(\.topic) == topics)
            #expect(whole.first?.text.contains("Ada Lovelace") == true)
            #expect(whole.last?.body["stage"] == "delivery")
            #expect(whole.last?.body["case"] == .string(id.rawValue))
            #expect(whole.last?.body["actor"] == "test")
            #expect(whole.last?.body["version"] == .number(Double(topics.count)))
            minimal.close()
            full.close()
        }
    }

    @Test func withoutCurveTheFullStreamNeedsItsExplicitLoopbackOption() async throws {
        var options = fastOptions()
        options.fullEvents = "tcp://127.0.0.1:*"
        let refusal = try #require(options.refusal()?.description)
        #expect(refusal.contains("--events-full-on-loopback"))
        #expect(refusal.contains("--subscribe full"))
        options.fullEventsOnLoopback = true
        #expect(options.refusal()?.description == nil)
        // On another address even the option does not do: that needs CURVE.
        options.fullEvents = "tcp://0.0.0.0:*"
        #expect(options.endpointsNeedingCurve() == ["tcp://0.0.0.0:*"])
    }

    @Test func withCurveEachKeyReadsOnlyTheStreamItsSubscribeAllows() async throws {
        let file = temporaryPath("keys.yaml")
        var keys = try CurveKeyFile.generate(path: file)
        let worker = try keys.admit("brokerage-1", serve: ["brokerage"], subscribe: .none)
        let dashboard = try keys.admit("dashboard", subscribe: .minimal)
        let audit = try keys.admit("audit", subscribe: .full)
        var options = fastOptions()
        options.curve = keys
        options.events = "tcp://127.0.0.1:*"
        options.fullEvents = "tcp://127.0.0.1:*"
        try await withBroker(options: options) { [keys] harness in
            let bound = try #require(await harness.broker.boundEndpoints())
            let (events, full) = (try #require(bound.events), try #require(bound.fullEvents))
            func curve(_ pair: (publicKey: String, secretKey: String)) -> (String, String, String) {
                (keys.serverPublicKey, pair.publicKey, pair.secretKey)
            }
            let listeners = [
                ("worker on events", try subscriber(events, curve: curve(worker))),
                ("worker on full", try subscriber(full, curve: curve(worker))),
                ("dashboard on events", try subscriber(events, curve: curve(dashboard))),
                ("dashboard on full", try subscriber(full, curve: curve(dashboard))),
                ("audit on events", try subscriber(events, curve: curve(audit))),
                ("audit on full", try subscriber(full, curve: curve(audit))),
            ]
            // Those let in hear the warm-ups; those kept out have had as long to hear them, and must hear nothing
            // at all (not even a warm-up).
            let hearing: Set<String> = ["dashboard on events", "audit on events", "audit on full"]
            try #require(try await hear(listeners.filter { hearing.contains($0.0) }.map(\.1), through: harness))
            let (id, _) = try await harness.caseWithABrokerageTask(name: "Ada Lovelace")
            var got: [String: Int] = [:]
            for (name, socket) in listeners {
                let received =
                    hearing.contains(name)
                    ? try collect(socket, count: 7, of: id) : try collect(socket, count: 7, within: 0.5)
                got[name] = received.count
                if name.hasSuffix("on events") {
                    #expect(received.allSatisfy { !$0.text.contains("Ada") })
                }
                if name == "audit on full" {
                    #expect(received.first?.topic == "contact \(id)")
                    #expect(received.first?.text.contains("Ada Lovelace") == true)
                }
                socket.close()
            }
            #expect(
                got == [
                    "worker on events": 0, "worker on full": 0, "dashboard on events": 7, "dashboard on full": 0,
                    "audit on events": 7, "audit on full": 7,
                ])
        }
    }
}
