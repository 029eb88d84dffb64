import Foundation

/// Tasks on people's queues are held by one person at a time: taken, handed back, or allocated by a manager.
extension JourneyStep {
    /// `take-task`: the task is the actor's now. Refused when someone holds it already (naming them).
    mutating func takeTask(_ id: TaskID) throws(TransitionError) {
        let task = try peopleTask(id, event: .takeTask)
        if let holder = task.heldBy {
            throw refuse(
                "task \(id) cannot be taken",
                missing: [
                    holder == actor
                        ? "you hold it already" : "\(holder) holds it: they may hand it back, or a manager may allocate it"
                ], event: .takeTask)
        }
        hold(task.id, by: actor)
    }

    /// `hand-back-task`: the actor holds the task no longer; it waits on its queue for someone to take it.
    mutating func handBackTask(_ id: TaskID) throws(TransitionError) {
        let task = try peopleTask(id, event: .handBackTask)
        guard task.heldBy == actor else {
            throw refuse(
                "task \(id) cannot be handed back",
                missing: [
                    task.heldBy.map { "\($0) holds it, not you: a manager may allocate it" } ?? "nobody holds it"
                ], event: .handBackTask)
        }
        hold(task.id, by: nil)
    }

    /// `allocate-task`: the task is the named person's now, whoever held it before.
    mutating func allocateTask(_ allocation: TaskAllocation) throws(TransitionError) {
        let task = try peopleTask(allocation.task, event: .allocateTask)
        let person = allocation.to.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !person.isEmpty else {
            throw TransitionError(
                .invalidData, "the data of 'allocate-task' has no one to allocate the task to: give a sign-in name",
                stage: state.stage, event: EventName.allocateTask.rawValue, field: "to")
        }
        guard task.heldBy != person else {
            throw refuse("task \(task.id) cannot be allocated", missing: ["\(person) holds it already"], event: .allocateTask)
        }
        hold(task.id, by: person)
    }

    /// The open task `id`, which must be on a queue people serve (workers' tasks are leased by the broker instead).
    private func peopleTask(_ id: TaskID, event: EventName) throws(TransitionError) -> CareTask {
        guard let task = state.tasks[id] else {
            throw TransitionError(
                .staleTask, "task \(id) is not open on case \(state.id); it may have been completed already",
                stage: state.stage, event: event.rawValue)
        }
        guard policy.server(of: task.queue) == .people else {
            throw refuse(
                "task \(id) is on the \(task.queue) queue, which workers serve",
                missing: ["only a task on a people's queue is taken, handed back or allocated"], event: event)
        }
        return task
    }
}
