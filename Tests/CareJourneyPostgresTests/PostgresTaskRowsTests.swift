import CareJourneyStore
import CareJourneyTestSupport
import Foundation
import PostgresNIO
import Testing

@testable import CareJourneyPostgres

/// How a batch reads the rows of its tasks (`PostgresTaskRows.query`, sent in its pipeline; read alone here): by id,
/// and a case's open tasks when the batch moves the case's team — through the primary key, never by reading the
/// whole table.
@Suite struct PostgresTaskRowsTests {
    @Test func aCasesOpenTasksAreReadByTheirIdsRangeAloneAndInOrder() async throws {
        let address = try await PostgresServer.shared().newDatabase()
        _ = try await PostgresSchema.migrate(address, logger: quietLogger)
        try await address.onConnection { connection in
            // C-1 has two open tasks and a done one; C-10's ids begin with "C-1" too; C-2 has one open.
            for (id, caseID, status) in [
                ("C-1#1", "C-1", "open"), ("C-10#1", "C-10", "open"), ("C-1#2", "C-1", "completed"),
                ("C-2#1", "C-2", "open"), ("C-1#3", "C-1", "open"),
            ] {
                try await connection.query(
                    """
                    INSERT INTO tasks (id, case_id, kind, queue, status, created_at)
                    VALUES (\(id), \(caseID), 'find-provider', 'brokerage', \(status), 0)
                    """, logger: quietLogger
                ).drain()
            }
            let read = try await PostgresTaskRows.read(
                ids: ["C-2#1"], openOf: ["C-1"], on: connection, logger: quietLogger)
            #expect(read.order == ["C-1#1", "C-2#1", "C-1#3"], "in the order they were written")

            // Among 20,000 open tasks of 5,000 cases, a case's are found by a range of the primary key's index
            // (the plan has that range as an index condition), not by reading every open task.
            try await Self.addOpenTasks(on: connection)
            let query = try #require(PostgresTaskRows.query(ids: ["C-2#1"], openOf: ["C-1", "C-10"]))
            let plan = try await connection.plan(of: query)
            #expect(
                plan.contains { $0.contains("Index Cond: ((id >") }
                    && !plan.contains { $0.contains("Seq Scan on tasks") || $0.contains("tasks_open_by_queue") },
                "\(plan.joined(separator: "\n"))")
        }
    }

    /// A batch's statements reach its rows by their keys on the writer's connection (`PostgresWriter.byKeySettings`),
    /// however many keys and whatever the statistics: reading 2,000 of 20,000 tasks and updating them plans as index
    /// lookups, never a scan of the whole table (a plain session's planner scans and hashes it).
    @Test func theWritersStatementsReachTasksThroughTheirIndexes() async throws {
        let address = try await PostgresServer.shared().newDatabase()
        _ = try await PostgresSchema.migrate(address, logger: quietLogger)
        let writer = try await PostgresWriter.open(address, logger: quietLogger)
        do {
            let connection = writer.connection
            try await Self.addOpenTasks(on: connection)
            let ids = (0..<2_000).map { "D-\($0 * 2)#1" }
            let rows = ids.map { id in
                PostgresTaskRows.Row(
                    id: id, caseID: String(id.prefix { $0 != "#" }), queue: "brokerage", status: "completed",
                    resolvedAt: 1, attempts: 1, progress: nil, lastError: nil, heldBy: nil, team: .null, listed: 0,
                    enqueued: nil)
            }
            let update = try #require(PostgresTaskRows.update(rows))
            for query in [try #require(PostgresTaskRows.query(ids: ids, openOf: [])), update] {
                let plan = try await connection.plan(of: query)
                #expect(
                    plan.contains { $0.contains("Index") }
                        && !plan.contains { $0.contains("Seq Scan on tasks") || $0.contains("Hash Join") },
                    "\(plan.joined(separator: "\n"))")
            }
            // The control: a session with the planner's every method hashes the table for the same update.
            let plain = try await address.onConnection { try await $0.plan(of: update) }
            #expect(plain.contains { $0.contains("Hash Join") }, "\(plain.joined(separator: "\n"))")
            await writer.close()
        } catch {
            await writer.close()
            throw error
        }
    }

    /// Adds 20,000 open tasks of 5,000 cases (`D-0#0` … `D-4999#3`), and has PostgreSQL analyse the table.
    static func addOpenTasks(on connection: PostgresConnection) async throws {
        try await connection.query(
            """
            INSERT INTO tasks (id, case_id, kind, queue, status, created_at)
            SELECT 'D-' || (n / 4) || '#' || (n % 4), 'D-' || (n / 4), 'find-provider', 'brokerage', 'open', 0
            FROM generate_series(0, 19999) AS n
            """, logger: quietLogger
        ).drain()
        try await connection.query("ANALYZE tasks", logger: quietLogger).drain()
    }
}
