import CareJourneyWire
import Foundation
import Logging
import Testing

@testable import CareJourneyWorker

/// A worker's session by its rules alone: no sockets, no sleeps, a clock moved by hand (heartbeats of 1 s,
/// liveness 3, reconnecting after 100 ms, doubling up to 400 ms).
@Suite struct WorkerSessionTests {
    let client = bytes("task:C-7#2")
    let ready = MDP.fromWorker(.v02, .ready, service: "brokerage")
    let heartbeat = MDP.fromWorker(.v02, .heartbeat)
    let node1 = "tcp://127.0.0.1:5555"

    func request(_ body: String) -> WorkerSession.Input {
        .received(slot: 0, frames: MDP.request(.v02, client: client, body: [bytes(body)]))
    }

    @Test func theFirstTickConnectsEverySlotAndHeartbeatsGoEachInterval() {
        var probe = SessionProbe(slots: 2)
        #expect(
            probe.advance(0).withoutLogs == [
                .connect(slot: 0, endpoint: node1), .send(slot: 0, frames: ready), .connect(slot: 1, endpoint: node1),
                .send(slot: 1, frames: ready),
            ])
        // Fractions of a second a `Date` holds exactly, so that the deadlines fall where they say.
        #expect(probe.advance(0.75).isEmpty)
        #expect(probe.advance(0.25) == [.send(slot: 0, frames: heartbeat), .send(slot: 1, frames: heartbeat)])
        #expect(probe.session.nextDeadline() == probe.now + 1)
        #expect(probe.session.statistics == MDPWorker.Statistics(requests: 0, replies: 0, connections: 2))
    }

    @Test func aSilentBrokerIsTakenForDeadAndTheWaitBeforeReconnectingDoublesUntilItIsHeard() {
        var probe = SessionProbe()
        probe.advance(0)
        var waits: [Int] = []
        for _ in 0..<4 {
            // Silent for exactly three heartbeats: the connection stands; a moment later it is closed.
            #expect(probe.advance(3).withoutLogs.allSatisfy { $0 == .send(slot: 0, frames: heartbeat) })
            let lost = probe.advance(0.001)
            #expect(lost.withoutLogs == [.close(slot: 0, farewell: nil)])
            #expect(lost.logs.map(\.message) == ["the broker went quiet; reconnecting"])
            let wait = probe.session.nextDeadline().timeIntervalSince(probe.now)
            waits.append(Int((wait * 1000).rounded()))
            #expect(probe.advance(wait * 0.9).isEmpty)
            #expect(
                probe.advance(wait * 0.1 + 0.000_001).withoutLogs == [
                    .connect(slot: 0, endpoint: node1), .send(slot: 0, frames: ready),
                ])
        }
        #expect(waits == [100, 200, 400, 400])
        // Once the broker is heard, the next wait is the first again.
        probe.feed(.received(slot: 0, frames: MDP.heartbeat(.v02)))
        probe.advance(3)
        probe.advance(0.001)
        #expect(Int((probe.session.nextDeadline().timeIntervalSince(probe.now) * 1000).rounded()) == 100)
        #expect(probe.session.statistics.connections == 5)
    }

    @Test func slotsAreSpreadOverTheNodesAndASilentBrokerSendsItsSlotToTheNextNode() {
        let nodes = ["tcp://10.0.0.5:5555", "tcp://10.0.0.6:5555", "tcp://10.0.0.7:5555"]
        var probe = SessionProbe(slots: 4, brokers: nodes)
        #expect(
            probe.advance(0).withoutLogs == [
                .connect(slot: 0, endpoint: nodes[0]), .send(slot: 0, frames: ready),
                .connect(slot: 1, endpoint: nodes[1]), .send(slot: 1, frames: ready),
                .connect(slot: 2, endpoint: nodes[2]), .send(slot: 2, frames: ready),
                .connect(slot: 3, endpoint: nodes[0]), .send(slot: 3, frames: ready),
            ])
        // The first node goes down: its two slots hear nothing more; the others keep hearing their brokers.
        for _ in 0..<3 {
            probe.advance(1)
            probe.feed(.received(slot: 1, frames: MDP.heartbeat(.v02)))
            probe.feed(.received(slot: 2, frames: MDP.heartbeat(.v02)))
        }
        let lost = probe.advance(0.001)
        #expect(lost.withoutLogs == [.close(slot: 0, farewell: nil), .close(slot: 3, farewell: nil)])
        #expect(lost.logs.map(\.message) == ["the broker went quiet; reconnecting"], "one line for the node")
        #expect(
            probe.advance(0.1).withoutLogs == [
                .connect(slot: 0, endpoint: nodes[1]), .send(slot: 0, frames: ready),
                .connect(slot: 3, endpoint: nodes[1]), .send(slot: 3, frames: ready),
            ])
        // The second node answers its three slots once (at 3.101 s), then goes down as well.
        for slot in [0, 1, 3] { probe.feed(.received(slot: slot, frames: MDP.heartbeat(.v02))) }
        for _ in 0..<3 {
            probe.advance(1)
            probe.feed(.received(slot: 2, frames: MDP.heartbeat(.v02)))
        }
        #expect(
            probe.advance(0.2).withoutLogs == [
                .close(slot: 0, farewell: nil), .close(slot: 1, farewell: nil), .close(slot: 3, farewell: nil),
            ])
        #expect(
            connections(probe.advance(0.1)) == [
                .connect(slot: 0, endpoint: nodes[2]), .connect(slot: 1, endpoint: nodes[2]),
                .connect(slot: 3, endpoint: nodes[2]),
            ])
        // Then the third: every slot is lost, and moves on from the last node of the list to the first.
        #expect(probe.advance(3.05).withoutLogs.filter { if case .close = $0 { true } else { false } }.count == 4)
        #expect(
            connections(probe.advance(0.25)) == [
                .connect(slot: 0, endpoint: nodes[0]), .connect(slot: 1, endpoint: nodes[0]),
                .connect(slot: 2, endpoint: nodes[0]), .connect(slot: 3, endpoint: nodes[0]),
            ])
    }

    @Test func aSlotThatMovedGoesBackToItsOwnBrokerWhenIdleAndTriesLessOftenWhileItStaysDown() {
        let nodes = ["tcp://10.0.0.5:5555", "tcp://10.0.0.6:5555"]
        var probe = SessionProbe(brokers: nodes, returnHomeAfter: .seconds(10))
        let disconnect = MDP.fromWorker(.v02, .disconnect)
        probe.advance(0)
        probe.feed(.received(slot: 0, frames: MDP.heartbeat(.v02)))
        // Its own node goes quiet: the slot moves to the other, which takes it.
        probe.advance(3)
        #expect(probe.advance(0.001).withoutLogs == [.close(slot: 0, farewell: nil)])
        #expect(connections(probe.advance(0.1)) == [.connect(slot: 0, endpoint: nodes[1])])
        // A request comes in hand just before the slot is due to go back: it stays until the request is answered.
        for _ in 0..<9 {
            probe.feed(.received(slot: 0, frames: MDP.heartbeat(.v02)))
            #expect(connections(probe.advance(1)).isEmpty)
        }
        probe.feed(request("find a provider"))
        probe.feed(.received(slot: 0, frames: MDP.heartbeat(.v02)))
        #expect(probe.advance(1).withoutLogs == [.send(slot: 0, frames: heartbeat)], "10 s away, a request in hand")
        #expect(probe.session.nextDeadline() > probe.now, "the return waits for the reply; it does not spin")
        // Answered: the slot says DISCONNECT to the other node and connects to its own at once.
        probe.feed(.replied(slot: 0, request: 1, body: [bytes("{}")], final: true))
        let back = probe.advance(0)
        #expect(
            back.withoutLogs == [
                .close(slot: 0, farewell: disconnect), .connect(slot: 0, endpoint: nodes[0]),
                .send(slot: 0, frames: ready),
            ])
        #expect(back.logs.map(\.message).first == "going back to this slot's own broker")
        // Its own node is still down: the slot moves on again, and its next return waits twice as long.
        probe.advance(3.001)
        #expect(connections(probe.advance(0.2)) == [.connect(slot: 0, endpoint: nodes[1])])
        let left = probe.now
        for _ in 0..<19 {
            probe.feed(.received(slot: 0, frames: MDP.heartbeat(.v02)))
            #expect(connections(probe.advance(1)).isEmpty)
        }
        probe.feed(.received(slot: 0, frames: MDP.heartbeat(.v02)))
        #expect(probe.session.nextDeadline() <= left + 20.2)
        #expect(connections(probe.advance(1.3)) == [.connect(slot: 0, endpoint: nodes[0])])
        // Back up: its own node takes it, and the slot stays; the next move would wait the first 10 s again.
        probe.feed(.received(slot: 0, frames: MDP.heartbeat(.v02)))
        for _ in 0..<30 {
            probe.feed(.received(slot: 0, frames: MDP.heartbeat(.v02)))
            #expect(connections(probe.advance(1)).isEmpty)
        }
    }

    @Test func aStoppingWorkerWithASlotDueBackHomeWaitsForItsRequestWithoutSpinning() {
        let nodes = ["tcp://10.0.0.5:5555", "tcp://10.0.0.6:5555"]
        var probe = SessionProbe(slots: 2, brokers: nodes, returnHomeAfter: .seconds(2))
        probe.advance(0)
        probe.feed(.received(slot: 0, frames: MDP.heartbeat(.v02)))
        // Slot 0's node goes quiet; slot 0 moves to the other node, which slot 1 is on.
        for _ in 0..<3 {
            probe.advance(1)
            probe.feed(.received(slot: 1, frames: MDP.heartbeat(.v02)))
        }
        probe.advance(0.001)
        #expect(connections(probe.advance(0.1)) == [.connect(slot: 0, endpoint: nodes[1])])
        // Slot 1 takes a request; the worker is told to stop while slot 0, idle, is due back home.
        probe.feed(.received(slot: 1, frames: MDP.request(.v02, client: client, body: [bytes("{}")])))
        probe.feed(.stop)
        for _ in 0..<3 {
            probe.feed(.received(slot: 0, frames: MDP.heartbeat(.v02)))
            probe.feed(.received(slot: 1, frames: MDP.heartbeat(.v02)))
            #expect(connections(probe.advance(1)).isEmpty, "a stopping worker goes nowhere")
        }
        #expect(probe.session.nextDeadline() > probe.now, "waiting for slot 1's reply, not spinning")
    }

    @Test func withOneBrokerASlotNeverLeavesItsConnectionToGoBack() {
        // The one broker is down for a while: the slot is lost and connects again, always to it, and never says
        // DISCONNECT to go "back" to the broker it is on.
        var probe = SessionProbe(returnHomeAfter: .seconds(1))
        var actions = probe.advance(0)
        for _ in 0..<200 { actions += probe.advance(0.1) }
        #expect(actions.contains(.close(slot: 0, farewell: nil)), "lost while the broker is silent")
        #expect(!actions.contains(.close(slot: 0, farewell: MDP.fromWorker(.v02, .disconnect))))
        #expect(connections(actions).allSatisfy { $0 == .connect(slot: 0, endpoint: node1) })
    }

    /// The connections among `actions`.
    private func connections(_ actions: [WorkerSession.Action]) -> [WorkerSession.Action] {
        actions.filter { if case .connect = $0 { true } else { false } }
    }

    @Test func aBrokerThatSaysDisconnectIsAliveAndItsSlotConnectsToItAgain() {
        let nodes = ["tcp://10.0.0.5:5555", "tcp://10.0.0.6:5555"]
        var probe = SessionProbe(brokers: nodes)
        probe.advance(0)
        probe.feed(.received(slot: 0, frames: MDP.heartbeat(.v02)))
        let told = probe.feed(.received(slot: 0, frames: MDP.disconnect(.v02)))
        #expect(told.logs.map(\.message) == ["the broker asked this worker to reconnect"])
        #expect(probe.advance(0).withoutLogs == [.close(slot: 0, farewell: nil)])
        #expect(
            probe.advance(0.1).withoutLogs == [.connect(slot: 0, endpoint: nodes[0]), .send(slot: 0, frames: ready)])
    }

    /// A broker that says DISCONNECT before any heartbeat turned the worker away (a service it does not serve, a key it
    /// does not admit): the slot tries the next broker, and the wait doubles as for a silent one, instead of saying
    /// READY to the same broker every 100 ms for ever.
    @Test func aBrokerThatTurnsTheWorkerAwayIsLeftForTheNextAndTheWaitDoubles() {
        let nodes = ["tcp://10.0.0.5:5555", "tcp://10.0.0.6:5555"]
        var probe = SessionProbe(brokers: nodes)
        probe.advance(0)
        var tried: [String] = []
        var waits: [Int] = []
        // Three times (within the first heartbeat interval, so that the next deadline is the reconnection's).
        for _ in 0..<3 {
            #expect(probe.feed(.received(slot: 0, frames: MDP.disconnect(.v02))).isEmpty)
            let turnedAway = probe.advance(0)
            #expect(turnedAway.withoutLogs == [.close(slot: 0, farewell: nil)])
            #expect(turnedAway.logs.map(\.level) == [.warning])
            #expect(turnedAway.logs.first?.message.contains("turned this worker away") == true)
            let wait = probe.session.nextDeadline().timeIntervalSince(probe.now)
            waits.append(Int((wait * 1000).rounded()))
            for action in probe.advance(wait + 0.000_001) {
                if case .connect(_, let endpoint) = action { tried.append(endpoint) }
            }
        }
        #expect(tried == [nodes[1], nodes[0], nodes[1]])
        #expect(waits == [100, 200, 400])
        // Taken at last: the next loss waits the first wait again.
        probe.feed(.received(slot: 0, frames: MDP.heartbeat(.v02)))
        probe.feed(.received(slot: 0, frames: MDP.disconnect(.v02)))
        probe.advance(0)
        #expect(Int((probe.session.nextDeadline().timeIntervalSince(probe.now) * 1000).rounded()) == 100)
    }

    @Test func aRequestInHandGetsItsProgressAndOneFinalReplyAndLateRepliesAreDropped() {
        var probe = SessionProbe()
        probe.advance(0)
        #expect(
            probe.feed(request("find a provider")) == [.answer(slot: 0, request: 1, body: [bytes("find a provider")])])
        // Another request while it is in hand breaks the protocol: dropped (the broker will lease it again).
        let second = probe.feed(request("another"))
        #expect(second.withoutLogs.isEmpty)
        #expect(second.logs.map(\.level) == [.warning])
        #expect(
            probe.feed(.replied(slot: 0, request: 1, body: [bytes("matching")], final: false)) == [
                .send(slot: 0, frames: MDP.fromWorker(.v02, .partial, client: client, body: [bytes("matching")]))
            ])
        #expect(
            probe.feed(.replied(slot: 0, request: 1, body: [bytes("found")], final: true)) == [
                .send(slot: 0, frames: MDP.fromWorker(.v02, .final, client: client, body: [bytes("found")]))
            ])
        // A second final reply, or progress after the final one, is not the broker's business.
        #expect(probe.feed(.replied(slot: 0, request: 1, body: [bytes("again")], final: true)).withoutLogs.isEmpty)
        #expect(probe.feed(.replied(slot: 0, request: 1, body: [bytes("late")], final: false)).withoutLogs.isEmpty)
        #expect(probe.session.statistics == MDPWorker.Statistics(requests: 1, replies: 1, connections: 1))
        // The next request is the next number.
        #expect(probe.feed(request("next")) == [.answer(slot: 0, request: 2, body: [bytes("next")])])
    }

    @Test func underMDP01ProgressIsNotSentAndTheFinalReplyIsAREPLY() {
        var probe = SessionProbe(version: .v01)
        #expect(
            probe.advance(0).withoutLogs.last
                == .send(slot: 0, frames: MDP.fromWorker(.v01, .ready, service: "brokerage")))
        probe.feed(.received(slot: 0, frames: MDP.request(.v01, client: client, body: [bytes("x")])))
        #expect(probe.feed(.replied(slot: 0, request: 1, body: [bytes("progress")], final: false)).isEmpty)
        #expect(
            probe.feed(.replied(slot: 0, request: 1, body: [bytes("done")], final: true)) == [
                .send(slot: 0, frames: [[], bytes("MDPW01"), [0x03], client, [], bytes("done")])
            ])
    }

    @Test func aReplyFinishedAfterItsConnectionWasReplacedIsDroppedNotSentOnTheNewOne() {
        var probe = SessionProbe()
        probe.advance(0)
        probe.feed(request("slow work"))
        probe.advance(3)
        #expect(probe.advance(0.001).withoutLogs == [.close(slot: 0, farewell: nil)])
        #expect(probe.advance(0.1).withoutLogs == [.connect(slot: 0, endpoint: node1), .send(slot: 0, frames: ready)])
        // The new connection takes a request at once: nothing of the old one is in hand.
        #expect(probe.feed(request("fresh")) == [.answer(slot: 0, request: 2, body: [bytes("fresh")])])
        // The old request's reply, finished now, is not taken for the new one's.
        #expect(probe.feed(.replied(slot: 0, request: 1, body: [bytes("too late")], final: true)).withoutLogs.isEmpty)
        #expect(probe.session.statistics == MDPWorker.Statistics(requests: 2, replies: 0, connections: 2))
        #expect(probe.feed(.replied(slot: 0, request: 2, body: [bytes("fresh")], final: true)).withoutLogs.count == 1)
    }

    @Test func theBrokersDisconnectMakesTheWorkerReconnectAfterTheFirstWaitWithoutAWarning() {
        var probe = SessionProbe()
        probe.advance(0)
        // The broker had taken the worker (a heartbeat came): its DISCONNECT means it forgot it (a restart, say).
        probe.feed(.received(slot: 0, frames: MDP.heartbeat(.v02)))
        let told = probe.feed(.received(slot: 0, frames: MDP.disconnect(.v02)))
        #expect(told.withoutLogs.isEmpty)
        #expect(told.logs.map(\.level) == [.info])
        #expect(probe.session.nextDeadline() == .distantPast)
        #expect(probe.advance(0) == [.close(slot: 0, farewell: nil)])
        #expect(probe.advance(0.1).withoutLogs == [.connect(slot: 0, endpoint: node1), .send(slot: 0, frames: ready)])
    }

    @Test func aGracefulStopFinishesTheRequestInHandThenSaysDisconnectOnEveryConnection() {
        var probe = SessionProbe(slots: 2)
        probe.advance(0)
        probe.feed(request("in hand"))
        #expect(probe.feed(.stop).isEmpty)
        // No new request is taken; heartbeats go on, so that the broker keeps the busy worker.
        let refused = probe.feed(.received(slot: 1, frames: MDP.request(.v02, client: [9], body: [bytes("new")])))
        #expect(refused.withoutLogs.isEmpty)
        #expect(probe.advance(1).count == 2)
        let disconnect = MDP.fromWorker(.v02, .disconnect)
        #expect(
            probe.feed(.replied(slot: 0, request: 1, body: [bytes("done")], final: true)) == [
                .send(slot: 0, frames: MDP.fromWorker(.v02, .final, client: client, body: [bytes("done")])),
                .close(slot: 0, farewell: disconnect), .close(slot: 1, farewell: disconnect), .finish,
            ])
        #expect(probe.feed(.tick).isEmpty)
        #expect(probe.session.nextDeadline() == .distantFuture)
    }

    @Test func aStopWithNothingInHandFinishesAtOnceAndASlotWaitingToReconnectHasNothingToClose() {
        var probe = SessionProbe(slots: 2)
        probe.advance(0)
        probe.feed(.received(slot: 1, frames: MDP.disconnect(.v02)))
        probe.advance(0)
        #expect(
            probe.feed(.stop) == [.close(slot: 0, farewell: MDP.fromWorker(.v02, .disconnect)), .finish])
    }

    @Test func aMalformedMessageIsLoggedAndDroppedAndStillCountsAsHearingTheBroker() {
        var probe = SessionProbe()
        probe.advance(0)
        probe.advance(2)
        let malformed = probe.feed(.received(slot: 0, frames: [bytes("MDPW02"), [0x09]]))
        #expect(malformed.withoutLogs.isEmpty)
        #expect(malformed.logs.first?.message.hasPrefix("dropped a malformed message from the broker") == true)
        // Heard at 2 s, the broker is not taken for dead at 4 s.
        #expect(probe.advance(2).withoutLogs == [.send(slot: 0, frames: heartbeat)])
    }
}

