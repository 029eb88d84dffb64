import CareJourneyCore
import CareJourneyStore
import Foundation
import Synchronization

/// A seeded population of cases with a year of history behind them, so that a new service looks like a council's
/// live caseload: every stage and side machine, reviews due this week and overdue, reviews done on time and late.
///
/// Each case aims at a `PopulationTarget` (where it should stand today), dealt in turn from a deck weighted like a
/// caseload. Its persona's journey is first played in memory through the journey core to find how long ago it must
/// have begun to stand there today; then it is played for real through the engine, from that date to now: every
/// event a command, each timer fired by a `timer-fired` event at its due time, so the history is one the service
/// could have written itself. The same seed gives the same cases.
public struct SamplePopulation: Sendable {
    /// The store's meta key under which the service notes what it seeded.
    public static let metaKey = "population"

    /// How many cases.
    public let count: Int
    /// The seed.
    public let seed: UInt64

    /// Creates a population of `count` cases from `seed`.
    public init(count: Int, seed: UInt64 = 2026) {
        self.count = count
        self.seed = seed
    }

    /// How far seeding has got: cases written of all of them.
    public struct Progress: Sendable, Equatable {
        /// Cases whose histories are written.
        public let written: Int
        /// Cases in the population.
        public let total: Int
    }

    /// What seeding did.
    public struct Report: Sendable {
        /// Cases opened.
        public let cases: Int
        /// Events committed, timer fires included.
        public let events: Int
        /// How long it took, in seconds.
        public let seconds: Double
        /// Events the journey refused, the first few: none, unless the sample has a bug.
        public let refusals: [String]
    }

    /// One case's plan: who, aiming where, from when, with what beside the journey.
    struct CasePlan: Sendable {
        let persona: Persona
        let start: Date
        let overlay: Overlay
    }

