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
    /// search finds each case by its name, that tasks carry their case's number, and that no timer fired twice.
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
                sql: "SELECT id FROM tasks WHERE case_id = ? AND status IN ('open', 'failed')")
            let nameSearch = try db.cachedStatement(
                sql: "SELECT count(*) FROM cases_name WHERE \(NameSearch.match) AND rowid = ?")

            func check(_ id: String, replayed: CaseState, events: Int, states: [Int: CaseState]) throws {
                report.cases += 1
                guard let row = try Row.fetchOne(projections, arguments: [id]) else {
                    differ("case \(id) has events but no projection")
                    return
                }
                let version: Int = row["version"]
                if version != events {
                    differ("case \(id): projection version \(version), history has \(events) events")
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
                if stored != states[snapshotVersion] {
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

            var current: (id: String, state: CaseState, events: Int, states: [Int: CaseState])?
            let cursor = try Row.fetchCursor(db, sql: "SELECT * FROM events ORDER BY case_id, version")
            while let row = try cursor.next() {
                let history = HistoryRow(row: row)
                report.events += 1
                if current?.id != history.caseID {
                    if let done = current {
                        try check(done.id, replayed: done.state, events: done.events, states: done.states)
                    }
                    let opened = CaseState(id: CaseID(history.caseID))
                    current = (history.caseID, opened, 0, [0: opened])
                }
                do {
                    if var replaying = current {
                        replaying.state = try StateLoader.replay(history, onto: replaying.state) { fingerprint in
                            guard let policy = policies[fingerprint] else {
                                throw StoreError(
                                    .corrupt,
                                    "event \(history.seq) was applied under policy \(fingerprint), which the store does not hold"
                                )
                            }
                            return policy
                        }
                        replaying.events += 1
                        replaying.states[history.version] = replaying.state
                        current = replaying
                    }
                } catch {
                    // StateLoader.replay says which event failed and why (it does not read, the policy is missing,
                    // or the case refuses it).
                    differ((error as? StoreError)?.message ?? "event \(history.seq) does not replay: \(error)")
                }
            }
            if let done = current { try check(done.id, replayed: done.state, events: done.events, states: done.states) }

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
