import CareJourneyCore
import Foundation

/// One playing of a simulation: the cases in slots, the instant queue, the teams' queues and the counters.
struct SimulationRun {
    let sim: Simulation
    let policy: Policy
    let startTime: Double
    let endTime: Double
    var counters: SimulationCounters
    var cases: [SimCase] = []
    var freeSlots: [Int32] = []
    var instants: InstantQueue
    var nextNumber = 0
    var refusals = 0
    var refusalExamples: [String] = []
    var liveRefusals = 0
    var eventsApplied = 0
    var traced: Set<Int> = []
    var traces: [Int: CaseTrace] = [:]
    /// Told the weeks played so far, and how many there are, as each week begins and at the end.
    var progress: ((_ played: Int, _ weeks: Int) -> Void)?
    /// Asked before each week is played: the run ends once it says yes.
    var stop: (() -> Bool)?

    /// Queue names by index, each queue's index by task kind, and each queue's team.
    let queueNames: [String]
    let queueOfKind: [Int]
    /// Seconds between two tasks a team starts (0: no limit; infinity: nobody staffs it).
    let interval: [Double]
    /// When each team can next start a task.
    var nextFree: [Double]
    /// Seconds after which a task is overdue, by queue.
    let overdueAfter: [Double]
    /// Each task kind's duration, by `TaskKind` index.
    let durations: [StepDuration]
    let reablementLength: StepDuration

    static let week = 604_800.0
    static let kinds = TaskKind.allCases
    static let stages = Stage.allCases

    init(_ sim: Simulation) {
        self.sim = sim
        policy = sim.policy
        startTime = sim.start.timeIntervalSinceReferenceDate
        endTime = startTime + Double(sim.weeks) * Self.week
        queueNames = Set(Self.kinds.map { sim.policy.queue(for: $0) }).sorted()
        queueOfKind = Self.kinds.map { [names = queueNames] kind in names.firstIndex(of: sim.policy.queue(for: kind))! }
        interval = queueNames.map { name in
            guard let team = sim.profile.teams[name] else { return 0 }
            let perWeek = team.staff * team.tasksPerWeek
            return perWeek > 0 ? Self.week / perWeek : .infinity
        }
        nextFree = Array(repeating: -.infinity, count: queueNames.count)
        overdueAfter = queueNames.map { (sim.profile.teams[$0]?.overdueAfterDays ?? 28) * 86_400 }
        durations = Self.kinds.map { sim.profile.durations[$0.rawValue] ?? sim.profile.defaultDuration }
        reablementLength = sim.profile.durations[SimulationProfile.reablementKey] ?? .fixed(42)
        counters = SimulationCounters(weeks: sim.weeks, start: startTime, queues: queueNames.count)
        instants = InstantQueue(capacity: sim.profile.caseload.inDelivery + Int(sim.profile.arrivals.perWeek) * 8 + 16)
        cases.reserveCapacity(sim.profile.caseload.inDelivery + Int(sim.profile.arrivals.perWeek) * 30)
    }

    // MARK: the loop

    mutating func play() {
        for state in sim.startingCases { admit(state) }
        seedCaseload()
        var week = 0
        var carry = 0.0
        while true {
            let arrivalsAt = week < sim.weeks ? startTime + Double(week) * Self.week : .infinity
            let next = instants.first?.at ?? .infinity
            if arrivalsAt <= next && arrivalsAt < endTime {
                if stop?() == true { return }
                progress?(week, sim.weeks)
                carry = arrive(in: week, carry: carry)
                week += 1
                continue
            }
            guard let entry = instants.pop(), entry.at < endTime else { break }
            guard cases[Int(entry.slot)].generation == entry.generation else { continue }
            wake(Int(entry.slot), at: entry.at)
        }
        progress?(sim.weeks, sim.weeks)
    }

    /// Puts the people already in delivery in place: each is played through the journey before the start (everyone
    /// answering at once), from a contact timed so that their first formal review falls on their last review date.
    mutating func seedCaseload() {
        let caseload = sim.profile.caseload
        let months = caseload.lastReviewMonthsAgo
        let firstFormal = Double(policy.reviews.firstFormalOpens.seconds)
        for i in 0..<caseload.inDelivery {
            // Spread evenly over the range: the i-th person's last review.
            let fraction = caseload.inDelivery > 1 ? Double(i) / Double(caseload.inDelivery - 1) : 0
            let monthsAgo = months.min + (months.max - months.min) * fraction
            let lastReview = startTime - monthsAgo * 30.4375 * 86_400
            // Sign-off needs the financial assessment a day later (retried daily): start a day earlier.
            open(at: (lastReview - firstFormal - 86_400).rounded(.down))
        }
    }

    /// Takes a case as it stands at the start: counted in its stage, its open tasks on their queues (as old as
    /// they are), its timers pending, its life events drawn from the start.
    mutating func admit(_ state: CaseState) {
        let slot = newSlot(id: state.id)
        cases[slot].state = state
        cases[slot].isLive = true
        counters.change(\.stageChange, row: state.stage.index, at: startTime, by: 1)
        if state.reviews.overdue != nil { counters.change(\.reviewsOverdueChange, at: startTime, by: 1) }
        for task in state.openTasks {
            enqueue(
                task, slot: slot, at: startTime,
                createdAt: min(task.createdAt.timeIntervalSinceReferenceDate, startTime))
        }
        planSideEvents(slot, from: startTime)
        if state.firstSignedOffAt != nil { planExit(slot, from: startTime) }
        schedule(slot)
    }

