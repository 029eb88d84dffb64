import Foundation

extension JourneyStep {
    /// A new team or practitioner: a field left out keeps its value, an empty one clears it.
    mutating func reassign(_ change: Reassignment) {
        func merged(_ new: String?, _ old: String?) -> String? {
            guard let new else { return old }
            return new.isEmpty ? nil : new
        }
        let team = merged(change.team, state.allocation?.team)
        let worker = merged(change.worker, state.allocation?.worker)
        state.allocation = team == nil && worker == nil ? nil : Allocation(team: team, worker: worker)
    }

    /// Records what is newly known about the person (a re-referral keeps what was known before); a field left out
    /// keeps its value.
    mutating func recordDetails(_ details: PersonDetails, event: EventName) throws(TransitionError) {
        switch details.normalised() {
        case .failure(let problem):
            throw TransitionError(
                .invalidData, "the '\(problem.field)' in the data of '\(event.rawValue)' cannot be recorded: \(problem.problem)",
                stage: state.stage, event: event.rawValue, field: problem.field)
        case .success(let normalised):
            guard !normalised.isEmpty, var person = state.person else { return }
            person.details = (person.details ?? PersonDetails()).merging(normalised)
            state.person = person
        }
    }

    /// Puts a worker's task on its queue again, as new: the store reopens it (a failed task too) with its attempts
    /// counted from zero.
    mutating func retryTask(_ id: TaskID) throws(TransitionError) {
        let task = try workerTask(id, event: .retryTask)
        effects.append(.enqueue(task))
    }

    /// Withdraws a worker's task, unless that would leave the case without a next step.
    mutating func cancelTask(_ id: TaskID) throws(TransitionError) {
        let task = try workerTask(id, event: .cancelTask)
        if state.stage.isOpen && state.timers.isEmpty && state.tasks.count == 1 {
            throw refuse(
                "task \(id) cannot be cancelled", missing: ["it is the case's only next step: retry it instead"],
                event: .cancelTask)
        }
        resolveTasks(.withdrawn) { $0.id == task.id }
    }

    /// The open task `id`, which must be a worker's (one whose reply is an event).
    private func workerTask(_ id: TaskID, event: EventName) throws(TransitionError) -> CareTask {
        guard let task = state.tasks[id] else {
            throw TransitionError(
                .staleTask, "task \(id) is not open on case \(state.id); it may have been completed already",
                stage: state.stage, event: event.rawValue)
        }
        guard task.kind.replyEvent != nil else {
            throw refuse(
                "task \(id) is a practitioner's '\(task.kind.rawValue)' task",
                missing: ["only a worker's task can be retried or cancelled; a practitioner's ends with its decision"],
                event: event)
        }
        return task
    }
}
