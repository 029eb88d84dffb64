import CareJourneyCore
import CareJourneyStore
import Foundation
import Testing

/// A population for the case search's tests: names with every character `LIKE` treats specially and text outside
/// ASCII, the queries to look for in them, and the cases (`store(count:at:)`).
public enum SearchPopulation {
    public static let names = [
        "Ada Lovelace", "Zoë O'Brien", "José Núñez", "Müller Renée", "ANNE smith", "Ann-Marie Smith",
        "100% Real", "snake_case Name", #"Back\slash Person"#, #"Quote "Q" Person"#, "  spaced  out ", "É Upper",
        "e\u{301}cole Decomposed", "Al", "X", "Ó Súilleabháin", "D'Souza Priya", "Ada Smith-Jones", "50%_off",
    ]
    public static let teams = ["north", "south", "hospital-discharge"]
    public static let workers = ["sw.one", "sw.two", "sw.three", "sw.four", "sw.five"]
    public static let queries = [
        "Ada", "ada", "ADA", "smith", "Smith", "SMITH", "Ann", "ann-", "O'B", "'", #"""#, #""Q""#, "\\", #"k\s"#,
        "%", "_", "0%", "%_", "e_c", "ë", "Zoë", "zoë", "ZOË", "é", "É", "Ren", "RENÉE", "renée", "MÜLL", "müll",
        "ñez", "NÚÑ", " ", "  ", "d  o", "spaced", "e\u{301}c", "cole", "Al", "al", "X", "x", "C-1", "C-17", "c-17",
        "C-", "Person", "son", "nobody at all", "Súil", "a", "ab",
    ]

    /// A few hundred cases through the engine, all at `start`, in a store of their own: along the journey to delivery
    /// and beyond, some overdue, some closed, in teams and allocated, with open tasks on several queues (two on one
    /// queue for some).
    public static func store(count: Int = 300, at start: Date) async throws -> CaseStore {
        let store = try CaseStore(directory: temporaryDirectory())
        try await withEngine(store, policy: try shippedPolicy()) { engine in
            var ids: [CaseID] = []
            for n in 0..<count {
                let name = names[n % names.count]
                let contact = try #require(
                    try await engine.send(
                        nil, "contact", ["name": .string(name), "clientType": "adult", "route": "gp"], at: start))
                ids.append(contact.state.id)
            }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (n, id) in ids.enumerated() {
                    group.addTask { try await journey(n, of: id, in: engine, at: start) }
                }
                try await group.waitForAll()
            }
        }
        return store
    }

    /// Case `n`'s journey after contact, and its allocation.
    static func journey(_ n: Int, of id: CaseID, in engine: Engine, at start: Date) async throws {
        switch n % 4 {
        case 0: break
        case 1: try await engine.send(id, "reassign", ["team": .string(teams[n % 3])], at: start)
        default:
            try await engine.send(
                id, "reassign", ["team": .string(teams[n % 3]), "worker": .string(workers[n % 5])], at: start)
        }
        let path = EventCatalog.pathToDelivery
        let delivered = path + [(.providerFound, ["provider": "Sunrise Home Care", "weeklyCost": 215.5])]
        let steps: [(name: EventName, data: JSONValue)] =
            switch n % 9 {
            case 0: []
            case 1: [(.startAssessment, ["substantialDifficulty": true, "appropriatePerson": false])]
            // A carer relied on: the carer's assessment offer and the eligibility decision both wait on `practice`.
            case 2:
                [(.startAssessment, [:]), (.assessmentCompleted, EventCatalog.samples(of: .assessmentCompleted)[0])]
            case 3: path
            case 4, 5: delivered
            case 6: [(.giveInformationAndAdvice, ["note": "signposted"])]
            case 7: [(.offerReablement, [:])]
            default: delivered + [(.startReview, ["type": "unplanned", "reason": "change-of-circumstances"])]
            }
        var state: CaseState?
        for step in steps { state = try await engine.send(id, step.name.rawValue, step.data, at: start)?.state }
        guard n % 9 == 5 else { return }
        // Timers fire as they come due until the review is overdue.
        while let current = state, current.reviews.overdue == nil, let next = current.pendingTimers.first {
            let fire = Command(
                caseID: id, event: .timerFired(TimerFire(timer: next.name, due: next.due)), actor: "timer",
                at: next.due)
            guard case .applied(let committed) = try await engine.apply(fire) else { return }
            state = committed.state
        }
    }
}
