import CareJourneyCore
import Foundation

/// Runs scenarios on a virtual clock through the same `Journey` core as everything else.
///
/// Before each step the clock moves to the step's time, firing every timer that comes due on the way, in due
/// order, exactly once. A refused event is a `rejected` timeline entry and the run goes on.
public struct ScenarioRunner: Sendable {
    /// The policy the cases run under.
    public let policy: Policy

    /// Creates a runner.
    public init(policy: Policy) { self.policy = policy }

    /// What a run produced.
    public struct Result: Sendable {
        /// Everything that happened, in order.
        public var timeline: [TimelineEntry] = []
        /// Every case as it ended.
        public var cases: [CaseID: CaseState] = [:]
        /// Every case's accepted events with the case after each (what reports read).
        public var histories: [CaseID: CaseHistory] = [:]
        /// Expectations that did not hold, each with its line.
        public var failedExpectations: [String] = []
        /// Steps that could not be placed in time (a time before the clock), each with its line.
        public var timingErrors: [String] = []
    }

    /// Runs a scenario.
    public func run(_ scenario: Scenario) -> Result {
        var run = Run(policy: policy, now: scenario.start)
        for step in scenario.steps {
            let target: Date
            switch step.timing {
            case .now: target = run.now
            case .after(let duration): target = duration.after(run.now)
            case .at(let date): target = date
            }
            guard target >= run.now else {
                run.result.timingErrors.append(
                    "line \(step.line): the step is at \(TimelineEntry.readable(target)), before the clock (\(TimelineEntry.readable(run.now)))"
                )
                continue
            }
            run.advance(to: target)
            switch step.action {
            case .event(let id, let event): run.apply(event, to: id, actor: step.actor)
            case .reply(let id, let kind, let event):
                // The reply names the task it answers: the oldest open one of its kind, if any.
                let task = run.result.cases[id]?.openTask(kind)?.id
                run.apply(event.answering(task), to: id, actor: step.actor ?? "worker:\(kind.rawValue)")
            case .advance: break
            }
            if let expectation = step.expectation {
                run.result.failedExpectations += Self.check(expectation, line: step.line, in: run.result.cases)
            }
        }
        return run.result
    }

    private static func check(_ expect: Scenario.Expectation, line: Int, in cases: [CaseID: CaseState]) -> [String] {
        let prefix = "line \(line): case \(expect.caseID)"
        guard let state = cases[expect.caseID] else { return ["\(prefix) does not exist"] }
        var failures: [String] = []
        if let stage = expect.stage, stage != state.stage {
            failures.append("\(prefix) is in stage \(state.stage.rawValue), expected \(stage.rawValue)")
        }
        if let timers = expect.timers, Set(timers) != Set(state.timers.keys) {
            failures.append(
                "\(prefix) has timers [\(state.timers.keys.map(\.rawValue).sorted().joined(separator: ", "))], expected [\(timers.map(\.rawValue).sorted().joined(separator: ", "))]"
            )
        }
        if let tasks = expect.tasks, tasks.sorted() != state.openTasks.map(\.kind).sorted() {
            failures.append(
                "\(prefix) has tasks [\(state.openTasks.map(\.kind.rawValue).sorted().joined(separator: ", "))], expected [\(tasks.map(\.rawValue).sorted().joined(separator: ", "))]"
            )
        }
        if let reason = expect.closed, state.closure?.reason != reason {
            failures.append(
                "\(prefix) is \(state.closure.map { "closed as \($0.reason.rawValue)" } ?? "open"), expected closed as \(reason.rawValue)"
            )
        }
        return failures
    }
}

/// The state of one run: cases, the virtual clock and its timers.
private struct Run {
    let policy: Policy
    var now: Date
    var result = ScenarioRunner.Result()
    /// Pending timers of every case, kept in step with the cases' own.
    var timers: [TimerKey: Date] = [:]

    struct TimerKey: Hashable {
        let caseID: CaseID
        let name: TimerName
    }

    init(policy: Policy, now: Date) {
        self.policy = policy
        self.now = now
    }

    /// Fires, in due order, every timer due by `target`, then sets the clock to it.
    mutating func advance(to target: Date) {
        while let (key, due) = timers.filter({ $0.value <= target }).min(by: {
            ($0.value, $0.key.caseID, $0.key.name) < ($1.value, $1.key.caseID, $1.key.name)
        }) {
            now = max(now, due)
            timers[key] = nil
            apply(.timerFired(TimerFire(timer: key.name, due: due)), to: key.caseID, actor: nil)
        }
        now = max(now, target)
    }

    mutating func apply(_ event: Event, to id: CaseID, actor: String?) {
        let state = result.cases[id] ?? CaseState(id: id)
        do throws(TransitionError) {
            // A step that names no actor is taken by "scenario"; timers fire as "timer", as the engine records them.
            let who = actor ?? (event.isSystemEvent ? "timer" : "scenario")
            if event.name == .correctRecord {
                throw TransitionError(
                    .guardFailed,
                    "a scenario cannot correct a record: a correction rewrites the case's stored history, which only "
                        + "the service holds; send it to `carejourney serve`",
                    stage: state.stage, event: event.name.rawValue, missing: ["a stored history to rewrite"])
            }
            let transition = try Journey.apply(event, to: state, at: now, by: who, policy: policy)
            result.cases[id] = transition.state
            result.histories[id, default: CaseHistory(id: id)].append(event, at: now, state: transition.state)
            var entry: TimelineEntry
            if case .timerFired(let fire) = event {
                entry = TimelineEntry(at: now, case: id, kind: .timerFired, name: fire.timer.rawValue)
            } else {
                entry = TimelineEntry(at: now, case: id, kind: .event, name: event.name.rawValue)
                entry.actor = actor
            }
            entry.from = state.stage
            entry.to = transition.state.stage
            result.timeline.append(entry)
            for effect in transition.effects { record(effect, of: id) }
        } catch {
            var entry = TimelineEntry(at: now, case: id, kind: .rejected, name: event.name.rawValue)
            entry.error = error.message
            entry.accepted = error.accepted.isEmpty ? nil : error.accepted
            result.timeline.append(entry)
        }
    }

    private mutating func record(_ effect: Effect, of id: CaseID) {
        switch effect {
        case .setTimer(let name, let due):
            timers[TimerKey(caseID: id, name: name)] = due
            var entry = TimelineEntry(at: now, case: id, kind: .timerSet, name: name.rawValue)
            entry.due = due
            result.timeline.append(entry)
        case .cancelTimer(let name):
            timers[TimerKey(caseID: id, name: name)] = nil
            result.timeline.append(TimelineEntry(at: now, case: id, kind: .timerCancelled, name: name.rawValue))
        case .enqueue(let task):
            var entry = TimelineEntry(at: now, case: id, kind: .task, name: task.kind.rawValue)
            entry.queue = task.queue
            entry.task = task.id
            result.timeline.append(entry)
        case .close(let reason):
            var entry = TimelineEntry(at: now, case: id, kind: .closed, name: reason.rawValue)
            entry.reason = reason.rawValue
            result.timeline.append(entry)
        case .openCase(let contact):
            var number = 1
            var newID = CaseID("\(id)-carer")
            while result.cases[newID] != nil {
                number += 1
                newID = CaseID("\(id)-carer-\(number)")
            }
            apply(.contact(contact), to: newID, actor: "referral from \(id)")
        case .resolveTask, .notify, .holdTask:
            break
        }
    }
}
