import CareJourneyCore
import CareJourneyStore

/// When each open task was committed, so that the commit of its completion says how long the task took.
///
/// Only tasks committed since the service started are timed (a task from before has no commit instant here).
/// Memory: one entry (about 50 bytes) for each such task still open; a completed or withdrawn task leaves.
struct TaskLatencies {
    private var committed: [TaskID: (queue: String, at: ContinuousClock.Instant)] = [:]

    /// A completed task: its queue and the seconds from its commit to its completion's.
    struct Completed: Equatable {
        let queue: String
        let seconds: Double
    }

    /// Takes the events of one commit, made at `instant`: new tasks are remembered, and the tasks they complete
    /// are returned with how long they took.
    mutating func take(_ events: [CommittedEvent], at instant: ContinuousClock.Instant) -> [Completed] {
        var completed: [Completed] = []
        for event in events {
            for effect in event.effects {
                switch effect {
                case .enqueue(let task):
                    committed[task.id] = (task.queue, instant)
                case .resolveTask(let id, let resolution):
                    guard let task = committed.removeValue(forKey: id), resolution == .completed else { continue }
                    completed.append(Completed(queue: task.queue, seconds: (instant - task.at) / .seconds(1)))
                case .setTimer, .cancelTimer, .notify, .close, .openCase, .holdTask:
                    break
                }
            }
        }
        return completed
    }
}
