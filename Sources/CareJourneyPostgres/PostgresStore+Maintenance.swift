import CareJourneyCore
import CareJourneyStore
import Foundation
import Logging
import PostgresNIO

/// Checking the store, and disposal (`PostgresStore+Disposal.swift`), with the meaning `CaseStore` gives them; each
/// check is one consistent read (a `REPEATABLE READ` transaction), so it runs beside live nodes.
extension PostgresStore: StoreMaintenance {
    /// Rebuilds every case in `scope` from its history and compares the result with the stored projection, the
    /// pending timers and the open tasks, as `CaseStore.verify` does (`VerificationBatch` checks both stores' cases),
    /// from one consistent read: listing at most `limit` differences, calling `progress` now and then with the cases
    /// checked and the total.
    ///
    /// The name search's table (`case_names`) is compared too: a case whose row is missing or holds another name is
    /// listed, and so, checking the whole store, are rows of no case (`rebuildNameSearch` repairs both), in the words
    /// SQLite's check uses.
    public func verify(
        _ scope: VerificationScope, limit: Int, progress: (@Sendable (_ done: Int, _ total: Int) -> Void)?
    ) async throws(StoreError) -> VerificationReport {
        try await verify(scope, limit: limit, batch: CaseStore.verificationBatch, progress: progress)
    }

    /// `verify` reading `batch` cases at a time, checking up to twice as many batches at once as there are cores
    /// while the next are read.
    func verify(
        _ scope: VerificationScope, limit: Int, batch: Int,
        progress: (@Sendable (_ done: Int, _ total: Int) -> Void)?
    ) async throws(StoreError) -> VerificationReport {
        let logger = logger
        return try await withSnapshot("verifying the store") { connection in
            let policies = try await connection.policies(logger: logger)
            let reader = try await PostgresVerificationReader(
                scope: scope, batch: batch, on: connection, logger: logger)
            let results = try await withThrowingTaskGroup(of: (Int, VerificationBatch.Result).self) { group in
                var results: [Int: VerificationBatch.Result] = [:]
                var (checked, total) = (0, reader.total)
                var number = 0
                var range = try await reader.first()
                while let current = range {
                    if number - results.count >= 2 * ProcessInfo.processInfo.activeProcessorCount,
                        let checkedBatch = try await group.next()
                    {
                        results[checkedBatch.0] = checkedBatch.1
                        checked += checkedBatch.1.cases
                        progress?(checked, total)
                    }
                    let read = try await reader.batch(current)
                    range = try await reader.after(current)
                    group.addTask { [number] in (number, read.check(policies: policies)) }
                    number += 1
                }
                for try await (done, result) in group { results[done] = result }
                total = max(total, checked)
                progress?(total, total)
                return results.sorted { $0.key < $1.key }.map(\.value)
            }
            var summary = VerificationSummary(limit: limit)
            results.forEach { summary.add($0) }
            if case .all = scope {
                try await Self.compareNamesOfNoCase(on: connection, logger: logger, summary: &summary)
            }
            return summary.report(
                undisposed: try await connection.integer(
                    "\(unescaped: VerificationSummary.countUndisposed)", logger: logger))
        }
    }

    /// Lists the name search's rows whose number is no case's (`verify`, for the whole store).
    private static func compareNamesOfNoCase(
        on connection: PostgresConnection, logger: Logger, summary: inout VerificationSummary
    ) async throws {
        var (count, sample): (Int64, [String]) = (0, [])
        for try await (total, name) in try await connection.query(
            """
            SELECT count(*) OVER (), name FROM case_names n
            WHERE NOT EXISTS (SELECT 1 FROM cases c WHERE c.number = n.number) ORDER BY number LIMIT 5
            """, logger: logger
        ).decode((Int64, String).self) {
            count = total
            sample.append("'\(name)'")
        }
        guard count > 0 else { return }
        summary.differ(
            "the name search holds entries no case's name has (\(count) name(s), such as "
                + "\(sample.sorted().joined(separator: ", "))): it is out of step with the names")
    }

