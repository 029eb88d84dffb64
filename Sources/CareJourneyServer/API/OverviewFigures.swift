import CareJourneyWire
import CareJourneyCore
import CareJourneyStore
import Foundation

/// Everything the overview shows, as one value: the page renders it and `GET /api/overview` returns it, so the
/// two always agree.
struct OverviewFigures: Codable, Sendable, Equatable {
    /// When the figures were read (the engine's clock).
    let at: Date
    /// When the waits, the queues' oldest tasks and the reviews were read (in the background); `nil` before the
    /// first read after start, when they are left out.
    let summaryAt: Date?
    /// Open cases by stage, in journey order, with their waits.
    let stages: [Stage]
    let closed: Int
    /// Cases flagged overdue now (a review overdue, or reablement past its maximum).
    let overdue: Int
    /// Open cases with no next step (the engine's running count); `nil` until the engine has counted its store.
    let withoutNextStep: Int?
    let queues: [QueueView]
    /// `nil` before the first summary after start.
    let reviews: ReviewFigures?

    /// Open cases in one stage, now, and how long they had waited since their last event when the summary was read.
    struct Stage: Codable, Sendable, Equatable {
        let stage: CareJourneyCore.Stage
        let cases: Int
        /// Seconds since the oldest last event among them.
        let longestWait: TimeInterval?
        /// Mean seconds since their last events.
        let averageWait: TimeInterval?
    }

    /// A queue as the store and the broker see it together.
    struct QueueView: Codable, Sendable, Equatable {
        let queue: String
        /// Who serves it, as the policy says: people (a worklist) or workers (over MDP).
        let servedBy: QueueServer
        /// Tasks open in the store (waiting or in a worker's hands).
        let open: Int
        /// Tasks that failed and wait for the operations team.
        let failed: Int
        /// Seconds since the oldest open task was created (the oldest when the summary was read).
        let oldestOpenAge: TimeInterval?
        /// Tasks in workers' hands now.
        let leased: Int
        /// Workers connected for the queue, and how many of them are idle.
        let workers: Int
        let idleWorkers: Int
    }

    /// The figures that need a pass over an index, read together in the background.
    struct Summary: Codable, Sendable, Equatable {
        let at: Date
        let stages: [StageFigures]
        let queues: [QueueFigures]
        let reviews: ReviewFigures
        /// The counts as they were when the summary was read: the figures to show until the engine has counted
        /// its own after start.
        let counts: StoreFigures

        /// Reads the summary from `store` as it stands at `now`.
        static func read(from store: any CareStore, at now: Date) async throws(StoreError) -> Summary {
            let stages = try await store.stageFigures(at: now)
            let queues = try await store.queueFigures()
            let reviews = try await store.reviewFigures(at: now)
            var counts = StoreFigures()
            for stage in stages { counts.cases[stage.stage] = stage.cases }
            counts.cases[.closed] = try await store.closedCases()
            counts.overdue = reviews.overdue
            for queue in queues {
                counts.tasks[queue.queue] = [.open: queue.open, .failed: queue.failed]
            }
            return Summary(at: now, stages: stages, queues: queues, reviews: reviews, counts: counts)
        }
    }

    /// The overview from the engine's `counts`, the last `summary` and the broker's latest snapshot; `policy` says
    /// who serves each queue (its people's queues are listed even when empty).
    ///
    /// - Parameter withoutNextStep: the engine's running count of open cases with no next step, once it has one.
    init(
        counts: StoreFigures, withoutNextStep: Int?, summary: Summary?, broker: BrokerSnapshot?, policy: Policy,
        at now: Date
    ) {
        at = now
        self.withoutNextStep = withoutNextStep
        summaryAt = summary?.at
        let waits = Dictionary(uniqueKeysWithValues: (summary?.stages ?? []).map { ($0.stage, $0) })
        stages = CareJourneyCore.Stage.allCases.compactMap { stage in
            guard stage != .closed, stage != .new, let cases = counts.cases[stage], cases > 0 else { return nil }
            return Stage(
                stage: stage, cases: cases, longestWait: waits[stage]?.longestWait,
                averageWait: waits[stage]?.averageWait)
        }
        closed = counts.cases[.closed] ?? 0
        overdue = counts.overdue
        let oldest = Dictionary(uniqueKeysWithValues: (summary?.queues ?? []).map { ($0.queue, $0.oldestOpen) })
        var names = Set(counts.tasks.compactMap { queue, statuses in
            (statuses[.open] ?? 0) + (statuses[.failed] ?? 0) > 0 ? queue : nil
        })
        names.formUnion(broker?.queues.keys ?? [:].keys)
        names.formUnion(policy.peopleQueues)
        queues = names.sorted().map { name in
            let live = broker?.queues[name]
            let open = counts.tasks[name]?[.open] ?? 0
            return QueueView(
                queue: name, servedBy: policy.server(of: name), open: open,
                failed: counts.tasks[name]?[.failed] ?? 0,
                oldestOpenAge: open == 0
                    ? nil : oldest[name].flatMap { $0 }.map { max(0, now.timeIntervalSince($0)) },
                leased: live?.leased ?? 0, workers: live?.workers ?? 0, idleWorkers: live?.idleWorkers ?? 0)
        }
        reviews = summary?.reviews
    }
}
