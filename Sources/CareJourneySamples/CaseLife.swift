import CareJourneyCore
import CareJourneyStore
import Foundation

/// One sample case's life, played up to a moment: its people's deeds at their times, and between them its timers
/// fired at their due times, as the scenario runner's virtual clock fires them (a `timer-fired` event at the due
/// time, never late). Every event goes through an applier: the journey core in memory, or the engine.
///
/// Deeds are planned as the case's tasks appear (a practitioner screens a contact a few days after it, brokerage
/// finds a provider within a fortnight of sign-off) and resolved against the case as it stands when their time
/// comes, so a life never sends an event the case would refuse.
struct CaseLife: Sendable {
    let persona: Persona
    let policy: Policy
    /// The case as it stands.
    private(set) var state: CaseState
    /// When its last event happened.
    private(set) var clock: Date
    /// Events applied so far.
    private(set) var applied = 0
    /// Events the case refused, with why: none, unless the sample has a bug.
    private(set) var refusals: [String] = []
    private var agenda: [Planned] = []
    private var order = 0
    private var draws: [String: Int] = [:]

    /// The most times a deed waits for the case to be ready for it before it is dropped.
    private static let patience = 6

    private struct Planned: Sendable {
        let at: Date
        let order: Int
        let deed: Deed
        let attempt: Int
    }

    /// The life of a case just opened by its contact (`opened`, at `at`).
    init(persona: Persona, policy: Policy, opened: Applied, at: Date) {
        self.persona = persona
        self.policy = policy
        state = opened.state
        clock = at
        applied = 1
        react(to: opened.effects, at: at)
        plan(.allocate, after: persona.random.days(0.04...0.25, "allocate"), from: at)
    }

    /// A fresh key for a draw called `name`: the n-th draw of that name in this life, the same in every playing.
    mutating func key(_ name: String) -> String {
        let n = draws[name, default: 0]
        draws[name] = n + 1
        return "\(name).\(n)"
    }

    /// Days between `range`'s bounds, drawn under a fresh key called `name`.
    mutating func days(_ range: ClosedRange<Double>, _ name: String) -> TimeInterval {
        persona.random.days(range, key(name))
    }

    /// Plans `deed` for `after` seconds from `from`.
    mutating func plan(_ deed: Deed, after: TimeInterval, from: Date, attempt: Int = 0) {
        plan(deed, at: from.addingTimeInterval(after), attempt: attempt)
    }

    /// Plans `deed` for `at` (in whole seconds, as the engine writes times).
    mutating func plan(_ deed: Deed, at: Date, attempt: Int = 0) {
        let planned = Planned(
            at: Date(timeIntervalSince1970: at.timeIntervalSince1970.rounded(.down)), order: order, deed: deed,
            attempt: attempt)
        order += 1
        let index = agenda.firstIndex { ($0.at, $0.order) > (planned.at, planned.order) } ?? agenda.endIndex
        agenda.insert(planned, at: index)
    }

    /// Plays the life up to `end`. Watching a target, it also notes the spans of time in which the case stands where
    /// the target wants it (however many events happen within each), and returns them in order.
    @discardableResult
    mutating func play<A: CaseApplier>(until end: Date, through applier: A, watching target: PopulationTarget? = nil)
        async throws(StoreError) -> [Range<Date>]
    {
        var found: [Range<Date>] = []
        while true {
            let timer = state.pendingTimers.first
            let deed = agenda.first
            let next = min(timer?.due ?? .distantFuture, deed?.at ?? .distantFuture)
            if let window = target?.window(in: state, from: clock, to: min(next, end)) {
                if let last = found.last, window.lowerBound <= last.upperBound {
                    found[found.count - 1] = last.lowerBound..<max(last.upperBound, window.upperBound)
                } else {
                    found.append(window)
                }
            }
            guard next <= end else { return found }
            if let timer, timer.due <= next {
                let fire = Event.timerFired(TimerFire(timer: timer.name, due: timer.due))
                // A fire the case refuses would stay pending and come round again: the life stops there instead.
                guard try await apply([Act(event: fire, actor: "timer")], at: timer.due, through: applier) else {
                    return found
                }
            } else if let deed {
                agenda.removeFirst()
                switch resolve(deed.deed, at: deed.at) {
                case .act(let acts, let followUps):
                    if try await apply(acts, at: deed.at, through: applier) {
                        for followUp in followUps { plan(followUp.deed, after: followUp.after, from: deed.at) }
                    }
                case .retry(let after):
                    if deed.attempt < Self.patience {
                        plan(deed.deed, after: after, from: deed.at, attempt: deed.attempt + 1)
                    }
                case .skip:
                    break
                }
            }
        }
    }

    /// Applies `acts` in order at `at`; stops at the first the case refuses and says whether all were applied.
    private mutating func apply<A: CaseApplier>(_ acts: [Act], at: Date, through applier: A) async throws(StoreError)
        -> Bool
    {
        for act in acts {
            switch try await applier.apply(act.event, to: state, at: at, actor: act.actor) {
            case .applied(let result):
                state = result.state
                clock = at
                applied += 1
                react(to: result.effects, at: at)
            case .refused(let reason):
                refusals.append("\(state.id): '\(act.event.name.rawValue)' at \(at.formatted(.iso8601)): \(reason)")
                return false
            }
        }
        return true
    }

    /// Records that sample data did not make an event (a bug in the sample, reported like a refusal).
    mutating func malformed(_ name: EventName, _ error: TransitionError) {
        refusals.append("\(state.id): sample data for '\(name.rawValue)' is not valid: \(error.message)")
    }
}
