import CareJourneyCore
import Foundation
import GRDB
import Testing
import CareJourneyTestSupport

@testable import CareJourneyStore

/// The writer keeps on each open task its case's team and whether people serve its queue (migration v18): a team's
/// worklist is read from the tasks alone, follows a case that changes team, and holds people's tasks only.
@Suite struct WorklistTeamTests {
    func worklist(_ store: CaseStore, team: String, policy: Policy) async throws -> [WorklistItem] {
        var query = WorklistQuery(queues: policy.peopleQueues)
        query.team = team
        query.limit = 100
        return try await store.worklist(query).items
    }

    @Test func aCaseThatChangesTeamTakesItsOpenTasksToTheNewTeamsList() async throws {
        let store = try CaseStore(directory: temporaryDirectory())
        let policy = try shippedPolicy()
        try await withEngine(store, policy: policy) { engine in
            let id = try #require(
                try await engine.send(nil, "contact", ["name": "Ada", "clientType": "adult", "route": "gp"], at: start)
            ).state.id
            let other = try #require(
                try await engine.send(nil, "contact", ["name": "Bea", "clientType": "adult", "route": "gp"], at: start)
            ).state.id
            try await engine.send(id, "reassign", ["team": "north"], at: start)
            try await engine.send(other, "reassign", ["team": "south"], at: start)
            let north = try await worklist(store, team: "north", policy: policy)
            #expect(!north.isEmpty)
            #expect(north.allSatisfy { $0.task.caseID == id && $0.team == "north" })
            #expect(try await worklist(store, team: "south", policy: policy).allSatisfy { $0.task.caseID == other })

            try await engine.send(id, "reassign", ["team": "south"], at: start.addingTimeInterval(60))
            #expect(try await worklist(store, team: "north", policy: policy).isEmpty)
            let south = try await worklist(store, team: "south", policy: policy)
            #expect(Set(south.map(\.task.caseID)) == [id, other])
            #expect(south.filter { $0.task.caseID == id }.map(\.task.id) == north.map(\.task.id))
            #expect(south.allSatisfy { $0.team == "south" })

            // A task the case opens later carries the team it has then.
            let before = Set(south.map(\.task.id))
            try await engine.send(id, "start-assessment", at: start.addingTimeInterval(120))
            let after = try await worklist(store, team: "south", policy: policy)
            #expect(after.contains { $0.task.caseID == id && !before.contains($0.task.id) })
            #expect(after.allSatisfy { $0.team == "south" })
        }
    }

    @Test func onlyTheTasksOfPeoplesQueuesAreListed() async throws {
        let store = try CaseStore(directory: temporaryDirectory())
        let policy = try shippedPolicy()
        let tasks = try await withEngine(store, policy: policy) { engine in
            _ = try await engine.caseInDelivery(at: start)
            return try await store.pool.read { db in
                try Row.fetchAll(db, sql: "SELECT queue, listed FROM tasks WHERE status = 'open'")
                    .map { (queue: $0["queue"] as String, listed: $0["listed"] as Bool) }
            }
        }
        #expect(tasks.contains { policy.server(of: $0.queue) == .workers })
        #expect(tasks.contains { policy.server(of: $0.queue) == .people })
        for task in tasks { #expect(task.listed == (policy.server(of: task.queue) == .people), "\(task)") }
    }

    @Test func aQueueThatPeopleComeToServeHasItsOpenTasksListedAndOneTheyLeaveNot() async throws {
        let store = try CaseStore(directory: temporaryDirectory())
        var policy = try shippedPolicy()
        try await withEngine(store, policy: policy) { engine in _ = try await engine.caseInDelivery(at: start) }
        func listed(_ queue: String) throws -> [Bool] {
            try store.pool.read { db in
                try Bool.fetchAll(
                    db, sql: "SELECT listed FROM tasks WHERE queue = ? AND status = 'open'", arguments: [queue])
            }
        }
        #expect(try listed("brokerage") == [false])
        policy.servedBy?["brokerage"] = .people
        try store.register(policy, current: true, at: start)
        #expect(try listed("brokerage") == [true])
        var query = WorklistQuery(queues: ["brokerage"])
        query.limit = 10
        #expect(try await store.worklist(query).items.map(\.task.queue) == ["brokerage"])
        policy.servedBy?["brokerage"] = .workers
        try store.register(policy, current: true, at: start)
        #expect(try listed("brokerage") == [false])
    }
}
