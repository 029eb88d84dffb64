import CareJourneyCore
import CareJourneyKit
import CareJourneyWire
import Foundation
import Testing
import CareJourneyTestSupport

@testable import CareJourneyBroker

/// People's queues are worked from the dashboard's worklists: the broker neither holds nor loads their tasks, and no
/// worker serves them or client calls them.
@Suite struct PeopleQueueTests {
    func task(_ number: Int, on queue: String, kind: TaskKind) -> QueuedTask {
        QueuedTask(
            task: CareTask(
                id: TaskID(caseID: "C-3", number: number), kind: kind, queue: queue,
                createdAt: Date(timeIntervalSince1970: 1_800_000_000)),
            brief: TaskBrief(due: nil, fields: [:]), attempts: 0)
    }

    @Test func aPeoplesQueueIsNoServiceAndItsTasksAreNeitherHeldNorLoaded() throws {
        let probe = RoutingProbe(policyQueues: ["brokerage", "practice"], peopleQueues: ["practice"])
        // A people's task committed by the engine is not held: nothing queued, nothing known, no queue opened.
        let screening = probe.feed(.taskReady(task(1, on: "practice", kind: .screenContact)))
        #expect(screening.isEmpty)
        #expect(probe.holdings.tasks == 0)
        #expect(probe.holdings.queues == 0)
        #expect(probe.routing.snapshot().queues["practice"] == nil)
        // A worker offering to serve it is refused and disconnected, so no backlog of it is ever loaded.
        let offered = probe.send(MDP.fromWorker(.v02, .ready, service: "practice"), from: [9])
        #expect(probe.dropped["unknown service"] == 1)
        #expect(RoutingProbe.sent(to: [9], in: offered) == [MDP.disconnect(.v02)])
        #expect(!offered.contains { if case .load = $0 { true } else { false } })
        // A client asking for it is dropped too.
        probe.send(MDP.fromClient(.v02, service: "practice", body: [bytes("hello")]), from: [8])
        #expect(probe.dropped["unknown service"] == 2)

        // A workers' queue is unchanged: its task waits, and a worker's READY gets it (and asks for the backlog).
        probe.feed(.taskReady(task(2, on: "brokerage", kind: .findProvider)))
        #expect(probe.holdings.tasks == 1)
        let worker = probe.send(MDP.fromWorker(.v02, .ready, service: "brokerage"), from: [7])
        #expect(try attempts(sentTo: [7], in: worker) == [1])
    }

    @Test func theShippedPoliciesPeoplesQueuesAreNoServicesOfTheBroker() throws {
        for name in ["derbyshire", "wiltshire"] {
            let policy = try shippedPolicy(name)
            let admission = BrokerAdmission(policy: policy, curve: nil)
            #expect(!policy.peopleQueues.isEmpty)
            for queue in policy.peopleQueues {
                #expect(!admission.services.contains(queue), "\(name): '\(queue)' is served by people")
                #expect(!admission.mayServe(queue, user: nil))
            }
            for queue in Set(policy.queues.values) where policy.server(of: queue) == .workers {
                #expect(admission.mayServe(queue, user: nil), "\(name): '\(queue)' is served by workers")
            }
        }
    }
}
