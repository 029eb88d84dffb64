import CareJourneyCore
import Foundation

/// One line of a case's history: what happened, when, who did it and why.
public struct HistoryEntry: Codable, Sendable, Equatable {
    public let seq: Int64
    public let version: Int
    public let name: String
    public let data: JSONValue
    public let at: Date
    public let actor: String
    public let reason: String?
    /// The policy the event was applied under.
    public let policy: String
    /// For a timer that fired late: by how many seconds.
    public let late: Double?
}

/// A task as the outbox holds it.
public struct TaskRecord: Codable, Sendable, Equatable {
    public let id: String
    public let kind: String
    public let queue: String
    public let detail: String?
    /// `open`, `completed`, `withdrawn`, or `failed` (still open in its case, for the operations team).
    public let status: String
    public let createdAt: Date
    public let resolvedAt: Date?
    /// Attempts that have ended (a task in a worker's hands is counted when its attempt ends).
    public let attempts: Int
    /// The last progress a worker reported.
    public let progress: String?
    /// Why the last attempt ended without an outcome, or why the task failed.
    public let lastError: String?
}

/// A pending timer.
public struct TimerRecord: Codable, Sendable, Equatable {
    public let caseID: CaseID
    public let name: TimerName
    public let due: Date
}

/// Everything about one case.
public struct CaseRecord: Sendable {
    public let state: CaseState
    public let version: Int
    public let history: [HistoryEntry]
    public let tasks: [TaskRecord]
}

/// A case in a list: enough to see where it is and what comes next.
public struct CaseSummary: Codable, Sendable, Equatable {
    public let id: CaseID
    public let stage: Stage
    public let name: String
    public let clientType: String?
    public let openedAt: Date?
    public let updatedAt: Date
    public let overdue: Bool
    /// The next milestone: the earliest pending timer.
    public let nextDue: Date?
    public let nextTimer: String?
    /// The team and allocated practitioner, when set.
    public let team: String?
    public let worker: String?
}

/// Which cases to list.
public struct CaseFilter: Sendable, Equatable {
    public var stage: Stage?
    public var overdue: Bool?
    /// Cases with an open task on this queue.
    public var queue: String?
    /// A case id, or part of a name (letters in either case as SQL `LIKE` matches them: ASCII only). One or two
    /// characters are matched a window of cases a page (see `CaseStore.cases(matching:)`).
    public var query: String?
    /// Cases of this team.
    public var team: String?
    /// Cases allocated to this practitioner.
    public var worker: String?
    public var limit: Int
    /// Continue after this cursor (from the previous page).
    public var cursor: String?

    /// Creates a filter; `limit` is clamped to 1…500.
    public init(
        stage: Stage? = nil, overdue: Bool? = nil, queue: String? = nil, query: String? = nil, team: String? = nil,
        worker: String? = nil, limit: Int = 50, cursor: String? = nil
    ) {
        self.stage = stage
        self.overdue = overdue
        self.queue = queue
        self.query = query
        self.team = team
        self.worker = worker
        self.limit = min(max(limit, 1), 500)
        self.cursor = cursor
    }
}

/// A page of cases.
public struct CasePage: Codable, Sendable, Equatable {
    public let cases: [CaseSummary]
    /// Pass as `cursor` for the next page; absent on the last page.
    public let nextCursor: String?
}

/// Counts for the dashboard and alerting.
public struct StoreStats: Codable, Sendable, Equatable {
    public let cases: Int
    public let openCases: Int
    public let byStage: [String: Int]
    public let overdueReviews: Int
    public let pendingTimers: Int
    public let openTasksByQueue: [String: Int]

    /// The stats of `figures` (the engine's, kept as it commits, or a count of the store).
    public init(_ figures: StoreFigures) {
        let byStage = figures.cases.filter { $0.value > 0 }
        cases = byStage.values.reduce(0, +)
        openCases = cases - (byStage[.closed] ?? 0)
        self.byStage = Dictionary(uniqueKeysWithValues: byStage.map { ($0.key.rawValue, $0.value) })
        overdueReviews = figures.overdue
        pendingTimers = figures.pendingTimers
        openTasksByQueue = figures.tasks.compactMapValues { statuses in statuses[.open].flatMap { $0 > 0 ? $0 : nil } }
    }
}
