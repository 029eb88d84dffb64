import CareJourneyCore
import CareJourneyKit
import CareJourneyStore
import Foundation

/// The commands the transitions benchmarks submit: a contact that opens a case, then the steps that take it to
/// sign-off (`EventCatalog.pathToDelivery`), 1 + 7 transitions a case, from many clients at once, each client
/// walking its cases one command at a time (a command waits for its commit before the next is sent).
struct TransitionMix: Sendable {
    let contact: Event
    let steps: [Event]
    /// When the commands say they happened.
    let at: Date

    init(at: Date) throws {
        contact = try Event(name: "contact", data: ["name": "Bench Person", "clientType": "adult", "route": "gp"])
        steps = try EventCatalog.pathToDelivery.map { try Event(name: $0.name.rawValue, data: $0.data) }
        self.at = at
    }

    /// Transitions a case makes.
    var transitionsPerCase: Int { 1 + steps.count }

    /// Takes `cases` cases from contact to sign-off through `clients` clients at once; client `n` submits to
    /// `engines[n % engines.count]`, so the clients are spread evenly over the engines (the nodes). `line` is
    /// advanced a case at a time.
    ///
    /// - Returns: the transitions applied (a refused command counts none).
    func walk(cases: Int, clients: Int, over engines: [Engine], line: ProgressLine?) async throws -> Int {
        let perClient = (cases + clients - 1) / clients
        return try await withThrowingTaskGroup(of: Int.self) { group in
            for client in 0..<clients {
                let count = min(perClient, max(0, cases - client * perClient))
                let engine = engines[client % engines.count]
                group.addTask { try await walk(count, through: engine, line: line, of: cases) }
            }
            return try await group.reduce(0, +)
        }
    }

    /// One client's `count` cases through `engine`.
    private func walk(_ count: Int, through engine: Engine, line: ProgressLine?, of total: Int) async throws -> Int {
        var done = 0
        for _ in 0..<count {
            guard
                case .applied(let opened) = try await engine.apply(
                    Command(caseID: nil, event: contact, actor: "bench", at: at))
            else { continue }
            done += 1
            for step in steps {
                if case .applied = try await engine.apply(
                    Command(caseID: opened.state.id, event: step, actor: "bench", at: at))
                {
                    done += 1
                }
            }
            line?.advance(of: total)
        }
        return done
    }
}
