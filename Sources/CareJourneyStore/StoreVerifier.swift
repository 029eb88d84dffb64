import CareJourneyCore
import Dispatch
import Foundation
import GRDB
import Synchronization

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

/// What the checked batches of `store verify` add up to, whichever store they were read from: the cases and events
/// checked, the differences listed (at most `limit`), and the counts said once at the end.
package struct VerificationSummary {
    private var listed = VerificationReport()
    private let limit: Int
    private var orphans = 0
    private var misnumbered = 0
    /// The names of every case checked, tallied (for the name search of the whole store).
    package private(set) var names = NameIndexTally()

    package init(limit: Int) { self.limit = limit }

    /// Lists a difference, unless `limit` are listed already.
    package mutating func differ(_ text: String) {
        if listed.differences.count < limit { listed.differences.append(text) }
    }

    /// Adds a batch's result, in batch order.
    package mutating func add(_ result: VerificationBatch.Result) {
        listed.cases += result.cases
        listed.events += result.events
        result.differences.forEach { differ($0) }
        orphans += result.orphans
        misnumbered += result.misnumbered
        names.merge(result.names)
    }

    /// Counts the cases certified disposed of that still have events, a projection or tasks (SQL both stores run).
    package static let countUndisposed = """
        SELECT COUNT(*) FROM disposal_certificates d
        WHERE EXISTS (SELECT 1 FROM events WHERE case_id = d.case_id)
            OR EXISTS (SELECT 1 FROM cases WHERE id = d.case_id)
            OR EXISTS (SELECT 1 FROM tasks WHERE \(TaskRows.ofCase("d.case_id")))
        """

    /// The report, ending with the projections without a history, the tasks without their case's number, and the
    /// `undisposed` cases (certified disposed of, with events, a projection or tasks still stored).
    package mutating func report(undisposed: Int) -> VerificationReport {
        if orphans > 0 { differ("\(orphans) case projection(s) have no history") }
        if misnumbered > 0 { differ("\(misnumbered) task(s) do not carry their case's number") }
        if undisposed > 0 { differ("\(undisposed) disposed case(s) still have events, a projection or tasks") }
        return listed
    }
}

/// The batches checked so far, from the threads that check them.
final class VerificationTally: Sendable {
    private let state = Mutex<(checked: Int, results: [Int: VerificationBatch.Result])>((0, [:]))

    /// Adds the result of batch `number`, which held `cases` cases.
    func add(_ result: VerificationBatch.Result, number: Int, cases: Int) {
        state.withLock { state in
            state.checked += cases
            state.results[number] = result
        }
    }

    /// Cases checked so far.
    var checked: Int { state.withLock { $0.checked } }

    /// The results, in batch order.
    var results: [VerificationBatch.Result] {
        state.withLock { $0.results }.sorted { $0.key < $1.key }.map(\.value)
    }
}

/// Which cases `store verify` checks.
public enum VerificationScope: Sendable {
    /// Every case, and the name search index whole.
    case all
    /// These cases (`--case C-n`).
    case cases([CaseID])
    /// So many cases picked at random (`--sample N`), for a quick look beside a live service.
    case sample(Int)
}

extension CaseStore {
    /// Cases read and checked together: large enough that each table is read in long ordered runs, small enough
    /// that a few batches in memory at once stay small (~2,000 cases and their ~14,000 events).
    package static let verificationBatch = 2_000

    /// Rebuilds every case from its history (under the policy each event was applied under) and compares the
    /// result with the stored projection, the pending timers and the open tasks. Also checks that the name
    /// search finds each case by its name, that tasks carry their case's number, that no timer fired twice, and
    /// that nothing is left of a case disposed of but its certificate.
    /// Reads one consistent snapshot, so it can run beside a live server. Cases are read in batches by id, each
    /// table in index order, and checked on every core while the next batches are read; the name index is checked
    /// whole in one pass (`NameIndexTally`).
    ///
    /// - Parameters:
    ///   - scope: every case (the default), some cases, or a sample.
    ///   - limit: stop listing after this many differences.
    ///   - progress: called now and then on the reading thread with the cases checked so far and the total.
    /// - Throws: `io` if the store cannot be read.
    public func verify(
        _ scope: VerificationScope = .all, limit: Int = 100,
        progress: (@Sendable (_ done: Int, _ total: Int) -> Void)? = nil
    ) throws(StoreError) -> VerificationReport {
        try verify(scope, limit: limit, batch: Self.verificationBatch, progress: progress)
    }

