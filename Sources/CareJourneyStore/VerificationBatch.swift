import CareJourneyCore
import Foundation
import GRDB

/// Cases with ids in a range, as `store verify` reads them together: their rows, timers, tasks and events, each
/// read in one ordered sweep of its table's index (the tasks' primary key sorts by case, `TaskRows`). Reading needs
/// the database; checking (`check`) needs only what was read, so batches are checked in parallel while the next are
/// read. Another store fills a batch in from its own tables (`init(asked:)`) and checks it the same way.
package struct VerificationBatch: Sendable {
    /// Case ids from `lower` (exclusive, or inclusive when `includesLower`) to `upper` (inclusive); `nil`: unbounded.
    struct Range: Sendable {
        var lower: String?
        var includesLower = false
        var upper: String?

        /// One case.
        static func only(_ id: String) -> Range { Range(lower: id, includesLower: true, upper: id) }

        /// The condition on the case id `column`, and its arguments.
        func cases(_ column: String) -> (sql: String, arguments: [String]) {
            var terms: [String] = []
            var arguments: [String] = []
            if let lower {
                terms.append("\(column) \(includesLower ? ">=" : ">") ?")
                arguments.append(lower)
            }
            if let upper {
                terms.append("\(column) <= ?")
                arguments.append(upper)
            }
            return (terms.isEmpty ? "1" : terms.joined(separator: " AND "), arguments)
        }

        /// The condition on `tasks.id` that takes the tasks of these cases (a case's tasks are `case#n`, between
        /// `case#` and `case$`), and its arguments.
        var tasks: (sql: String, arguments: [String]) {
            var terms: [String] = []
            var arguments: [String] = []
            if let lower {
                terms.append(includesLower ? "tasks.id > ? || '#'" : "tasks.id >= ? || '$'")
                arguments.append(lower)
            }
            if let upper {
                terms.append("tasks.id < ? || '$'")
                arguments.append(upper)
            }
            return (terms.isEmpty ? "1" : terms.joined(separator: " AND "), arguments)
        }
    }

    /// A case's row as stored.
    package struct StoredCase: Sendable {
        let number: Int64
        let version: Int
        let snapshotVersion: Int
        let state: Data
        let columns: ProjectionColumns
        let name: String

        package init(
            number: Int64, version: Int, snapshotVersion: Int, state: Data, columns: ProjectionColumns, name: String
        ) {
            self.number = number
            self.version = version
            self.snapshotVersion = snapshotVersion
            self.state = state
            self.columns = columns
            self.name = name
        }

        /// The `team` column's value.
        package var team: StoreValue { columns.team }
    }

    package var cases: [String: StoredCase] = [:]
    package var timers: [String: [TimerName: Date]] = [:]
    /// Open and failed tasks, by case.
    package var openTasks: [String: Set<String>] = [:]
    /// The events, by case then version.
    package var events: [HistoryRow] = []
    /// Tasks whose `case_number` is not their case's number.
    package var misnumbered = 0
    /// Open tasks that do not carry their case's team (which a team's worklist reads), by id.
    package var misteamed: [String] = []
    /// Open tasks on the worklists (`listed`) though people do not serve their queue, or off them though people do:
    /// by id, with whether they are listed.
    package var mislisted: [(id: String, listed: Bool)] = []
    /// For a batch of a few cases (`--case`, `--sample`): whether the name search finds each case's name, searched
    /// case by case. `nil` for the whole store, whose names are tallied instead (`NameIndexTally`).
    package var nameFound: [String: Bool]?

    /// The case asked for, when the batch is one case listed on its own.
    package var asked: String?

    /// An empty batch, for a store to fill in from its tables: `asked`, the case asked for when the batch is one
    /// case listed on its own.
    package init(asked: String?) {
        self.asked = asked
    }

    /// Reads the cases in `range` from `db`; `listed`: one case asked for, whose name is searched; `worklistQueues`:
    /// the queues whose open tasks are on the worklists (`CaseStore.worklistQueues`), if the store has listed any.
    init(_ range: Range, in db: Database, listed: Bool, worklistQueues: Set<String>?) throws {
        asked = listed ? range.lower : nil
        let (caseCondition, caseArguments) = range.cases("id")
        let rows = try Row.fetchCursor(
            db,
            sql: "SELECT * FROM cases WHERE \(caseCondition)",
            arguments: StatementArguments(caseArguments))
        while let row = try rows.next() {
            cases[row["id"]] = StoredCase(
                number: row["number"], version: row["version"], snapshotVersion: row["state_version"],
                state: row["state"], columns: ProjectionColumns(row: row), name: row["name"])
        }
        // `case_id` in the timers and events tables.
        let (timerCondition, timerArguments) = range.cases("case_id")
        for row in try Row.fetchAll(
            db, sql: "SELECT case_id, name, due FROM timers WHERE \(timerCondition)",
            arguments: StatementArguments(timerArguments))
        {
            if let name = TimerName(rawValue: row["name"]) {
                timers[row["case_id"], default: [:]][name] = Date(timeIntervalSince1970: row["due"])
            }
        }
        let (taskCondition, taskArguments) = range.tasks
        let numberOf = try db.cachedStatement(sql: "SELECT number FROM cases WHERE id = ?")
        for row in try Row.fetchAll(
            db, sql: "SELECT id, case_id, case_number, status, team, queue, listed FROM tasks WHERE \(taskCondition)",
            arguments: StatementArguments(taskArguments))
        {
            let caseID: String = row["case_id"]
            let status: String = row["status"]
            if status == TaskStatus.open.rawValue || status == TaskStatus.failed.rawValue {
                openTasks[caseID, default: []].insert(row["id"])
            }
            if status == TaskStatus.open.rawValue, let stored = cases[caseID],
                stored.columns.team != StoreValue(row["team"] as DatabaseValue)
            {
                misteamed.append(row["id"])
            }
            if status == TaskStatus.open.rawValue, let queues = worklistQueues,
                (row["listed"] as Bool) != queues.contains(row["queue"])
            {
                mislisted.append((row["id"], row["listed"]))
            }
            // As `tasks LEFT JOIN cases`: a task of no case counts unless it carries no number either.
            let number = try cases[caseID]?.number ?? Int64.fetchOne(numberOf, arguments: [caseID])
            if (row["case_number"] as Int64?) != number { misnumbered += 1 }
        }
        // Read through a cursor: each row becomes a `HistoryRow` without being copied first.
        let eventRows = try Row.fetchCursor(
            db, sql: "SELECT * FROM events WHERE \(timerCondition) ORDER BY case_id, version",
            arguments: StatementArguments(timerArguments))
        while let row = try eventRows.next() { events.append(HistoryRow(row: row)) }
        if listed {
            let search = try db.cachedStatement(
                sql: "SELECT count(*) FROM cases_name WHERE \(NameSearch.match) AND rowid = ?")
            var found: [String: Bool] = [:]
            for (id, stored) in cases where stored.name.unicodeScalars.count >= 3 {
                found[id] = try Int.fetchOne(search, arguments: [stored.name, stored.number]) == 1
            }
            nameFound = found
        }
    }

    /// What checking a batch found.
    package struct Result: Sendable {
        package var cases = 0
        package var events = 0
        package var differences: [String] = []
        package var orphans = 0
        package var misnumbered = 0
        package var names = NameIndexTally()
    }

    /// Replays every case's history under the policy each event was applied under and compares it with what was
    /// stored; tallies the names (for the whole store's check) unless they were searched one by one.
    package func check(policies: [String: Policy]) -> Result {
        var result = Result(misnumbered: misnumbered)
        var seen = Set<String>()
        func differ(_ text: String) { result.differences.append(text) }
        for id in misteamed.sorted() { differ("task \(id) is open without its case's team") }
        for (id, listed) in mislisted.sorted(by: { $0.id < $1.id }) {
            differ(
                listed
                    ? "task \(id) is on the worklists though workers serve its queue"
                    : "task \(id) is off the worklists though people serve its queue")
        }
        HistoryReplay.forEachCase(in: events, policies: policies, onFailure: { differ($0.message) }) { history in
            let id = history.id.rawValue
            seen.insert(id)
            result.cases += 1
            result.events += history.steps.count
            compare(history, stored: cases[id], differ: differ)
        }
        result.orphans = cases.keys.count(where: { !seen.contains($0) })
        if let asked, cases.isEmpty, events.isEmpty {
            differ("case \(asked) is not in the store: it has neither a projection nor a history")
        }
        var fires: [String: [String: Int]] = [:]
        for event in events where event.name == EventName.timerFired.rawValue {
            fires[event.caseID, default: [:]][event.data, default: 0] += 1
        }
        for (id, data) in fires.sorted(by: { $0.key < $1.key }) {
            for (fire, count) in data.sorted(by: { $0.key < $1.key }) where count > 1 {
                differ("case \(id): timer \(fire) fired \(count) times")
            }
        }
        if nameFound == nil {
            for stored in cases.values { result.names.add(stored.name, number: stored.number) }
        }
        return result
    }

    /// The checks of one case's history against its stored row, timers, open tasks and name.
    private func compare(_ history: CaseHistory, stored: StoredCase?, differ: (String) -> Void) {
        let id = history.id.rawValue
        let replayed = history.latest
        guard let stored else {
            differ("case \(id) has events but no projection")
            return
        }
        if stored.version != history.steps.count {
            differ("case \(id): projection version \(stored.version), history has \(history.steps.count) events")
        }
        let columns = ProjectionColumns(replayed)
        if stored.columns != columns {
            differ("case \(id): projection columns \(stored.columns) differ from the history's \(columns)")
        }
        // The stored snapshot must equal the history replayed up to the snapshot's version.
        let version = stored.snapshotVersion
        let replayedSnapshot =
            version == 0 ? CaseState(id: history.id) : history.steps.last { $0.version == version }?.state
        do throws(StoreError) {
            let snapshot = try StateLoader.snapshot(of: history.id, version: version, stored: stored.state)
            if let replayedSnapshot, snapshot != replayedSnapshot {
                let fields = StateDifference.fields(stored: snapshot, replayed: replayedSnapshot)
                differ(
                    "case \(id): the stored state (snapshot at version \(version)) differs from its replayed history: "
                        + fields.joined(separator: "; "))
            } else if replayedSnapshot == nil {
                differ(
                    "case \(id): the stored state is a snapshot at version \(version), which its history of "
                        + "\(history.steps.count) events does not reach")
            }
        } catch {
            differ(
                "case \(id): the stored state (snapshot at version \(version)) does not read back: "
                    + (error.cause ?? error.message))
        }
        let storedTimers = timers[id] ?? [:]
        if storedTimers != replayed.timers {
            differ(
                "case \(id): timers table \(storedTimers.keys.map(\.rawValue).sorted()) differs from the history's \(replayed.timers.keys.map(\.rawValue).sorted())"
            )
        }
        if nameFound?[id] == false {
            differ("case \(id): the name search does not find its name '\(stored.name)'")
        }
        let storedTasks = openTasks[id] ?? []
        let replayedTasks = Set(replayed.tasks.keys.map(\.description))
        if storedTasks != replayedTasks {
            differ("case \(id): open tasks \(storedTasks.sorted()) differ from the history's \(replayedTasks.sorted())")
        }
    }
}
