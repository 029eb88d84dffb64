import CareJourneyCore
import Foundation
import GRDB

/// Which open tasks a worklist shows, in what order, and which page of them.
public struct WorklistQuery: Sendable, Equatable {
    /// How a worklist is ordered.
    public enum Order: String, Sendable, CaseIterable {
        /// Soonest due first (tasks without a due date last), then oldest.
        case due
        /// Oldest first.
        case age
    }

    /// The queues whose tasks it shows (people's queues).
    public var queues: [String]
    /// Only tasks this person holds.
    public var heldBy: String? = nil
    /// Only tasks nobody holds.
    public var unheld = false
    /// Only tasks of cases of this team.
    public var team: String? = nil
    /// Only tasks of this kind.
    public var kind: TaskKind? = nil
    /// Only tasks overdue at this time.
    public var overdueAt: Date? = nil
    public var order: Order = .due
    /// Tasks skipped (earlier pages) and taken.
    public var offset = 0
    public var limit = 50

    /// A query of `queues`.
    public init(queues: [String]) { self.queues = queues }
}

/// One open task of a worklist, with its case as the list shows it.
public struct WorklistItem: Sendable, Equatable {
    public let task: TaskListing
    public let personName: String?
    public let stage: String
    public let team: String?
}

/// A page of a worklist, and how many tasks match in all.
public struct WorklistPage: Sendable, Equatable {
    public let items: [WorklistItem]
    public let total: Int
}

/// An open case allocated to someone, for "My work".
public struct AllocatedCase: Sendable, Equatable {
    public let id: CaseID
    public let personName: String?
    public let stage: String
    /// The case's next timer's due time.
    public let nextDue: Date?
}

extension CaseStore {
    /// A page of the open tasks `query` asks for, with their cases.
    public func worklist(_ query: WorklistQuery) async throws(StoreError) -> WorklistPage {
        guard !query.queues.isEmpty else { return WorklistPage(items: [], total: 0) }
        return try await readAsync { db in
            var conditions = [
                "t.status = 'open'", "t.queue IN (\(query.queues.map { _ in "?" }.joined(separator: ", ")))",
            ]
            var arguments: [(any DatabaseValueConvertible)?] = query.queues
            if let holder = query.heldBy {
                conditions.append("t.held_by = ?")
                arguments.append(holder)
            }
            if query.unheld { conditions.append("t.held_by IS NULL") }
            if let team = query.team {
                conditions.append("c.team = ?")
                arguments.append(team)
            }
            if let kind = query.kind {
                conditions.append("t.kind = ?")
                arguments.append(kind.rawValue)
            }
            if let now = query.overdueAt {
                conditions.append("t.due IS NOT NULL AND t.due < ?")
                arguments.append(now.timeIntervalSince1970)
            }
            let from = "FROM tasks t JOIN cases c ON c.id = t.case_id WHERE " + conditions.joined(separator: " AND ")
            let order = query.order == .due ? "t.due IS NULL, t.due, t.created_at, t.rowid" : "t.created_at, t.rowid"
            let total =
                try Int.fetchOne(db, sql: "SELECT COUNT(*) \(from)", arguments: StatementArguments(arguments)) ?? 0
            let items = try Row.fetchAll(
                db,
                sql: """
                    SELECT t.*, c.name AS person, c.stage AS stage, c.team AS team \(from)
                    ORDER BY \(order) LIMIT ? OFFSET ?
                    """,
                arguments: StatementArguments(arguments + [query.limit, query.offset])
            ).map { row in
                let name: String? = row["person"]
                return WorklistItem(
                    task: TaskListing(row), personName: name?.isEmpty == false ? name : nil, stage: row["stage"],
                    team: row["team"])
            }
            return WorklistPage(items: items, total: total)
        }
    }

    /// The open cases allocated to `worker`, by case number (at most `limit`).
    public func cases(allocatedTo worker: String, limit: Int) async throws(StoreError) -> [AllocatedCase] {
        try await readAsync { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT id, name, stage, next_due FROM cases WHERE worker = ? AND stage <> 'closed'
                    ORDER BY number LIMIT ?
                    """, arguments: [worker, limit]
            ).map { row in
                let name: String? = row["name"]
                return AllocatedCase(
                    id: CaseID(row["id"] as String), personName: name?.isEmpty == false ? name : nil,
                    stage: row["stage"], nextDue: (row["next_due"] as Double?).map(Date.init(timeIntervalSince1970:)))
            }
        }
    }
}