    /// `verify` reading `batch` cases at a time.
    func verify(
        _ scope: VerificationScope, limit: Int, batch: Int,
        progress: (@Sendable (_ done: Int, _ total: Int) -> Void)?
    ) throws(StoreError) -> VerificationReport {
        let policies = try policies()
        return try read { db in
            let ranges = try Self.ranges(of: scope, batch: batch, in: db)
            let worklistQueues = try Self.worklistQueues(in: db)
            let total = try ranges.total(db)
            let tally = VerificationTally()
            let group = DispatchGroup()
            // Batches read and not yet checked: the reader waits when this many are in hand.
            let inFlight = DispatchSemaphore(value: 2 * ProcessInfo.processInfo.activeProcessorCount)
            var index = 0
            var next = try ranges.first(in: db)
            while let range = next {
                inFlight.wait()
                let batch = try VerificationBatch(
                    range.range, in: db, listed: scope.listsCases, worklistQueues: worklistQueues)
                next = try ranges.after(range, in: db)
                let number = index
                index += 1
                DispatchQueue.global().async(group: group) {
                    tally.add(batch.check(policies: policies), number: number, cases: batch.cases.count)
                    inFlight.signal()
                }
                progress?(tally.checked, total)
            }
            group.wait()
            progress?(total, total)

            var summary = VerificationSummary(limit: limit)
            tally.results.forEach { summary.add($0) }
            if case .all = scope {
                try Self.compare(summary.names, withTheIndexIn: db) { summary.differ($0) }
            }
            return summary.report(
                undisposed: try Int.fetchOne(db, sql: VerificationSummary.countUndisposed) ?? 0)
        }
    }

    /// The batches of `scope`, in case id order.
    private static func ranges(of scope: VerificationScope, batch: Int, in db: Database) throws
        -> VerificationRanges
    {
        switch scope {
        case .all:
            return .store(batch: batch)
        case .cases(let ids):
            return .listed(Array(Set(ids.map(\.rawValue))).sorted())
        case .sample(let count):
            return .listed(
                try String.fetchAll(db, sql: "SELECT id FROM cases ORDER BY random() LIMIT ?", arguments: [count])
                    .sorted())
        }
    }

    /// Compares the names the cases hold with the name search index, tallied whole; searches case by case only
    /// the names that hold a sequence whose tally differs, to say which.
    private static func compare(
        _ names: NameIndexTally, withTheIndexIn db: Database, differ: (String) -> Void
    ) throws {
        let differing = names.differences(from: try NameIndexTally.ofIndex(in: db))
        guard !differing.isEmpty else { return }
        let search = try db.cachedStatement(
            sql: "SELECT count(*) FROM cases_name WHERE \(NameSearch.match) AND rowid = ?")
        var named = 0
        let rows = try Row.fetchCursor(db, sql: "SELECT id, number, name FROM cases ORDER BY id")
        while let row = try rows.next() {
            let name: String = row["name"]
            guard NameIndexTally.trigrams(of: name).contains(where: { differing.contains($0) }),
                try Int.fetchOne(search, arguments: [name, row["number"]]) != 1
            else { continue }
            named += 1
            differ("case \(row["id"] as String): the name search does not find its name '\(name)'")
        }
        if named == 0 {
            let sample = differing.prefix(5).map { "'\($0.text)'" }.sorted().joined(separator: ", ")
            differ(
                "the name search holds entries no case's name has (\(differing.count) sequence(s), such as \(sample)): "
                    + "it is out of step with the names")
        }
    }
}

extension VerificationScope {
    /// Whether cases are checked one by one (their names searched case by case) rather than the whole store (its
    /// names tallied).
    package var listsCases: Bool {
        if case .all = self { return false }
        return true
    }
}

/// The batches `store verify` reads, in case id order: the whole store in slices of `verificationBatch` cases, or
/// each case listed on its own.
enum VerificationRanges {
    case store(batch: Int)
    case listed([String])

    /// A batch and where it stands in the listing.
    struct Batch {
        let range: VerificationBatch.Range
        let position: Int
    }

    func first(in db: Database) throws -> Batch? {
        switch self {
        case .store(let size): try slice(after: nil, size: size, position: 0, in: db)
        case .listed(let ids): ids.first.map { Batch(range: .only($0), position: 0) }
        }
    }

    /// The batch after `batch`, if any.
    func after(_ batch: Batch, in db: Database) throws -> Batch? {
        switch self {
        case .store(let size):
            guard let upper = batch.range.upper else { return nil }
            return try slice(after: upper, size: size, position: batch.position + 1, in: db)
        case .listed(let ids):
            let position = batch.position + 1
            return position < ids.count ? Batch(range: .only(ids[position]), position: position) : nil
        }
    }

    /// The slice of the store after the case id `lower`: to the id `size` cases on (through the index of case ids),
    /// or open-ended for the last, so that the events of a case with no projection are read too.
    private func slice(after lower: String?, size: Int, position: Int, in db: Database) throws -> Batch {
        let upper = try String.fetchOne(
            db, sql: "SELECT id FROM cases WHERE id > ? ORDER BY id LIMIT 1 OFFSET ?",
            arguments: [lower ?? "", size - 1])
        return Batch(range: .init(lower: lower, upper: upper), position: position)
    }

    /// How many cases there are to check.
    func total(_ db: Database) throws -> Int {
        switch self {
        case .store: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM cases") ?? 0
        case .listed(let ids): ids.count
        }
    }
}
