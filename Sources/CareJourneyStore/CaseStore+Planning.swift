import CareJourneyCore
import Foundation
import GRDB

/// What a forecast starts from in a live store: the open cases as they stand (all of them, or an even sample) and
/// how many contacts came in the last 12 months.
public struct PlanningStart: Sendable {
    /// When the store was read.
    public let asOf: Date
    /// The open cases' current states, in case-number order: every open case, or every `step`-th of them.
    public let openCases: [CaseState]
    /// How many cases were open in all.
    public let openCaseCount: Int
    /// Contacts recorded in the 365 days before `asOf` (re-referrals too): counted, or estimated from the contacts
    /// of every `step`-th case.
    public let contactsInLastYear: Int

    /// New contacts a week over the last year.
    public var contactsPerWeek: Double { Double(contactsInLastYear) * 7 / 365 }

    package init(asOf: Date, openCases: [CaseState], openCaseCount: Int, contactsInLastYear: Int) {
        self.asOf = asOf
        self.openCases = openCases
        self.openCaseCount = openCaseCount
        self.contactsInLastYear = contactsInLastYear
    }

    /// The share of the open cases `openCases` holds (1 when it holds them all).
    public var sampledFraction: Double { openCaseCount == 0 ? 1 : Double(openCases.count) / Double(openCaseCount) }
}

extension CaseStore {
    /// Cases whose states are read in one read transaction: short ones, so that a forecast over a large store never
    /// holds a snapshot that keeps the write-ahead log from being checkpointed (it grew by gigabytes under a
    /// million cases when one read held them all).
    package static let planningChunk = 1_000

    /// Reads the open cases (or an even sample of them) and the last year's contacts.
    ///
    /// - Parameters:
    ///   - now: the moment to read as of (the clock's now).
    ///   - sample: read at most about this many open cases, every n-th by case number, and estimate the year's
    ///     contacts from the same share of all cases; nil reads every open case and counts every contact.
    /// - Throws: `StoreError` when the store cannot be read or a state cannot be rebuilt.
    public func planningStart(asOf now: Date, sample: Int?) async throws(StoreError) -> PlanningStart {
        // The index by stage holds each case's number and id: one pass over it, not a look-up of every case's row.
        let open = try await readAsync { db in
            try Row.fetchAll(
                db,
                sql: "SELECT number, id FROM cases INDEXED BY cases_by_stage WHERE stage NOT IN ('closed', 'new')"
            ).map { (number: $0[0] as Int, id: $0[1] as String) }.sorted { $0.number < $1.number }.map(\.id)
        }
        let step = sample.map { max(1, Int((Double(open.count) / Double(max($0, 1))).rounded(.up))) } ?? 1
        let chosen = stride(from: 0, to: open.count, by: step).map { open[$0] }
        var states: [CaseState] = []
        states.reserveCapacity(chosen.count)
        for start in stride(from: 0, to: chosen.count, by: Self.planningChunk) {
            let ids = chosen[start..<min(start + Self.planningChunk, chosen.count)]
            states += try await readAsync { db in
                try ids.compactMap { id in try self.currentState(of: CaseID(id), in: db)?.state }
            }
        }
        let contacts = try await contactsInYear(before: now, sample: sample)
        return PlanningStart(asOf: now, openCases: states, openCaseCount: open.count, contactsInLastYear: contacts)
    }

    /// Contacts recorded in the 365 days before `now`: all of them without a sample (one pass over the events),
    /// else those of about `sample` cases — every n-th case number ever given — multiplied by n (each case's events
    /// found through its key, a chunk of cases at a time).
    private func contactsInYear(before now: Date, sample: Int?) async throws(StoreError) -> Int {
        let range: StatementArguments = [now.timeIntervalSince1970 - 365 * 86_400, now.timeIntervalSince1970]
        let highest = try await readAsync { db in try Int.fetchOne(db, sql: "SELECT MAX(number) FROM cases") ?? 0 }
        guard let sample, highest > sample else {
            return try await readAsync { db in
                try Int.fetchOne(
                    db, sql: "SELECT COUNT(*) FROM events WHERE name = 'contact' AND at > ? AND at <= ?",
                    arguments: range) ?? 0
            }
        }
        let step = Int((Double(highest) / Double(max(sample, 1))).rounded(.up))
        let numbers = Array(stride(from: 1, through: highest, by: step))
        var contacts = 0
        for start in stride(from: 0, to: numbers.count, by: Self.planningChunk) {
            let chunk = numbers[start..<min(start + Self.planningChunk, numbers.count)]
            contacts += try await readAsync { db in
                try chunk.reduce(0) { count, number in
                    count
                        + (try Int.fetchOne(
                            db,
                            sql: """
                                SELECT COUNT(*) FROM events WHERE case_id = (SELECT id FROM cases WHERE number = ?)
                                AND name = 'contact' AND at > ? AND at <= ?
                                """,
                            arguments: [number] + range) ?? 0)
                }
            }
        }
        return contacts * step
    }
}