    /// Opens the cases through `engine`, their histories running up to `now`.
    ///
    /// - Parameter progress: told as cases are written, at every twentieth of the whole.
    /// - Throws: `StoreError` when the engine cannot commit (nothing more is written).
    @discardableResult
    public func seed(into engine: Engine, at now: Date, progress: @Sendable (Progress) -> Void = { _ in })
        async throws(StoreError) -> Report
    {
        let started = ContinuousClock.now
        let now = Date(timeIntervalSince1970: now.timeIntervalSince1970.rounded(.down))
        let policy = engine.policy
        let plans = await plans(now: now, policy: policy)
        // The engine numbers new cases in the order it is given their contacts: all of them first, in order.
        let opened = await Self.submitInOrder(
            plans.map { plan in
                let contact = plan.persona.contact
                return Command(
                    caseID: nil, event: .contact(contact),
                    actor: contact.route == .hospitalDischarge ? "hospital.discharge-hub" : "contact-centre",
                    at: plan.start)
            }, to: engine)
        var events = 0
        var refusals: [String] = []
        var written = 0
        do {
            try await withThrowingTaskGroup(of: (applied: Int, refusals: [String]).self) { group in
                for (plan, answer) in zip(plans, opened) {
                    guard case .applied(let contact) = EngineApplier.outcome(of: try answer.get()) else {
                        refusals.append("the contact of \(plan.persona.contact.name) was refused")
                        continue
                    }
                    group.addTask {
                        var life = CaseLife(persona: plan.persona, policy: policy, opened: contact, at: plan.start)
                        for (at, deed) in plan.overlay.deeds(start: plan.start, now: now, random: plan.persona.random) {
                            life.plan(deed, at: at)
                        }
                        try await life.play(until: now, through: EngineApplier(engine: engine))
                        return (life.applied, life.refusals)
                    }
                }
                let step = max(1, count / 20)
                for try await life in group {
                    written += 1
                    events += life.applied
                    refusals += life.refusals
                    if written % step == 0 || written == count { progress(Progress(written: written, total: count)) }
                }
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(.io, "seeding the sample population failed", cause: error)
        }
        let elapsed = started.duration(to: .now)
        return Report(
            cases: written, events: events,
            seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18,
            refusals: Array(refusals.prefix(20)))
    }

    /// Every case's plan, worked out on every core.
    func plans(now: Date, policy: Policy) async -> [CasePlan] {
        let lanes = max(1, ProcessInfo.processInfo.activeProcessorCount)
        var plans: [CasePlan?] = Array(repeating: nil, count: count)
        await withTaskGroup(of: [(Int, CasePlan)].self) { group in
            for lane in 0..<lanes {
                group.addTask {
                    var lanePlans: [(Int, CasePlan)] = []
                    for index in stride(from: lane, to: count, by: lanes) {
                        lanePlans.append((index, await plan(index, now: now, policy: policy)))
                    }
                    return lanePlans
                }
            }
            for await lanePlans in group {
                for (index, plan) in lanePlans { plans[index] = plan }
            }
        }
        return plans.compactMap { $0 }
    }

    /// Case `index`'s plan: its persona's life played in memory from the oldest its target allows, to find the
    /// spans of time in which it stands where the target wants it; today falls at a point drawn evenly over them.
    func plan(_ index: Int, now: Date, policy: Policy) async -> CasePlan {
        let deck = PopulationTarget.deck
        let target = deck[index % deck.count]
        let persona = Persona(index: index, seed: seed, target: target, policy: policy)
        let random = persona.random
        var overlay = Overlay.deck[index % Overlay.deck.count]
        if overlay.isSafeguarding && persona.safeguardingAfterSignOff { overlay = .none }
        let probe = now.addingTimeInterval(-target.maximumAge)
        let applier = InMemoryApplier(policy: policy)
        var spans: [Range<Date>] = []
        if case .applied(let opened) = applier.apply(
            .contact(persona.contact), to: CaseState(id: CaseID("C-\(index + 1)")), at: probe, actor: "contact")
        {
            var life = CaseLife(persona: persona, policy: policy, opened: opened, at: probe)
            spans = (try? await life.play(until: now, through: applier, watching: target)) ?? []
        }
        // Where no span was found (a persona the policy cannot take there), the case is simply of some age.
        let age =
            Self.point(in: spans, at: random.unit("cut"))?.timeIntervalSince(probe) ?? random.days(1...365, "age")
        return CasePlan(
            persona: persona, start: Date(timeIntervalSince1970: (now.timeIntervalSince1970 - age).rounded(.down)),
            overlay: overlay)
    }

    /// The point `share` of the way through `spans` taken end to end; `nil` when there are none.
    static func point(in spans: [Range<Date>], at share: Double) -> Date? {
        var left = share * spans.reduce(0) { $0 + $1.upperBound.timeIntervalSince($1.lowerBound) }
        for span in spans {
            let length = span.upperBound.timeIntervalSince(span.lowerBound)
            if left <= length || span == spans.last { return span.lowerBound.addingTimeInterval(min(left, length)) }
            left -= length
        }
        return nil
    }

    /// Submits `commands` in order (the engine takes them in the order given) and waits for every answer.
    static func submitInOrder(_ commands: [Command], to engine: Engine) async -> [Result<CommandOutcome, StoreError>] {
        let answers = Answers(count: commands.count)
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            answers.whenComplete { done.resume() }
            guard !commands.isEmpty else { return done.resume() }
            for (index, command) in commands.enumerated() {
                engine.apply(command) { answers.store($0, at: index) }
            }
        }
        return answers.all
    }
}

/// Answers to commands submitted together, kept in their order.
private final class Answers: Sendable {
    private struct Tally {
        var answers: [Result<CommandOutcome, StoreError>?]
        var left: Int
        var done: (@Sendable () -> Void)?
    }
    private let tally: Mutex<Tally>

    init(count: Int) { tally = Mutex(Tally(answers: Array(repeating: nil, count: count), left: count, done: nil)) }

    /// Called once every answer is in.
    func whenComplete(_ done: @escaping @Sendable () -> Void) { tally.withLock { $0.done = done } }

    func store(_ answer: Result<CommandOutcome, StoreError>, at index: Int) {
        let done = tally.withLock { tally -> (@Sendable () -> Void)? in
            tally.answers[index] = answer
            tally.left -= 1
            return tally.left == 0 ? tally.done : nil
        }
        done?()
    }

    var all: [Result<CommandOutcome, StoreError>] { tally.withLock { $0.answers.compactMap { $0 } } }
}
