import CareJourneyCore
import CareJourneyStore
import CareJourneyWire
import Foundation
import Testing

@testable import CareJourneyBroker

/// Leases, redelivery, heartbeats and replies by the broker's rules alone: no sockets, no sleeps, a clock moved by
/// hand (heartbeats of 1 s, liveness 3).
@Suite struct BrokerRoutingTests {
    let task = QueuedTask(
        task: CareTask(
            id: TaskID(caseID: "C-7", number: 2), kind: .findProvider, queue: "brokerage",
            createdAt: Date(timeIntervalSince1970: 1_800_000_000)),
        brief: TaskBrief(due: nil, fields: [:]), attempts: 0)
    let address = bytes("task:C-7#2")
    let ready = MDP.fromWorker(.v02, .ready, service: "brokerage")
    let heartbeat = MDP.fromWorker(.v02, .heartbeat)

    func final(_ reply: TaskReply) -> [[UInt8]] {
        MDP.fromWorker(.v02, .final, client: address, body: [reply.encoded()])
    }

    let found = TaskReply(task: "C-7#2", data: ["provider": "Sunrise Home Care", "weeklyCost": 215.5])

    @Test func aLeaseThatRunsOutOffersTheTaskAgainAndTheLateReplyIsDropped() throws {
        let probe = RoutingProbe(lease: .seconds(5))
        let (slow, quick): ([UInt8], [UInt8]) = ([1], [2])
        probe.feed(.taskReady(task))
        let first = probe.send(ready, from: slow)
        #expect(try attempts(sentTo: slow, in: first) == [1])
        #expect(probe.routing.snapshot().workers.first?.leaseExpires == probe.now + 5)
        // The slow worker heartbeats, so it stays alive, but it holds the task to the end of its lease…
        let held = probe.advance(5, heartbeatsFrom: [slow])
        #expect(RoutingProbe.notes(in: held).isEmpty)
        // …and just past it the task is ready again, at the front of its queue, for the next worker.
        let lapsed = probe.advance(0.001)
        #expect(
            RoutingProbe.notes(in: lapsed) == [
                .released(task: "C-7#2", attempts: 1, reason: "the lease of worker 0x01 ran out")
            ])
        #expect(probe.routing.snapshot().queues["brokerage"]?.waitingTasks == 1)
        let second = probe.send(ready, from: quick)
        #expect(try attempts(sentTo: quick, in: second) == [2])

