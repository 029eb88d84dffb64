import Foundation

/// One transition being worked out: the case as it becomes, and the effects that say so.
///
/// Every change to timers and tasks goes through these methods, which change the state and record the effect
/// together, so the effects always match the state.
struct JourneyStep {
    var state: CaseState
    var effects: [Effect] = []
    let now: Date
    /// Who sent the event (for the four-eyes rules).
    let actor: String
    let policy: Policy

    init(state: CaseState, now: Date, actor: String, policy: Policy) {
        self.state = state
        self.now = now
        self.actor = actor
        self.policy = policy
    }

    // MARK: Timers

    mutating func setTimer(_ name: TimerName, at due: Date) {
        state.timers[name] = due
        effects.append(.setTimer(name, due: due))
    }

    /// Sets the timer for when `TimerSchedule` says it is due; cancels it when it has no due time.
    mutating func schedule(_ name: TimerName) {
        if let due = TimerSchedule.due(of: name, in: state, policy: policy) {
            setTimer(name, at: due)
        } else {
            cancelTimers([name])
        }
    }

    /// Recomputes every pending timer under the step's policy (a policy change); returns whether any moved.
    mutating func retime() {
        for (name, due) in state.pendingTimers {
            let wanted = TimerSchedule.due(of: name, in: state, policy: policy)
            if wanted != due { schedule(name) }
        }
        if let episode = state.reablement, let ends = TimerSchedule.due(of: .reablementEnd, in: state, policy: policy) {
            state.reablement?.endsAt = episode.overran ? episode.endsAt : ends
        }
    }

    mutating func cancelTimers(_ names: [TimerName]) {
        for name in names where state.timers.removeValue(forKey: name) != nil {
            effects.append(.cancelTimer(name))
        }
    }

    // MARK: Tasks

    @discardableResult
    mutating func openTask(_ kind: TaskKind, detail: String? = nil) -> TaskID {
        let id = TaskID(caseID: state.id, number: state.nextTaskNumber)
        state.nextTaskNumber += 1
        let task = CareTask(
            id: id, kind: kind, queue: policy.queue(for: kind), createdAt: now, detail: detail,
            due: TaskDue.due(of: kind, openedAt: now, policy: policy))
        state.tasks[id] = task
        effects.append(.enqueue(task))
        return id
    }

    /// The open task `id` is held by `holder` now (nobody: `nil`).
    mutating func hold(_ id: TaskID, by holder: String?) {
        state.tasks[id]?.heldBy = holder
        effects.append(.holdTask(id, holder: holder))
    }

    /// Opens a task of this kind and detail unless one is already open.
    mutating func ensureTask(_ kind: TaskKind, detail: String? = nil) {
        if !state.tasks.values.contains(where: { $0.kind == kind && $0.detail == detail }) {
            openTask(kind, detail: detail)
        }
    }

    /// Resolves every open task that matches.
    mutating func resolveTasks(
        _ resolution: TaskResolution = .completed, where matches: (CareTask) -> Bool
    ) {
        for task in state.openTasks where matches(task) { resolve(task.id, resolution) }
    }

    /// Closes one open task: off the case, and resolved in the outbox.
    private mutating func resolve(_ id: TaskID, _ resolution: TaskResolution) {
        state.tasks[id] = nil
        effects.append(.resolveTask(id, resolution))
    }

    mutating func resolveTasks(_ kind: TaskKind, _ resolution: TaskResolution = .completed) {
        resolveTasks(resolution) { $0.kind == kind }
    }

    /// Completes the task a reply names, or the oldest open one of its kind when it names none.
    mutating func completeTask(_ kind: TaskKind, named id: TaskID?) throws(TransitionError) {
        let task = id.flatMap { state.tasks[$0] } ?? (id == nil ? state.openTask(kind) : nil)
        guard let task, task.kind == kind else {
            throw TransitionError(
                .staleTask,
                "task \(id?.description ?? "of kind '\(kind.rawValue)'") is not open on case \(state.id) as a "
                    + "'\(kind.rawValue)' task; it may have been completed already",
                stage: state.stage, event: kind.replyEvent?.rawValue)
        }
        // The one task, by its key: not found by sorting every open task and looking at each.
        resolve(task.id, .completed)
    }

    // MARK: Stages

    /// Moves to a stage: the old stage's task is done, the new stage's task is opened.
    mutating func enter(_ stage: Stage) {
        if let done = state.stage.stageTask, done != stage.stageTask { resolveTasks(done) }
        state.stage = stage
        if let next = stage.stageTask { ensureTask(next) }
    }

    mutating func notify(_ kind: Notice.Kind, _ message: String) {
        effects.append(.notify(Notice(kind, message)))
    }

    /// Ends the journey's own work: every timer cancelled, every journey task withdrawn.
    mutating func stopJourneyWork() {
        cancelTimers(TimerName.allCases)
        resolveTasks(.withdrawn) { !$0.kind.outlivesTheCase }
        state.reviews.current = nil
    }

    /// Closes the case. Funded services and a direct payment are stopped through an `end-services` task.
    mutating func close(_ reason: ClosureReason) {
        stopJourneyWork()
        state.interimProvider = nil
        if state.isFunded { ensureTask(.endServices) }
        if state.directPayment.status != .none {
            state.directPayment.status = .none
            state.directPayment.auditFrom = nil
        }
        state.stage = .closed
        state.closure = Closure(reason: reason, at: now)
        effects.append(.close(reason))
    }

    /// Refuses the event because a rule is not met, naming what is missing.
    func refuse(_ what: String, missing: [String], event: EventName) -> TransitionError {
        TransitionError(
            .guardFailed, "\(what): " + missing.joined(separator: "; "), stage: state.stage, event: event.rawValue,
            missing: missing)
    }
}
