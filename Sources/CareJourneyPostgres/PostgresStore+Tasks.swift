import CareJourneyCore
import CareJourneyStore
import Foundation
import PostgresNIO

extension PostgresStore: TaskSource {
    /// Open tasks on `queue`, oldest first, skipping `excluding`: up to `limit`, each leased to this node for its
    /// broker to dispatch (`TaskLeases`). Tasks another node holds a lease on that has not lapsed are left out; a
    /// lapsed one is taken over (its node died: redelivery). The node's broker must renew its leases
    /// (`TaskLeases.renew`) while it holds the tasks, and release those it gives back.
    public func openTasks(
        on queue: String, excluding: Set<String>, limit: Int,
        known: @escaping @Sendable (CaseID, Int) -> CaseState?
    ) async throws(StoreError) -> [OpenTask] {
        guard limit > 0 else { return [] }
        let now = clock.now()
        return try await withConnection("reading the open tasks of \(queue) at \(address)") { [self] connection in
            var candidates: [(id: String, caseID: String, attempts: Int)] = []
            for try await (id, caseID, attempts) in try await connection.query(
                """
                SELECT t.id, t.case_id, t.attempts FROM tasks t JOIN cases c ON c.id = t.case_id
                WHERE t.queue = \(queue) AND t.status = 'open' AND t.id <> ALL(\(excluding.sorted())::text[])
                    AND NOT EXISTS (SELECT 1 FROM task_leases l WHERE l.task_id = t.id
                        AND l.node <> \(node.rawValue) AND l.expires >= \(now.timeIntervalSince1970))
                ORDER BY t.created_at, t.id LIMIT \(Int64(limit))
                """, logger: logger
            ).decode((String, String, Int64).self) {
                candidates.append((id, caseID, Int(attempts)))
            }
            let granted = try await taskLeases.claim(
                candidates.compactMap { TaskID($0.id) }, at: now, on: connection, logger: logger)
            let mine = Set(granted.map(\.description))
            let leased = candidates.filter { mine.contains($0.id) }
            let states = try await currentStates(
                of: Array(Set(leased.map(\.caseID))), on: connection, known: { known($0, $1) })
            return leased.compactMap { candidate in
                guard let state = states[candidate.caseID]?.state,
                    let task = state.tasks.values.first(where: { $0.id.description == candidate.id })
                else { return nil }
                return OpenTask(task: task, attempts: candidate.attempts, state: state)
            }
        }
    }
}