        let late = probe.send(final(found), from: slow)
        #expect(RoutingProbe.completions(in: late).isEmpty)
        #expect(probe.dropped["late reply"] == 1)
        let done = probe.send(final(found), from: quick)
        #expect(RoutingProbe.completions(in: done).map(\.worker) == ["0x02"])
        #expect(RoutingProbe.completions(in: done).map(\.queued.attempts) == [2])
    }

    @Test func aServiceReadToTheEndLooksInTheStoreAgainOnlyWhenToldItMayHoldMore() {
        let probe = RoutingProbe()
        let worker: [UInt8] = [1]
        func loads(_ actions: [BrokerRouting.Action]) -> [String] {
            actions.compactMap { if case .load(let service, _) = $0 { service } else { nil } }
        }
        // A worker's READY reads the store's backlog once; the probe's store is empty, so the service is read out.
        #expect(loads(probe.send(ready, from: worker)) == ["brokerage"])
        #expect(loads(probe.advance(60, heartbeatsFrom: [worker])).isEmpty, "time alone never reads it again")
        // Another node died and its leases ran out: the store may hold its tasks now.
        #expect(loads(probe.feed(.storeMayHaveMore)) == ["brokerage"])
        #expect(loads(probe.feed(.tick)).isEmpty, "once, until told again")
    }

    @Test func aWorkerSilentForThreeHeartbeatsIsRemovedAndItsTaskRedelivered() throws {
        let probe = RoutingProbe()
        let (dead, next): ([UInt8], [UInt8]) = ([1], [2])
        probe.feed(.taskReady(task))
        #expect(try attempts(sentTo: dead, in: probe.send(ready, from: dead)) == [1])
        #expect(probe.routing.nextDeadline() == probe.now + 1, "the first heartbeat, before its expiry (3 s)")
        // Silent for exactly three heartbeats: still registered; a moment later, gone.
        probe.advance(3)
        #expect(probe.holdings.workers == 1)
        let removed = probe.advance(0.001)
        #expect(RoutingProbe.sent(to: dead, in: removed).contains(MDP.disconnect(.v02)))
        #expect(
            RoutingProbe.notes(in: removed) == [
                .released(task: "C-7#2", attempts: 1, reason: "worker 0x01: no heartbeat for 3 intervals")
            ])
        #expect(probe.holdings.workers == 0)
        #expect(try attempts(sentTo: next, in: probe.send(ready, from: next)) == [2])
        // Its heartbeat now counts for nothing: it is told to reconnect.
        #expect(RoutingProbe.sent(to: dead, in: probe.send(heartbeat, from: dead)) == [MDP.disconnect(.v02)])
    }

    @Test func heartbeatsGoToEveryWorkerEachIntervalInItsOwnVersionAndAnyMessageKeepsAWorkerAlive() {
        let probe = RoutingProbe()
        let (old, new): ([UInt8], [UInt8]) = ([1], [2])
        probe.send(MDP.fromWorker(.v01, .ready, service: "brokerage"), from: old)
        probe.send(ready, from: new)
        // Fractions of a second a `Date` holds exactly, so that the deadlines fall where they say.
        #expect(probe.advance(0.75).isEmpty)
        let beats = probe.advance(0.25)
        #expect(RoutingProbe.sent(to: old, in: beats) == [MDP.heartbeat(.v01)])
        #expect(RoutingProbe.sent(to: new, in: beats) == [MDP.heartbeat(.v02)])
        #expect(RoutingProbe.sent(to: new, in: probe.advance(0.5)).isEmpty)
        #expect(RoutingProbe.sent(to: new, in: probe.advance(0.5)) == [MDP.heartbeat(.v02)])
        // The new worker is heard at 2.5 s, the old one never again: at 3 s both are still there, a moment later
        // only the new one.
        probe.advance(0.5)
        probe.send(heartbeat, from: new)
        probe.advance(0.5)
        #expect(probe.holdings.workers == 2)
        probe.advance(0.125)
        #expect(probe.routing.snapshot().workers.map(\.name) == ["0x02"])
        #expect(probe.routing.snapshot().workers.first?.lastHeard == probe.now - 0.625)
        #expect(probe.routing.nextDeadline() == probe.now + 0.875, "the next heartbeat, at 4 s")
    }

    @Test func aTaskThatCrossedAWorkersDisconnectGoesBackWithoutTheAttemptCountedAndALaterOneCounts() throws {
        let probe = RoutingProbe(maxAttempts: 2)
        let disconnect = MDP.fromWorker(.v02, .disconnect)
        let (leaving, next, keeper): ([UInt8], [UInt8], [UInt8]) = ([1], [2], [3])
        probe.feed(.taskReady(task))
        // Sent to a worker whose DISCONNECT (it goes back to its own node) was already on the wire.
        #expect(try attempts(sentTo: leaving, in: probe.send(ready, from: leaving)) == [1])
        let crossed = probe.send(disconnect, from: leaving)
        #expect(
            RoutingProbe.notes(in: crossed) == [
                .released(task: "C-7#2", attempts: 0, reason: "worker 0x01: the worker disconnected")
            ])
        #expect(try attempts(sentTo: next, in: probe.send(ready, from: next)) == [1], "still its first attempt")
        // A worker that held it for longer and then leaves with it has had its attempt: with two allowed, the task
        // fails rather than going round for ever.
        probe.advance(2, heartbeatsFrom: [next])
        let kept = probe.send(disconnect, from: next)
        #expect(
            RoutingProbe.notes(in: kept) == [
                .released(task: "C-7#2", attempts: 1, reason: "worker 0x02: the worker disconnected")
            ])
        #expect(try attempts(sentTo: keeper, in: probe.send(ready, from: keeper)) == [2])
    }

    @Test func aTaskIsMarkedFailedOnceItHasHadItsAttempts() throws {
        let probe = RoutingProbe(lease: .seconds(5), maxAttempts: 2)
        let (first, second): ([UInt8], [UInt8]) = ([1], [2])
        probe.feed(.taskReady(task))
        #expect(try attempts(sentTo: first, in: probe.send(ready, from: first)) == [1])
        probe.advance(5, heartbeatsFrom: [first])
        #expect(RoutingProbe.notes(in: probe.advance(0.001)).count == 1)
        #expect(try attempts(sentTo: second, in: probe.send(ready, from: second)) == [2])
        let given = probe.advance(5, heartbeatsFrom: [first, second]) + probe.advance(0.001)
        #expect(
            RoutingProbe.notes(in: given) == [
                .failed(
                    task: "C-7#2", attempts: 2,
                    reason: "gave up after 2 attempts; the last: the lease of worker 0x02 ran out")
            ])
        #expect(probe.holdings.tasks == 0)
    }

    @Test func aFinalReplyCompletesOnceAndADuplicateOrAStrangersReplyIsDropped() throws {
        let probe = RoutingProbe()
        let (worker, stranger): ([UInt8], [UInt8]) = ([1], [9])
        probe.feed(.taskReady(task))
        probe.send(ready, from: worker)
        let done = probe.send(final(found), from: worker)
        let completions = RoutingProbe.completions(in: done)
        #expect(completions.map(\.event) == ["provider-found"])
        #expect(completions.first?.queued.id == "C-7#2")
        #expect(RoutingProbe.completions(in: probe.send(final(found), from: worker)).isEmpty)
        #expect(probe.dropped["no such request"] == 1)
        #expect(RoutingProbe.sent(to: stranger, in: probe.send(final(found), from: stranger)) == [MDP.disconnect(.v02)])
        #expect(probe.dropped["unknown worker"] == 1)
        // The engine says the case had its reply already (the task is no longer open): nothing more happens.
        let queued = try #require(completions.first?.queued)
        let stale = TransitionError(.staleTask, "task C-7#2 is not open on case C-7")
        #expect(probe.feed(.completed(queued, .success(.rejected(stale, "C-7")))).allSatisfy(isLog))
        #expect(probe.dropped["stale reply"] == 1)
        #expect(probe.holdings.tasks == 0)
    }

    @Test func anOutcomeTheStoreCouldNotCommitOrAWorkerAsksToRetryIsOfferedAgain() throws {
        let probe = RoutingProbe()
        let worker: [UInt8] = [1]
        probe.feed(.taskReady(task))
        probe.send(ready, from: worker)
        let done = probe.send(final(found), from: worker)
        let queued = try #require(RoutingProbe.completions(in: done).first?.queued)
        let again = probe.feed(.completed(queued, .failure(StoreError(.io, "disk full"))))
        #expect(
            RoutingProbe.notes(in: again) == [
                .released(task: "C-7#2", attempts: 1, reason: "the outcome could not be committed: disk full")
            ])
        #expect(try attempts(sentTo: worker, in: again) == [2])
        let retry = TaskReply(task: "C-7#2", error: "no provider free\nforged", retry: true)
        let retried = probe.send(final(retry), from: worker)
        #expect(
            RoutingProbe.notes(in: retried) == [
                .released(task: "C-7#2", attempts: 2, reason: #"worker 0x01: 'no provider free\nforged'"#)
            ])
        #expect(try attempts(sentTo: worker, in: retried) == [3])
        let refused = probe.send(final(TaskReply(task: "C-7#2", error: "no", retry: false)), from: worker)
        #expect(RoutingProbe.notes(in: refused) == [.failed(task: "C-7#2", attempts: 3, reason: "worker 0x01: 'no'")])
    }

    @Test func partialRepliesAreTaskProgressOrGoToAnMDP02ClientOnly() {
        let probe = RoutingProbe()
        let worker: [UInt8] = [1]
        probe.feed(.taskReady(task))
        probe.send(ready, from: worker)
        let progress = TaskReply(task: "C-7#2", progress: "two providers asked")
        let noted = probe.send(
            MDP.fromWorker(.v02, .partial, client: address, body: [progress.encoded()]), from: worker)
        #expect(RoutingProbe.notes(in: noted) == [.progress(task: "C-7#2", "two providers asked")])
        probe.send(final(found), from: worker)

        for version in [MDP.Version.v02, .v01] {
            let client: [UInt8] = version == .v02 ? [7] : [8]
            probe.send(MDP.fromClient(version, service: "brokerage", body: [bytes("hello")]), from: client)
            let partial = probe.send(
                MDP.fromWorker(.v02, .partial, client: client, body: [bytes("soon")]), from: worker)
            let reply = probe.send(MDP.fromWorker(.v02, .final, client: client, body: [bytes("hi")]), from: worker)
            let partials =
                version == .v02 ? [MDP.reply(.v02, service: "brokerage", body: [bytes("soon")], final: false)] : []
            #expect(RoutingProbe.sent(to: client, in: partial) == partials)
            #expect(
                RoutingProbe.sent(to: client, in: reply) == [
                    MDP.reply(version, service: "brokerage", body: [bytes("hi")], final: true)
                ])
        }
    }

    @Test func logLinesAreActionsAndOnlyThoseLoggedAreAskedFor() {
        var routing = BrokerRouting(
            options: BrokerOptions(), admission: BrokerAdmission(policyQueues: ["brokerage"], curve: nil),
            logLevel: .error, now: Date(timeIntervalSince1970: 0))
        var actions: [BrokerRouting.Action] = []
        routing.on(
            .message(from: [1], frames: [bytes("MDPW02\nforged")], user: nil), now: Date(timeIntervalSince1970: 0),
            into: &actions)
        #expect(actions.isEmpty, "a dropped message's warning is below .error")
        #expect(routing.dropped["malformed"] == 1)

        let probe = RoutingProbe()
        let logged = probe.send([bytes("MDPX01")], from: [1])
        guard case .log(.warning, let line, let metadata)? = logged.first, logged.count == 1 else {
            Issue.record("one warning, not \(logged)")
            return
        }
        #expect(line == "dropped: unknown protocol header 'MDPX01' from 0x01")
        #expect(metadata == ["reason": "malformed"])
    }
}

