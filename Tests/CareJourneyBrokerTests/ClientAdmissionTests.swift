import CareJourneyWire
import Foundation
import Testing

@testable import CareJourneyBroker

/// Who may call and serve what, by the broker's rules alone (no sockets).
@Suite struct ClientAdmissionTests {
    let worker: [UInt8] = [0, 1]
    let desk: [UInt8] = [0, 2]
    let other: [UInt8] = [0, 3]

    @Test func withCurveAClientCallsOnlyTheServicesItsKeyListsUnderCall() {
        let probe = RoutingProbe(
            curve: keyFile([
                .init(name: "brokerage-1", serve: ["brokerage"]), .init(name: "desk", call: ["brokerage"]),
                .init(name: "advocacy-1", serve: ["advocacy"], call: ["advocacy"]),
            ]))
        probe.send(MDP.fromWorker(.v02, .ready, service: "brokerage"), from: worker, user: "brokerage-1")
        // A key admitted to serve brokerage may not call it; nor may a key that calls only advocacy.
        for (identity, user) in [(worker, "brokerage-1"), (other, "advocacy-1")] {
            let actions = probe.send(
                MDP.fromClient(.v02, service: "brokerage", body: [bytes("hello")]), from: identity, user: user)
            #expect(RoutingProbe.sent(to: worker, in: actions).isEmpty)
        }
        #expect(probe.dropped["client not admitted"] == 2)
        #expect(probe.holdings.requests == 0)
        // The key listed under call reaches the worker.
        let actions = probe.send(
            MDP.fromClient(.v02, service: "brokerage", body: [bytes("hello")]), from: desk, user: "desk")
        #expect(RoutingProbe.sent(to: worker, in: actions) == [MDP.request(.v02, client: desk, body: [bytes("hello")])])
        // MMI answers a client only about services it may call.
        let asked = probe.send(
            MDP.fromClient(.v02, service: "mmi.service", body: [bytes("brokerage")]), from: desk, user: "desk")
        #expect(RoutingProbe.sent(to: desk, in: asked).first?.last == bytes("200"))
        let nosy = probe.send(
            MDP.fromClient(.v02, service: "mmi.service", body: [bytes("brokerage")]), from: other, user: "advocacy-1")
        #expect(RoutingProbe.sent(to: other, in: nosy).first?.last == bytes("404"))
    }

    @Test func withCurveAWorkerServesOnlyTheServicesItsKeyListsUnderServe() {
        let probe = RoutingProbe(curve: keyFile([.init(name: "desk", call: ["brokerage"])]))
        let actions = probe.send(MDP.fromWorker(.v02, .ready, service: "brokerage"), from: desk, user: "desk")
        #expect(RoutingProbe.sent(to: desk, in: actions) == [MDP.disconnect(.v02)])
        #expect(probe.dropped["service not allowed"] == 1)
        #expect(probe.holdings.workers == 0)
    }

    @Test func withoutCurvePeersServeAndCallThePolicysQueuesOnly() {
        let probe = RoutingProbe(policyQueues: ["brokerage"])
        probe.send(MDP.fromWorker(.v02, .ready, service: "brokerage"), from: worker)
        let actions = probe.send(MDP.fromClient(.v01, service: "brokerage", body: [bytes("hi")]), from: desk)
        #expect(RoutingProbe.sent(to: worker, in: actions).count == 1)
        let refused = probe.send(MDP.fromWorker(.v02, .ready, service: "echo"), from: other)
        #expect(RoutingProbe.sent(to: other, in: refused) == [MDP.disconnect(.v02)])
        probe.send(MDP.fromClient(.v01, service: "echo", body: [bytes("hi")]), from: desk)
        #expect(probe.dropped["unknown service"] == 2)
        #expect(probe.routing.snapshot().queues.keys.sorted() == ["brokerage"])
    }

    @Test func requestsForUnknownServicesNeverMakeQueuesAndTheSnapshotNamesOnlyAdmittedServices() {
        let probe = RoutingProbe(
            policyQueues: ["brokerage"], curve: keyFile([.init(name: "desk", call: ["brokerage", "echo"])]))
        for n in 0..<10_000 {
            probe.send(MDP.fromClient(.v02, service: "made-up-\(n)", body: [bytes("x")]), from: desk, user: "desk")
            probe.send(MDP.fromWorker(.v02, .ready, service: "made-up-\(n)"), from: [1] + bytes("\(n)"), user: "desk")
        }
        #expect(probe.dropped["unknown service"] == 20_000)
        #expect(probe.holdings.queues == 0)
        probe.send(MDP.fromClient(.v02, service: "echo", body: [bytes("x")]), from: desk, user: "desk")
        #expect(probe.holdings.queues == 1)
        #expect(Set(probe.routing.snapshot().queues.keys).isSubset(of: ["brokerage", "echo"]))
    }
}

