import CareJourneyBroker
import CareJourneyCore
import CareJourneyFiles
import CareJourneyKit
import CareJourneyStore
import CareJourneyWire
import CareJourneyWorker
import Foundation
import Testing
import CareJourneyTestSupport
import ZeroMQ

/// The broker as a Majordomo broker for any client and worker, and what it does with bad traffic.
@Suite(.serialized) struct ProtocolTests {
    @Test func clientsOfEitherVersionReachWorkersOfEitherVersionAndMMIAnswers() async throws {
        // Slow heartbeats: the raw worker here does not send its own. Without CURVE, the service must be a policy
        // queue ("advocacy"); this test makes no advocacy tasks, so only the client's request reaches the worker.
        try await withBroker(options: fastOptions(heartbeat: .seconds(10))) { harness in
            let client01 = try RawPeer(harness.endpoint)
            // MDP/0.1 client (as a DEALER it sends the empty frame a REQ socket would add).
            try client01.send(["", "MDPC01", "mmi.service", "advocacy"])
            #expect(try client01.receive()?.map { String($0) } == ["", "MDPC01", "mmi.service", "404"])

            let worker = try RawPeer(harness.endpoint)
            try worker.send(["", "MDPW01", "\u{01}", "advocacy"])
            #expect(try await harness.eventually { harness.broker.snapshot.queues["advocacy"]?.workers == 1 })
            try client01.send(["", "MDPC01", "mmi.service", "advocacy"])
            #expect(try client01.receive()?.map { String($0) } == ["", "MDPC01", "mmi.service", "200"])
            try client01.send(["", "MDPC01", "mmi.nothing", "x"])
            #expect(try client01.receive()?.map { String($0) } == ["", "MDPC01", "mmi.nothing", "501"])

            // An MDP/0.2 client calls the MDP/0.1 worker; the reply comes back as a FINAL.
            let client02 = try RawPeer(harness.endpoint)
            try client02.send(MDP.fromClient(.v02, service: "advocacy", body: [Array("hello".utf8)]))
            let request = try #require(try worker.receive())
            try #require(request.count == 6)
            #expect(request.map { String($0) }.prefix(3) == ["", "MDPW01", "\u{02}"])
            #expect(String(request.last!) == "hello")
            try worker.send(MDP.fromWorker(.v01, .final, client: request[3], body: [Array("hello back".utf8)]))
            let reply = try #require(try client02.receive())
            #expect(reply.map { String($0) } == ["MDPC02", "\u{03}", "advocacy", "hello back"])
        }
    }

