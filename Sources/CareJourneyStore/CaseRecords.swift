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

    /// Made field by field (by any store's reads).
    package init(
        seq: Int64, version: Int, name: String, data: JSONValue, at: Date, actor: String, reason: String?,
        policy: String, late: Double?
    ) {
        self.seq = seq
        self.version = version
        self.name = name
        self.data = data
        self.at = at
        self.actor = actor
        self.reason = reason
        self.policy = policy
        self.late = late
    }
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

    /// Made field by field (by any store's reads).
    package init(
        id: String, kind: String, queue: String, detail: String?, status: String, createdAt: Date, resolvedAt: Date?,
        attempts: Int, progress: String?, lastError: String?
    ) {
        self.id = id
        self.kind = kind
        self.queue = queue
        self.detail = detail
        self.status = status
        self.createdAt = createdAt
        self.resolvedAt = resolvedAt
        self.attempts = attempts
        self.progress = progress
        self.lastError = lastError
    }
}

/// A pending timer.
public struct TimerRecord: Codable, Sendable, Equatable {
    public let caseID: CaseID
    public let name: TimerName
    public let due: Date

    /// Made field by field (by any store's reads).
    package init(caseID: CaseID, name: TimerName, due: Date) {
        self.caseID = caseID
        self.name = name
        self.due = due
    }
}

/// Everything about one case.
public struct CaseRecord: Sendable {
    public let state: CaseState
    public let version: Int
    public let history: [HistoryEntry]
    public let tasks: [TaskRecord]

    /// Made field by field (by any store's reads).
    package init(state: CaseState, version: Int, history: [HistoryEntry], tasks: [TaskRecord]) {
        self.state = state
        self.version = version
        self.history = history
        self.tasks = tasks
    }
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

    /// Made field by field (by any store's reads).
    package init(
        id: CaseID, stage: Stage, name: String, clientType: String?, openedAt: Date?, updatedAt: Date, overdue: Bool,
        nextDue: Date?, nextTimer: String?, team: String?, worker: String?
    ) {
        self.id = id
        self.stage = stage
        self.name = name
        self.clientType = clientType
        self.openedAt = openedAt
        self.updatedAt = updatedAt
        self.overdue = overdue
        self.nextDue = nextDue
        self.nextTimer = nextTimer
        self.team = team
        self.worker = worker
    }
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

    /// Made field by field (by any store's reads).
    package init(cases: [CaseSummary], nextCursor: String?) {
        self.cases = cases
        self.nextCursor = nextCursor
    }
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