    /// Opens this week's new contacts, spread evenly over it; returns the fraction of a contact carried over.
    mutating func arrive(in week: Int, carry: Double) -> Double {
        let weekStart = startTime + Double(week) * Self.week
        let month = Calendar.utc.component(
            .month, from: Date(timeIntervalSinceReferenceDate: weekStart + Self.week / 2))
        let factor = sim.profile.arrivals.seasonality?[month - 1] ?? 1
        let expected = sim.profile.arrivals.perWeek * factor + carry
        let count = Int(expected.rounded(.down))
        for i in 0..<count {
            open(at: (weekStart + (Double(i) + 0.5) / Double(count) * Self.week).rounded(.down))
        }
        return expected - Double(count)
    }

    /// A new case whose contact comes at `at`.
    mutating func open(at: Double) {
        let slot = newSlot(id: nil)
        plan(.contact, at: at, in: slot)
        if at >= startTime { planSideEvents(slot, from: at) }
        schedule(slot)
    }

    /// A slot for the next person (numbered in order; `S` and their number unless `id` is given).
    mutating func newSlot(id: CaseID?) -> Int {
        let number = nextNumber
        nextNumber += 1
        let id = id ?? CaseID("S\(number)")
        let random = SimulationRandom(seed: sim.seed, stream: UInt64(number))
        if let free = freeSlots.popLast() {
            cases[Int(free)].reuse(id: id, number: number, random: random)
            return Int(free)
        }
        cases.append(SimCase(id: id, number: number, random: random))
        return cases.count - 1
    }

    /// Draws when a person whose support has started dies or moves away (whichever comes first, if within the
    /// horizon).
    mutating func planExit(_ slot: Int, from: Double) {
        let year = 365.25 * 86_400
        let rates = sim.profile.ratesPerYear
        let death = from + cases[slot].random.exponential(rate: rates.death) * year
        let move = from + cases[slot].random.exponential(rate: rates.move) * year
        if death < endTime && death <= move { plan(.death, at: death.rounded(.down), in: slot) }
        if move < endTime && move < death { plan(.move, at: move.rounded(.down), in: slot) }
    }

    /// Draws when the case's next safeguarding concern and complaint come (if before the end).
    mutating func planSideEvents(_ slot: Int, from: Double) {
        let rates = sim.profile.ratesPerYear
        let year = 365.25 * 86_400
        let concern = from + cases[slot].random.exponential(rate: rates.safeguarding) * year
        if concern < endTime { plan(.concern, at: concern.rounded(.down), in: slot) }
        let complaint = from + cases[slot].random.exponential(rate: rates.complaint) * year
        if complaint < endTime { plan(.complaint, at: complaint.rounded(.down), in: slot) }
    }

    mutating func plan(_ action: SimCase.Action, at: Double, in slot: Int) {
        cases[slot].plan(action, at: at)
    }

    /// Puts the case's next instant on the queue (replacing any earlier entry), or frees its slot when it is done.
    mutating func schedule(_ slot: Int) {
        cases[slot].generation &+= 1
        let next = cases[slot].nextInstant()
        if next.isFinite {
            instants.push(.init(at: next, slot: Int32(slot), generation: cases[slot].generation))
        } else if cases[slot].state.stage == .closed || cases[slot].state.stage == .new {
            cases[slot].release()
            freeSlots.append(Int32(slot))
        }
    }

    /// Does everything due on the case by `at`, in order: timers (first, at a tie), then planned actions.
    mutating func wake(_ slot: Int, at: Double) {
        while true {
            let timer = cases[slot].nextTimer()
            let action = cases[slot].nextAction()
            let timerAt = timer?.due.timeIntervalSinceReferenceDate ?? .infinity
            let actionAt = action?.at ?? .infinity
            guard min(timerAt, actionAt) <= at else { break }
            if let timer, timerAt <= actionAt {
                apply(.timerFired(TimerFire(timer: timer.name, due: timer.due)), to: slot, at: timerAt, by: "timer")
            } else if let action {
                cases[slot].agenda.remove(at: action.index)
                perform(action.planned.action, on: slot, at: action.at)
            }
        }
        schedule(slot)
    }

    // MARK: applying events

    /// Applies `event` through the core; counts what follows. Returns whether the case accepted it.
    @discardableResult
    mutating func apply(_ event: Event, to slot: Int, at: Double, by actor: String, quiet: Bool = false) -> Bool {
        let before = cases[slot].state
        let now = Date(timeIntervalSinceReferenceDate: at)
        let transition: Transition
        do {
            transition = try Journey.apply(event, to: before, at: now, by: actor, policy: policy)
        } catch {
            if !quiet && cases[slot].isLive {
                liveRefusals += 1
            } else if !quiet {
                refusals += 1
                if refusalExamples.count < 5 {
                    refusalExamples.append(
                        "\(before.id) '\(event.name.rawValue)' at \(now.formatted(.iso8601)): \(error.message)")
                }
            }
            return false
        }
        cases[slot].state = transition.state
        eventsApplied += 1
        if traced.contains(cases[slot].number) {
            traces[cases[slot].number, default: CaseTrace()].events.append(
                TracedEvent(at: now, event: event, actor: actor))
            traces[cases[slot].number]?.state = transition.state
        }
        observe(event, before: before, after: transition.state, effects: transition.effects, slot: slot, at: at)
        return true
    }
}

extension Calendar {
    /// The Gregorian calendar in UTC.
    static let utc: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()
}
