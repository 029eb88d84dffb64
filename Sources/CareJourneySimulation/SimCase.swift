import CareJourneyCore
import Foundation

/// One simulated person: their case (changed only by the core), their random stream, and what they or the people
/// working their tasks will do next (the agenda).
struct SimCase {
    /// Something planned for a time.
    enum Action {
        /// The first contact.
        case contact
        /// The task numbered `task` on queue `queue` is answered; it was created, taken up and is done at these times.
        case answer(task: Int, queue: Int32, created: Double, taken: Double, done: Double)
        /// Reablement comes to its end.
        case endReablement
        /// The plan is brought to sign-off (again, when it was not ready: `attempt`).
        case signOff(attempt: Int)
        case death
        case move
        case concern
        case complaint

        /// Whether it happens to the person rather than being work on one of their tasks (dropped when they close).
        var isLifeEvent: Bool {
            switch self {
            case .death, .move, .concern, .complaint: true
            default: false
            }
        }
    }

    struct Planned {
        var at: Double
        var order: UInt32
        var action: Action
    }

    var state: CaseState
    var number: Int
    var random: SimulationRandom
    var agenda: [Planned] = []
    var generation: UInt32 = 0
    var order: UInt32 = 0
    /// Whether the case came from a live store as it stood (its plan and choices are people's own).
    var isLive = false

    init(id: CaseID, number: Int, random: SimulationRandom) {
        state = CaseState(id: id)
        self.number = number
        self.random = random
    }

    /// The slot takes a new person.
    mutating func reuse(id: CaseID, number: Int, random: SimulationRandom) {
        state = CaseState(id: id)
        self.number = number
        self.random = random
        agenda.removeAll(keepingCapacity: true)
        order = 0
        isLive = false
    }

    /// The slot is empty: keep nothing of the person.
    mutating func release() {
        state = CaseState(id: state.id)
        agenda.removeAll(keepingCapacity: true)
    }

    mutating func plan(_ action: Action, at: Double) {
        agenda.append(Planned(at: at, order: order, action: action))
        order &+= 1
    }

    /// The pending timer due first (by name at a tie).
    func nextTimer() -> (name: TimerName, due: Date)? {
        var best: (name: TimerName, due: Date)?
        for (name, due) in state.timers {
            if let current = best, (current.due, current.name) <= (due, name) { continue }
            best = (name, due)
        }
        return best
    }

    /// The planned action due first (in planning order at a tie); infinitely far ones never come.
    func nextAction() -> (index: Int, at: Double, planned: Planned)? {
        var best: Int?
        for (i, planned) in agenda.enumerated() where planned.at.isFinite {
            if let b = best, (agenda[b].at, agenda[b].order) <= (planned.at, planned.order) { continue }
            best = i
        }
        return best.map { ($0, agenda[$0].at, agenda[$0]) }
    }

    /// When the case must next be woken: its first timer or planned action.
    func nextInstant() -> Double {
        min(nextTimer()?.due.timeIntervalSinceReferenceDate ?? .infinity, nextAction()?.at ?? .infinity)
    }

    /// The index of the planned answer to task `number`.
    func answerIndex(_ number: Int) -> Int? {
        agenda.firstIndex {
            if case .answer(let task, _, _, _, _) = $0.action { return task == number }
            return false
        }
    }
}
