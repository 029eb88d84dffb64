import CareJourneyCore
import CareJourneyStore
import Foundation

/// The commands the tasks benchmarks submit: contacts that open cases, then a safeguarding concern on each, which
/// makes one task for the `safeguarding` queue. Clients are spread evenly over the engines given (the nodes).
struct SafeguardingConcerns: Sendable {
    let contact: Event
    let concern: Event
    /// Clients submitting at once.
    let clients: Int

    init(clients: Int = 512) throws {
        contact = try Event(name: "contact", data: ["name": "Bench Person", "clientType": "adult", "route": "gp"])
        concern = try Event(name: "safeguarding-concern", data: ["note": "benchmark"])
        self.clients = clients
    }

    /// Opens `count` cases; client `n` submits to `engines[n % engines.count]`.
    func openCases(_ count: Int, over engines: [Engine]) async throws -> [CaseID] {
        let (contact, clients) = (contact, clients)
        return try await withThrowingTaskGroup(of: [CaseID].self) { group in
            for client in 0..<clients {
                let mine = count / clients + (client < count % clients ? 1 : 0)
                let engine = engines[client % engines.count]
                group.addTask {
                    var ids: [CaseID] = []
                    for _ in 0..<mine {
                        if case .applied(let opened) = try await engine.apply(
                            Command(caseID: nil, event: contact, actor: "bench", at: Date()))
                        {
                            ids.append(opened.state.id)
                        }
                    }
                    return ids
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
    }

    /// Raises a concern on each case in `ids` (a task each); client `n` submits to `engines[n % engines.count]`.
    func raise(on ids: [CaseID], over engines: [Engine]) async throws {
        let (concern, clients) = (concern, clients)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for client in 0..<clients {
                let engine = engines[client % engines.count]
                group.addTask {
                    for id in stride(from: client, to: ids.count, by: clients).map({ ids[$0] }) {
                        _ = try await engine.apply(Command(caseID: id, event: concern, actor: "bench", at: Date()))
                    }
                }
            }
            try await group.waitForAll()
        }
    }
}