    /// Checks, from the projections alone, the invariants the engine relies on (`CaseStore.doctor`), from one
    /// consistent read. `dataDirectory` names the store in the commands the findings give: the address as the user
    /// gave it (without its password), the store's own by default.
    public func doctor(dataDirectory: String?, limit: Int) async throws(StoreError) -> DoctorReport {
        let logger = logger
        let store = dataDirectory ?? address.description
        let commands = StoreDoctor.Commands(
            verify: { id in "carejourney store verify --case \(id) --store \(store)" },
            repair: { sql in "with every node stopped: psql '\(store)' -c \"\(sql)\"" })
        let outliving = TaskKind.outlivingTheCase.map(\.rawValue).sorted()
        let queries: [(DoctorFinding.Problem, PostgresQuery)] = [
            (.noNextStep, "\(unescaped: Self.withoutNextStep)"),
            (
                .timerOnClosedCase,
                """
                SELECT c.id, c.number, c.stage, t.name FROM cases c JOIN timers t ON t.case_id = c.id
                WHERE c.stage = 'closed' ORDER BY c.number, t.name
                """
            ),
            (
                .taskOnClosedCase,
                """
                SELECT c.id, c.number, c.stage, t.id, t.kind FROM tasks t
                JOIN cases c ON c.stage = 'closed' AND c.number = t.case_number
                WHERE t.status IN ('open', 'failed') AND NOT t.kind = ANY(\(outliving)::text[])
                ORDER BY c.number, t.id
                """
            ),
            (.overdueNotEscalated, "\(unescaped: StoreDoctor.overdueNotEscalated) ORDER BY number"),
        ]
        return try await withSnapshot("examining the store") { connection in
            var found: [DoctorFinding.Problem: [DoctorCase]] = [:]
            for (problem, query) in queries {
                var cases: [DoctorCase] = []
                for try await row in try await connection.query(query, logger: logger) {
                    let columns = row.makeRandomAccess()
                    cases.append(
                        DoctorCase(
                            id: try columns[0].decode(String.self), number: try columns[1].decode(Int64.self),
                            stage: try columns[2].decode(String.self),
                            timer: problem == .timerOnClosedCase ? try columns[3].decode(String.self) : nil,
                            task: problem == .taskOnClosedCase ? try columns[3].decode(String.self) : nil,
                            kind: problem == .taskOnClosedCase ? try columns[4].decode(String.self) : nil))
                }
                found[problem] = cases
            }
            return StoreDoctor.report(
                openCases: try await connection.integer(
                    "SELECT COUNT(*) FROM cases WHERE stage <> 'closed'", logger: logger),
                closedCases: try await connection.integer(
                    "SELECT COUNT(*) FROM cases WHERE stage = 'closed'", logger: logger),
                limit: limit, commands: commands
            ) { found[$0] ?? [] }
        }
    }

    /// Counts the store's cases and events and reads its last event, from one snapshot.
    public func contents() async throws(StoreError) -> StoreContents {
        let logger = logger
        return try await withSnapshot("counting the store's contents") { connection in
            var last: StoreContents.LastEvent?
            for try await (seq, caseID, name, at, recordedAt) in try await connection.query(
                "SELECT seq, case_id, name, at, recorded_at FROM events ORDER BY seq DESC LIMIT 1", logger: logger
            ).decode((Int64, String, String, Double, Double).self) {
                last = StoreContents.LastEvent(
                    seq: seq, caseID: caseID, name: name, at: Date(timeIntervalSince1970: at),
                    committedAt: Date(timeIntervalSince1970: recordedAt))
            }
            return StoreContents(
                cases: try await connection.integer("SELECT COUNT(*) FROM cases", logger: logger),
                events: try await connection.integer("SELECT COUNT(*) FROM events", logger: logger), lastEvent: last)
        }
    }

    /// Makes the name search's table (`case_names`) again from the cases' names — the rows of no case removed, those
    /// missing or holding another name written (`PostgresSchema.repairCaseNames`) — then rebuilds its trigram index
    /// (`REINDEX INDEX CONCURRENTLY`). Writers go on beside it; those opening or renaming a case wait for the rows'
    /// repair.
    ///
    /// For tools that write cases straight into the store's tables, or to repair the table when `store verify` finds
    /// it out of step; a damaged index, which PostgreSQL's own `amcheck` would show, is rebuilt too.
    public func rebuildNameSearch() async throws(StoreError) {
        let logger = logger
        try await withConnection("rebuilding the name search") { connection in
            try await connection.withTransaction(logger: logger) { connection in
                try await PostgresSchema.repairCaseNames(on: connection, logger: logger)
            }
            // Outside a transaction: REINDEX CONCURRENTLY cannot run inside one.
            try await connection.query("REINDEX INDEX CONCURRENTLY case_names_trigrams", logger: logger).drain()
        }
    }

    /// Repairs the name search's table when it is out of step with the cases' names, as a node starts; reads only
    /// when it is in step. A node of a build before migration `p5`, still serving while another was upgraded, writes
    /// cases without their rows in `case_names` (it knows nothing of the table): each node that starts heals what such
    /// nodes wrote, so once the last one is upgraded and started, the search finds every case again.
    ///
    /// - Returns: whether the table was out of step (and is repaired now).
    public func healNameSearch() async throws(StoreError) -> Bool {
        let logger = logger
        return try await withConnection("checking the name search against the cases' names") { connection in
            guard try await PostgresSchema.caseNamesOutOfStep(on: connection, logger: logger) else { return false }
            try await connection.withTransaction(logger: logger) { connection in
                try await PostgresSchema.repairCaseNames(on: connection, logger: logger)
            }
            return true
        }
    }

    /// When disposal last ran, if it has.
    public func lastDisposal() async throws(StoreError) -> Date? {
        let logger = logger
        return try await withConnection("reading when disposal last ran") { connection in
            var value: String?
            for try await text in try await connection.query(
                "SELECT value FROM meta WHERE key = \(CaseStore.lastDisposalKey)", logger: logger
            ).decode(String.self) {
                value = text
            }
            return value.flatMap(Double.init).map(Date.init(timeIntervalSince1970:))
        }
    }
}