/// A worker's session with no sockets, on a clock the test moves by hand.
struct SessionProbe {
    var session: WorkerSession
    private(set) var now = Date(timeIntervalSince1970: 1_800_000_000)

    init(
        slots: Int = 1, version: MDP.Version = .v02, brokers: [String] = ["tcp://127.0.0.1:5555"],
        returnHomeAfter: Duration = .seconds(60)
    ) {
        let options = WorkerOptions(
            brokers: brokers, service: "brokerage", version: version, heartbeat: .seconds(1),
            liveness: 3, reconnectDelay: .milliseconds(100), maxReconnectDelay: .milliseconds(400),
            returnHomeAfter: returnHomeAfter, slots: slots)
        session = WorkerSession(options: options, now: now)
    }

    /// The session's answer to one input now.
    @discardableResult
    mutating func feed(_ input: WorkerSession.Input) -> [WorkerSession.Action] {
        var actions: [WorkerSession.Action] = []
        session.on(input, now: now, into: &actions)
        return actions
    }

    /// Moves the clock on and lets the session act on it.
    @discardableResult
    mutating func advance(_ seconds: Double) -> [WorkerSession.Action] {
        now += seconds
        return feed(.tick)
    }
}

extension [WorkerSession.Action] {
    /// Everything but the log lines.
    var withoutLogs: [WorkerSession.Action] {
        filter { if case .log = $0 { false } else { true } }
    }

    /// The log lines.
    var logs: [(level: Logger.Level, message: String)] {
        compactMap { if case .log(let level, let message, _) = $0 { (level, message) } else { nil } }
    }
}