/// What peers can make the broker hold, and how long, by its rules alone (no sockets).
@Suite struct BrokerLimitsTests {
    @Test func waitingRequestsAreCappedByCountAndBytesInAllAndPerPeer() {
        let limits = BrokerOptions.Limits(
            waitingRequests: 5, waitingBytes: 800, waitingRequestsPerPeer: 3, waitingBytesPerPeer: 500)
        let probe = RoutingProbe(
            curve: keyFile([
                .init(name: "a", call: ["brokerage"]), .init(name: "b", call: ["brokerage"]),
                .init(name: "c", call: ["brokerage"]), .init(name: "w", serve: ["brokerage"]),
            ]), limits: limits)
        func request(_ user: String, size: Int) {
            probe.send(
                MDP.fromClient(.v02, service: "brokerage", body: [[UInt8](repeating: 1, count: size)]),
                from: bytes(user), user: user)
        }
        for _ in 0..<4 { request("a", size: 10) }
        #expect(probe.dropped["too many waiting requests from one peer"] == 1)
        request("b", size: 600)
        #expect(probe.dropped["too many waiting bytes from one peer"] == 1)
        request("b", size: 400)
        request("c", size: 400)
        #expect(probe.dropped["too many waiting bytes"] == 1)
        request("c", size: 10)
        request("c", size: 10)
        #expect(probe.dropped["too many waiting requests"] == 1)
        #expect(probe.holdings.requests == 5)
        #expect(probe.holdings.requestBytes == 30 + 400 + 10)
        // A worker takes the first: its room is given back, and the peer may ask again.
        probe.send(MDP.fromWorker(.v02, .ready, service: "brokerage"), from: bytes("w"), user: "w")
        #expect(probe.holdings.requests == 4)
        #expect(probe.holdings.requestBytes == 20 + 400 + 10)
        request("a", size: 10)
        #expect(probe.holdings.requests == 5)
        #expect(probe.dropped["too many waiting requests from one peer"] == 1)
    }

    @Test func waitingRequestsExpireAndTheEmptyQueueDisappears() {
        let probe = RoutingProbe(limits: .init(requestTimeout: .seconds(10)))
        for n in 0..<100 {
            probe.send(MDP.fromClient(.v02, service: "brokerage", body: [bytes("x")]), from: [UInt8(n)])
        }
        #expect(probe.holdings.requests == 100)
        #expect(probe.holdings.queues == 1)
        probe.advance(9)
        #expect(probe.holdings.requests == 100)
        probe.advance(2)
        #expect(probe.dropped["request expired"] == 100)
        #expect(probe.holdings == (queues: 0, workers: 0, requests: 0, requestBytes: 0, peers: 0, tasks: 0))
        #expect(probe.routing.snapshot().queues["brokerage"]?.waitingRequests == 0, "still shown, with zeros")
    }

    @Test func aWorkerTakesRequestsAndTasksInTurn() {
        let probe = RoutingProbe()
        probe.send(MDP.fromClient(.v02, service: "brokerage", body: [bytes("first")]), from: [7])
        probe.send(MDP.fromClient(.v02, service: "brokerage", body: [bytes("second")]), from: [7])
        let worker: [UInt8] = [1]
        let first = probe.send(MDP.fromWorker(.v02, .ready, service: "brokerage"), from: worker)
        #expect(RoutingProbe.sent(to: worker, in: first).first?.last == bytes("first"))
        #expect(probe.holdings.requests == 1)
        #expect(probe.holdings.peers == 1)
    }

    @Test func readyFloodsFromFreshIdentitiesAreCappedAndSilentWorkersExpire() {
        let probe = RoutingProbe(limits: .init(workers: 150, workersPerService: 100))
        var refused = 0
        for n in 0..<1000 {
            let identity = bytes("flood-\(n)")
            let actions = probe.send(
                MDP.fromWorker(.v02, .ready, service: n < 500 ? "brokerage" : "advocacy"), from: identity)
            refused += RoutingProbe.sent(to: identity, in: actions).filter { $0 == MDP.disconnect(.v02) }.count
        }
        #expect(probe.holdings.workers == 150)
        #expect(refused == 850)
        #expect(probe.dropped["too many workers for one service"] ?? 0 > 0)
        #expect(probe.dropped["too many workers"] ?? 0 > 0)
        #expect(probe.routing.snapshot().queues["brokerage"]?.workers == 100)
        // Silent for three heartbeats of 1 s: all taken for dead, and their queues gone.
        probe.advance(3.5)
        #expect(probe.holdings == (queues: 0, workers: 0, requests: 0, requestBytes: 0, peers: 0, tasks: 0))
    }
}