extension RoutingProbe {
    /// Moves the clock on `seconds` whole seconds, one at a time, each followed by a heartbeat from `workers`.
    @discardableResult
    func advance(_ seconds: Int, heartbeatsFrom workers: [[UInt8]]) -> [BrokerRouting.Action] {
        var actions: [BrokerRouting.Action] = []
        for _ in 0..<seconds {
            actions += advance(1)
            for worker in workers { actions += send(MDP.fromWorker(.v02, .heartbeat), from: worker) }
        }
        return actions
    }

    /// The notes for the store among `actions`.
    static func notes(in actions: [BrokerRouting.Action]) -> [TaskNote] {
        actions.compactMap { if case .note(let note) = $0 { note } else { nil } }
    }

    /// The outcomes to commit among `actions`.
    static func completions(in actions: [BrokerRouting.Action]) -> [(queued: QueuedTask, event: String, worker: String)]
    {
        actions.compactMap {
            if case .complete(let queued, let event, _, let worker) = $0 {
                (queued, event.name.rawValue, worker)
            } else {
                nil
            }
        }
    }
}

/// The attempt numbers of the task requests sent to `worker` among `actions`.
func attempts(sentTo worker: [UInt8], in actions: [BrokerRouting.Action]) throws -> [Int] {
    try RoutingProbe.sent(to: worker, in: actions).map { try TaskRequest.decode(try #require($0.last)).attempt }
}

func isLog(_ action: BrokerRouting.Action) -> Bool {
    if case .log = action { true } else { false }
}