    @Test func malformedTrafficIsDroppedAndTheBrokerKeepsServing() async throws {
        // Slow heartbeats: the raw worker here does not send its own (with the usual 300 ms window, a slow moment
        // between its READY and its reply dropped it, and the reply counted as a second unknown worker's).
        try await withBroker(options: fastOptions(heartbeat: .seconds(10))) { harness in
            let peer = try RawPeer(harness.endpoint)
            let cases: [(String, [[UInt8]])] = [
                ("wrong header", [[], Array("MDPX01".utf8), [0x01], Array("brokerage".utf8)]),
                ("missing frame", [Array("MDPW02".utf8)]),
                ("READY without a service", [Array("MDPW02".utf8), [0x01]]),
                ("unknown command", [Array("MDPW02".utf8), [0x09]]),
                ("a request without a service", [Array("MDPC02".utf8), [0x01]]),
                ("an empty message", [[]]),
                (
                    "oversized",
                    [Array("MDPC02".utf8), [0x01], Array("echo".utf8), [UInt8](repeating: 7, count: 2 << 20)]
                ),
            ]
            for (_, frames) in cases { try peer.send(frames) }
            // A reply from a worker that never said READY.
            let stranger = try RawPeer(harness.endpoint)
            try stranger.send(MDP.fromWorker(.v02, .final, client: Array("C-1".utf8), body: [Array("{}".utf8)]))
            #expect(MDP.parseForWorker(try #require(try stranger.receive()), version: .v02) == .success(.disconnect))

            // Still serving: MMI answers, and a worker completes a task.
            let client = try RawPeer(harness.endpoint)
            try client.send(MDP.fromClient(.v02, service: "mmi.service", body: [Array("brokerage".utf8)]))
            #expect(try client.receive()?.last.map { String($0) } == "404")
            let (_, task) = try await harness.caseWithABrokerageTask()
            let worker = try RawPeer(harness.endpoint)
            try worker.send(MDP.fromWorker(.v02, .ready, service: "brokerage"))
            let request = try #require(try worker.receive())
            try worker.send(
                MDP.fromWorker(
                    .v02, .final, client: request[2],
                    body: [
                        TaskReply(task: task, data: ["provider": "Sunrise Home Care", "weeklyCost": 215.5]).encoded()
                    ]))
            #expect(try await harness.eventually { try await harness.status(of: task) == "completed" })
            #expect(
                try await harness.eventually {
                    let dropped = harness.broker.snapshot.dropped
                    return dropped["malformed", default: 0] >= 5 && dropped["unknown worker"] == 1
                        && dropped["oversized"] == 1
                }, "\(harness.broker.snapshot.dropped)")
        }
    }

    @Test func aReplyTheCaseRefusesMarksTheTaskFailedUntilTheOperationsTeamRetriesIt() async throws {
        // The raw worker sends no heartbeats: a liveness of seconds, not the fast one, keeps it from being taken for
        // dead while the store is verified on a busy machine.
        let store = try await withBroker(options: fastOptions(heartbeat: .seconds(5))) { harness in
            let (id, task) = try await harness.caseWithABrokerageTask()
            let worker = try RawPeer(harness.endpoint)
            try worker.send(MDP.fromWorker(.v02, .ready, service: "brokerage"))
            let request = try #require(try worker.receive())
            // provider-found needs a provider and a weekly cost.
            try worker.send(
                MDP.fromWorker(.v02, .final, client: request[2], body: [TaskReply(task: task, data: [:]).encoded()]))
            #expect(try await harness.eventually { try await harness.status(of: task) == "failed" })
            #expect(try await harness.verify().isClean, "a failed task is still open in its case")

            // The operations team retries it: it is open again, offered anew, and this time answered.
            let retry = try Event(name: "retry-task", data: ["task": .string(task)])
            let retried = try await harness.engine.apply(
                Command(caseID: id, event: retry, actor: "tm.ali", reason: "provider list fixed", at: Date()))
            guard case .applied = retried else { throw TestFailure("retry-task was not applied: \(retried)") }
            let again = try #require(try worker.receive())
            #expect(try TaskRequest.decode(again[4]).attempt == 1, "a retried task counts its attempts from zero")
            let found = TaskReply(task: task, data: ["provider": "Sunrise Home Care", "weeklyCost": 215.5])
            try worker.send(MDP.fromWorker(.v02, .final, client: again[2], body: [found.encoded()]))
            #expect(try await harness.eventually { try await harness.status(of: task) == "completed" })
            #expect(try await harness.count("provider-found", in: id) == 1)
            return harness.testStore
        }
        #expect(try await store.verify().isClean)
    }

    @Test func onlyListedCurveKeysAreAdmittedEachForItsOwnServices() async throws {
        // The key file as `carejourney keys init` and `keys admit` write it, read back as `serve` reads it.
        let file = temporaryPath("keys.yaml")
        var generated = try CurveKeyFile.generate(path: file)
        let listed = try generated.admit("brokerage-1", serve: ["brokerage"])
        #expect(throws: FileError.self) { try generated.admit("brokerage-1") }
        try OwnerOnlyFile.write(generated.text, to: file)
        let keys = try CurveKeyFile.load(file)
        #expect(keys == generated)
        let server = (publicKey: keys.serverPublicKey, secretKey: keys.serverSecretKey)
        let stranger = try ZMQCurve.keyPair()
        // Heartbeats of a second on both sides (a worker taken for dead after three): a slow moment does not drop the
        // worker and make it shake hands again.
        var options = fastOptions(heartbeat: .seconds(1))
        options.curve = keys
        try await withBroker(options: options) { harness in

            // An unlisted key is refused at the handshake: READY never registers.
            let refused = try RawPeer(
                harness.endpoint, curve: (server.publicKey, stranger.publicKey, stranger.secretKey))
            try refused.send(MDP.fromWorker(.v02, .ready, service: "brokerage"))
            #expect(try refused.receive(within: 0.5) == nil)
            #expect(harness.broker.snapshot.workers.isEmpty)

            // A listed key may serve its own service, not another.
            let elsewhere = try RawPeer(harness.endpoint, curve: (server.publicKey, listed.publicKey, listed.secretKey))
            try elsewhere.send(MDP.fromWorker(.v02, .ready, service: "advocacy"))
            #expect(MDP.parseForWorker(try #require(try elsewhere.receive()), version: .v02) == .success(.disconnect))

            let (_, task) = try await harness.caseWithABrokerageTask()
            let sdk = TaskWorker(
                options: WorkerOptions(
                    brokers: [harness.endpoint], service: "brokerage", heartbeat: .seconds(1),
                    curve: CurveClientKeys(
                        serverPublicKey: server.publicKey, publicKey: listed.publicKey, secretKey: listed.secretKey))
            ) { _, _ in .done(["provider": "Sunrise Home Care", "weeklyCost": 215.5]) }
            try await withRunning(sdk) { () async throws in
                #expect(try await harness.eventually { try await harness.status(of: task) == "completed" })
                #expect(try await harness.eventually { harness.broker.snapshot.workers.map(\.name) == ["brokerage-1"] })
            }
        }
    }

    @Test func withoutCurveTheBrokerRefusesToBindBeyondLoopback() async throws {
        let options = BrokerOptions(endpoint: "tcp://0.0.0.0:*", events: nil)
        #expect(options.endpointsNeedingCurve() == ["tcp://0.0.0.0:*"])
        #expect(
            BrokerOptions(endpoint: "tcp://127.0.0.1:5555", events: "tcp://127.0.0.1:5556").endpointsNeedingCurve()
                .isEmpty)
    }
}
