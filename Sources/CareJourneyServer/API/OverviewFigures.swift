import CareJourneyWire
import CareJourneyCore
import CareJourneyStore
import Foundation

/// Everything the overview shows, as one value: the page renders it and `GET /api/overview` returns it, so the
/// two always agree.
struct OverviewFigures: Codable, Sendable, Equatable {
    /// When the figures were read (the engine's clock).
    let at: Date
    /// Open cases by stage, in journey order, with their waits.
    let stages: [StageFigures]
    let closed: Int
    let queues: [QueueView]
    let reviews: ReviewFigures

    /// A queue as the store and the broker see it together.
    struct QueueView: Codable, Sendable, Equatable {
        let queue: String
        /// Who serves it, as the policy says: people (a worklist) or workers (over MDP).
        let servedBy: QueueServer
        /// Tasks open in the store (waiting or in a worker's hands).
        let open: Int
        /// Tasks that failed and wait for the operations team.
        let failed: Int
        /// Seconds since the oldest open task was created.
        let oldestOpenAge: TimeInterval?
        /// Tasks in workers' hands now.
        let leased: Int
        /// Workers connected for the queue, and how many of them are idle.
        let workers: Int
        let idleWorkers: Int
    }

    /// Reads the figures from the store and the broker's latest snapshot; `policy` says who serves each queue (its
    /// people's queues are listed even when empty).
    static func read(store: CaseStore, broker: BrokerSnapshot?, policy: Policy, at now: Date) async throws(StoreError)
        -> OverviewFigures
    {
        let stages = try await store.stageFigures(at: now)
        let stats = try await store.stats()
        let queues = try await store.queueFigures()
        let reviews = try await store.reviewFigures(at: now)
        let order = Stage.allCases
        var names = Set(queues.map(\.queue))
        names.formUnion(broker?.queues.keys ?? [:].keys)
        names.formUnion(policy.peopleQueues)
        let byName = Dictionary(uniqueKeysWithValues: queues.map { ($0.queue, $0) })
        return OverviewFigures(
            at: now,
            stages: stages.sorted { (order.firstIndex(of: $0.stage) ?? 0) < (order.firstIndex(of: $1.stage) ?? 0) },
            closed: stats.byStage[Stage.closed.rawValue] ?? 0,
            queues: names.sorted().map { name in
                let stored = byName[name]
                let live = broker?.queues[name]
                return QueueView(
                    queue: name, servedBy: policy.server(of: name), open: stored?.open ?? 0, failed: stored?.failed ?? 0,
                    oldestOpenAge: stored?.oldestOpen.map { max(0, now.timeIntervalSince($0)) },
                    leased: live?.leased ?? 0, workers: live?.workers ?? 0, idleWorkers: live?.idleWorkers ?? 0)
            },
            reviews: reviews)
    }
}
