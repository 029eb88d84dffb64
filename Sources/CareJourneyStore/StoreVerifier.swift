import CareJourneyCore
import Foundation
import GRDB

/// What `store verify` found.
public struct VerificationReport: Sendable {
    /// Cases checked.
    public var cases = 0
    /// Events replayed.
    public var events = 0
    /// Each difference between a projection and its history, in words.
    public var differences: [String] = []

    /// Whether every projection equals its history.
    public var isClean: Bool { differences.isEmpty }
}

extension CaseStore {
    /// Rebuilds every case from its history (under the policy each event was applied under) and compares the
    /// result with the stored projection, the pending timers and the open tasks. Also checks that the name
    /// search finds each case by its name, that tasks carry their case's number, that no timer fired twice, and
    /// that nothing is left of a case disposed of but its certificate.
    /// Reads one consistent snapshot, so it can run beside a live server.
    ///
    /// - Parameter limit: stop listing after this many differences.
    public func verify(limit: Int = 100) throws(StoreError) -> VerificationReport {
        let policies = try policies()
        return try read { db in
            var report = VerificationReport()
            func differ(_ text: String) {
                if report.differences.count < limit { report.differences.append(text) }
            }
            let projections = try db.cachedStatement(
                sql: "SELECT * FROM cases WHERE id = ?"
            )
            let timers = try db.cachedStatement(sql: "SELECT name, due FROM timers WHERE case_id = ?")
            let openTasks = try db.cachedStatement(
                sql: "SELECT id FROM tasks WHERE \(TaskRows.ofCase("?1")) AND status IN ('open', 'failed')")
            let nameSearch = try db.cachedStatement(
                sql: "SELECT count(*) FROM cases_name WHERE \(NameSearch.match) AND rowid = ?")

            func check(_ history: CaseHistory) throws {
                let id = history.id.rawValue
                let replayed = history.latest
                report.cases += 1
                report.events += history.steps.count
                guard let row = try Row.fetchOne(projections, arguments: [id]) else {
                    differ("case \(id) has events but no projection")
                    return
                }
                let version: Int = row["version"]
                if version != history.steps.count {
                    differ("case \(id): projection version \(version), history has \(history.steps.count) events")
                }
                let columns = ProjectionColumns(replayed)
                let storedColumns = ProjectionColumns(row: row)
                if storedColumns != columns {
                    differ("case \(id): projection columns \(storedColumns) differ from the history's \(columns)")
                }
                // The stored snapshot must equal the history replayed up to the snapshot's version.
                let snapshotVersion: Int = row["state_version"]
                let stored = try StateLoader.snapshot(
                    of: CaseID(id), version: snapshotVersion, stored: row["state"])
                let replayedSnapshot =
                    snapshotVersion == 0
                    ? CaseState(id: history.id) : history.steps.last { $0.version == snapshotVersion }?.state
                if stored != replayedSnapshot {
                    differ(
                        "case \(id): the stored state (snapshot at version \(snapshotVersion)) differs from its replayed history"
                    )
                }
                var storedTimers: [TimerName: Date] = [:]
                for timer in try Row.fetchAll(timers, arguments: [id]) {
                    if let name = TimerName(rawValue: timer["name"]) {
                        storedTimers[name] = Date(timeIntervalSince1970: timer["due"])
                    }
                }
                if storedTimers != replayed.timers {
                    differ(
                        "case \(id): timers table \(storedTimers.keys.map(\.rawValue).sorted()) differs from the history's \(replayed.timers.keys.map(\.rawValue).sorted())"
                    )
                }
                let name: String = row["name"]
                if name.unicodeScalars.count >= 3,
                    try Int.fetchOne(nameSearch, arguments: [name, row["number"]]) != 1
                {
                    differ("case \(id): the name search does not find its name '\(name)'")
                }
                let storedTasks = Set(try String.fetchAll(openTasks, arguments: [id]))
                let replayedTasks = Set(replayed.tasks.keys.map(\.description))
                if storedTasks != replayedTasks {
                    differ(
                        "case \(id): open tasks \(storedTasks.sorted()) differ from the history's \(replayedTasks.sorted())"
                    )
                }
            }

            try HistoryReplay.forEachCase(
                in: db, sql: "SELECT * FROM events ORDER BY case_id, version", policies: policies,
                onFailure: { differ($0.message) }, check)

            let orphans =
                try Int.fetchOne(
                    db, sql: "SELECT COUNT(*) FROM cases WHERE id NOT IN (SELECT DISTINCT case_id FROM events)") ?? 0
            if orphans > 0 { differ("\(orphans) case projection(s) have no history") }
            let misnumbered =
                try Int.fetchOne(
                    db,
                    sql: """
                        SELECT COUNT(*) FROM tasks LEFT JOIN cases ON cases.id = tasks.case_id
                        WHERE tasks.case_number IS NOT cases.number
                        """) ?? 0
            if misnumbered > 0 { differ("\(misnumbered) task(s) do not carry their case's number") }
            let undisposed =
                try Int.fetchOne(
                    db,
                    sql: """
                        SELECT COUNT(*) FROM disposal_certificates d
                        WHERE EXISTS (SELECT 1 FROM events WHERE case_id = d.case_id)
                            OR EXISTS (SELECT 1 FROM cases WHERE id = d.case_id)
                            OR EXISTS (SELECT 1 FROM tasks WHERE \(TaskRows.ofCase("d.case_id")))
                        """) ?? 0
            if undisposed > 0 { differ("\(undisposed) disposed case(s) still have events, a projection or tasks") }
            for row in try Row.fetchAll(
                db,
                sql: """
                    SELECT case_id, data, COUNT(*) AS fires FROM events WHERE name = 'timer-fired'
                    GROUP BY case_id, data HAVING COUNT(*) > 1
                    """)
            {
                differ(
                    "case \(row["case_id"] as String): timer \(row["data"] as String) fired \(row["fires"] as Int) times"
                )
            }
            return report
        }
    }
}
