import CareJourneyCore
import Foundation

/// What the counters see of each accepted event: stages entered and left, tasks created and resolved (and where
/// they wait), reviews due, done and overdue, arrivals and closures.
extension SimulationRun {
    mutating func observe(
        _ event: Event, before: CaseState, after: CaseState, effects: [Effect], slot: Int, at: Double
    ) {
        if before.stage != after.stage {
            if before.stage.isOpen { counters.change(\.stageChange, row: before.stage.index, at: at, by: -1) }
            if after.stage.isOpen { counters.change(\.stageChange, row: after.stage.index, at: at, by: 1) }
            if after.stage == .closed {
                counters.count(\.closures, at: at)
                cases[slot].agenda.removeAll { $0.action.isLifeEvent }
            }
        }
        if case .contact = event { counters.count(\.arrivals, at: at) }
        countReviews(event, before: before, after: after, at: at)
        for effect in effects {
            switch effect {
            case .enqueue(let task): enqueue(task, slot: slot, at: at)
            case .resolveTask(let id, let resolution):
                if let task = before.tasks[id] { resolved(task, resolution, slot: slot, at: at) }
            default: break
            }
        }
        if before.firstSignedOffAt == nil && after.firstSignedOffAt != nil {
            // Support has started: when the person dies or moves away.
            planExit(slot, from: max(at, startTime))
            if at < startTime { planSideEvents(slot, from: startTime) }
        }
    }

    /// Formal reviews: due (counted in the week of their due date, when done by then or when missed), done on time
    /// or late, and overdue at each week's end.
    private mutating func countReviews(_ event: Event, before: CaseState, after: CaseState, at: Double) {
        let wasOverdue = before.reviews.overdue != nil && before.stage.isOpen
        let isOverdue = after.reviews.overdue != nil && after.stage.isOpen
        if wasOverdue != isOverdue { counters.change(\.reviewsOverdueChange, at: at, by: isOverdue ? 1 : -1) }
        switch event {
        case .timerFired(let fire) where fire.timer == .reviewFirstFormalDue || fire.timer == .reviewPlannedDue:
            counters.count(\.reviewsDue, at: fire.due.timeIntervalSinceReferenceDate)
        case .reviewCompleted:
            let dueBefore = before.timers[.reviewFirstFormalDue] ?? before.timers[.reviewPlannedDue]
            let dueAfter = after.timers[.reviewFirstFormalDue] ?? after.timers[.reviewPlannedDue]
            if wasOverdue && after.reviews.overdue == nil {
                counters.count(\.reviewsLate, at: at)
            } else if let due = dueBefore, dueAfter != due {
                counters.count(\.reviewsDue, at: due.timeIntervalSinceReferenceDate)
                counters.count(\.reviewsOnTime, at: at)
            }
        default: break
        }
    }

    /// A new task waits on its queue until the team can start it (in the order tasks came), then takes its
    /// duration. Before the start everything is instant. A task already open at the start (`createdAt` earlier)
    /// joins the queue then, is not counted as created, and is overdue by its real age.
    mutating func enqueue(_ task: CareTask, slot: Int, at: Double, createdAt: Double? = nil) {
        let kind = task.kind.index
        let queue = queueOfKind[kind]
        if createdAt == nil { counters.count(\.created, row: queue, at: at) }
        var taken = at
        var done = Double.infinity
        // A task no one answers (an overdue review's escalation) stays until the journey resolves it.
        if task.kind != .escalateOverdueReview {
            if at >= startTime {
                let gap = interval[queue]
                if gap > 0 {
                    taken = max(at, nextFree[queue])
                    nextFree[queue] = taken + gap
                }
                done = (taken + durations[kind].days(&cases[slot].random) * 86_400).rounded(.down)
            } else {
                done = at
            }
        }
        if taken > at {
            counters.change(\.waitingChange, row: queue, at: at, by: 1)
            counters.change(\.waitingChange, row: queue, at: taken, by: -1)
        }
        let created = createdAt ?? at
        let overdueFrom = created + overdueAfter[queue]
        if done > overdueFrom {
            counters.change(\.overdueChange, row: queue, at: overdueFrom, by: 1)
            counters.change(\.overdueChange, row: queue, at: done, by: -1)
        }
        plan(
            .answer(task: task.id.number, queue: Int32(queue), created: created, taken: taken, done: done),
            at: done.isFinite ? done : .infinity, in: slot)
    }

    /// A task the journey resolved before its planned answer (withdrawn, or completed by another event): its
    /// waiting and overdue spans end now. A task no one answers counts as done when the journey completes it.
    private mutating func resolved(_ task: CareTask, _ resolution: TaskResolution, slot: Int, at: Double) {
        let queue = queueOfKind[task.kind.index]
        guard let index = cases[slot].answerIndex(task.id.number),
            case .answer(_, _, let created, let taken, let done) = cases[slot].agenda[index].action
        else { return }
        if resolution == .completed && !done.isFinite { counters.count(\.done, row: queue, at: at) }
        cases[slot].agenda.remove(at: index)
        if at < taken {
            counters.change(\.waitingChange, row: queue, at: at, by: -1)
            counters.change(\.waitingChange, row: queue, at: taken, by: 1)
        }
        let overdueFrom = created + overdueAfter[queue]
        if done > overdueFrom && at < done {
            counters.change(\.overdueChange, row: queue, at: max(at, overdueFrom), by: -1)
            counters.change(\.overdueChange, row: queue, at: done, by: 1)
        }
    }

    /// The figures, summed up.
    func figures() -> WeeklyFigures {
        let c = counters
        var queues: [String: WeeklyFigures.QueueFigures] = [:]
        for (q, name) in queueNames.enumerated() {
            queues[name] = .init(
                created: c.series(c.created, row: q, cumulative: false),
                done: c.series(c.done, row: q, cumulative: false),
                waiting: c.series(c.waitingChange, row: q, cumulative: true),
                overdue: c.series(c.overdueChange, row: q, cumulative: true))
        }
        var stages: [String: [Int]] = [:]
        for stage in Self.stages where stage.isOpen {
            stages[stage.rawValue] = c.series(c.stageChange, row: stage.index, cumulative: true)
        }
        return WeeklyFigures(
            start: sim.start, weeks: sim.weeks, council: sim.profile.council, policy: policy.id, seed: sim.seed,
            queues: queues,
            reviews: .init(
                due: c.series(c.reviewsDue, cumulative: false),
                doneOnTime: c.series(c.reviewsOnTime, cumulative: false),
                doneLate: c.series(c.reviewsLate, cumulative: false),
                overdue: c.series(c.reviewsOverdueChange, cumulative: true)),
            stages: stages, arrivals: c.series(c.arrivals, cumulative: false),
            closures: c.series(c.closures, cumulative: false), refusals: refusals, refusalExamples: refusalExamples,
            liveRefusals: liveRefusals,
            eventsApplied: eventsApplied)
    }
}

extension Stage {
    /// The stage's place in `allCases`.
    var index: Int { Stage.allCases.firstIndex(of: self)! }
}

extension TaskKind {
    /// The kind's place in `allCases`.
    var index: Int { TaskKind.allCases.firstIndex(of: self)! }
}
