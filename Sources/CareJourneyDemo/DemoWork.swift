import CareJourneyCore
import CareJourneyStore
import Foundation

/// The work waiting for the demo's manager when the dashboard opens: after seeding, they take some of the people's
/// tasks that wait for no one — first those only a manager may answer (safeguarding decisions and enquiries, panels),
/// then the soonest due — so that "My work" shows tasks to answer, each taken by an audited `take-task`.
enum DemoWork {
    /// Tasks the manager holds when a new demo opens.
    static let held = 8

    /// Has `person` take up to `held` tasks nobody holds on `engine`'s people's queues, at `now`; returns how many.
    @discardableResult
    static func give(to person: String, in engine: Engine, at now: Date) async throws -> Int {
        let policy = engine.policy
        var query = WorklistQuery(queues: policy.peopleQueues)
        query.unheld = true
        query.limit = 500
        let waiting = try await engine.store.worklist(query).items.map(\.task)
        let managers = Set(
            waiting.map(\.kind).filter { kind in
                TaskKind(rawValue: kind).map { policy.minimumRole(of: $0.replyEvent ?? .takeTask) >= .manager } == true
            })
        let chosen = (waiting.filter { managers.contains($0.kind) } + waiting.filter { !managers.contains($0.kind) })
            .prefix(held)
        var taken = 0
        for task in chosen {
            guard let id = TaskID(task.id) else { continue }
            let command = Command(
                caseID: id.caseID, event: .takeTask(TaskAction(task: id)), actor: person,
                reason: "work waiting for the demo's manager", at: now)
            if case .applied = try await engine.apply(command) { taken += 1 }
        }
        return taken
    }
}
