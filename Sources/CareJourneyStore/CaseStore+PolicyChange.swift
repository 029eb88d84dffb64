import CareJourneyCore
import Foundation
import GRDB

/// What applying a policy to the running cases did (or, in a dry run, would do).
public struct PolicyChangeReport: Sendable, Equatable {
    /// Open cases looked at.
    public var examined = 0
    /// Cases whose pending timers moved (each gets an audited `policy-applied` event).
    public var changed = 0
    /// Timers moved or cancelled, across all cases.
    public var timersMoved = 0
}

extension PolicyChangeReport {
    /// Applies `policy` to the open cases `openCases` gives, a chunk at a time, as every store's `apply` does: each
    /// case whose pending timers move gets a `policy-applied` event (actor `policy`, with `reason`), one batch of
    /// `writer` a chunk; with no `writer` (a dry run), nothing is written.
    ///
    /// - Parameters:
    ///   - total: how many open cases there are, for `progress` (0 when no one is told).
    ///   - progress: called after each chunk with the open cases examined so far and `total`.
    ///   - openCases: the next chunk of open cases after the case number `after` (0 at first), in order of number,
    ///     each with its current state (`nil` when it cannot be read, and is passed over); empty once done.
    /// - Throws: `StoreError` when a chunk cannot be read or written, or a case of it cannot be retimed.
    package static func retime(
        under policy: Policy, at now: Date, reason: String, writingTo writer: (any BatchCommitter)?, total: Int,
        progress: ((_ done: Int, _ total: Int) -> Void)?,
        openCases: (_ after: Int64) throws(StoreError) -> [(number: Int64, state: CaseState?)]
    ) throws(StoreError) -> PolicyChangeReport {
        let fingerprint = policy.fingerprint
        let event = Event.policyApplied(PolicyChange(policy: policy.id))
        var report = PolicyChangeReport()
        var after: Int64 = 0
        while true {
            let rows = try openCases(after)
            guard let last = rows.last else { break }
            after = last.number
            var commands: [WriterBatch.Submission] = []
            for row in rows {
                report.examined += 1
                guard let state = row.state else { continue }
                guard let change = try? Journey.apply(event, to: state, at: now, by: "policy", policy: policy),
                    !change.effects.isEmpty
                else { continue }
                report.changed += 1
                report.timersMoved += change.effects.count
                commands.append(
                    WriterBatch.Submission(
                        command: Command(caseID: state.id, event: event, actor: "policy", reason: reason, at: now)))
            }
            if let writer, !commands.isEmpty {
                let batch = WriterBatch(
                    commands: commands, policy: policy, policyFingerprint: fingerprint, recordedAt: now)
                let outcome = try StoreError.io(CaseStore.writeFailed) { try writer.commit(batch) }
                let failures = outcome.results.compactMap { result in
                    if case .failure(let error) = result { error.description } else { nil }
                }
                if let first = failures.first {
                    throw StoreError(.io, "\(failures.count) case(s) could not be retimed; the first: \(first)")
                }
            }
            progress?(report.examined, max(total, report.examined))
        }
        return report
    }
}

extension CaseStore {
    /// Recomputes the pending timers of every open case under `policy`. Each changed case gets a
    /// `policy-applied` event (actor `policy`, with `reason`) in the same transaction as its new timers, and
    /// `policy` becomes the store's current policy. With `dryRun`, nothing is written: the report says what would
    /// change.
    ///
    /// - Parameter progress: called after each chunk with the open cases examined so far and how many there are.
    public func apply(
        _ policy: Policy, at now: Date, reason: String, dryRun: Bool, chunk: Int,
        progress: ((_ done: Int, _ total: Int) -> Void)?
    ) throws(StoreError) -> PolicyChangeReport {
        if !dryRun { try register(policy, current: true, at: now) }
        let total =
            progress == nil
            ? 0 : try read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM cases WHERE stage != 'closed'") ?? 0 }
        return try PolicyChangeReport.retime(
            under: policy, at: now, reason: reason, writingTo: dryRun ? nil : writer, total: total, progress: progress
        ) { after throws(StoreError) in
            try read { db in
                try Row.fetchAll(
                    db,
                    sql: "SELECT number, id FROM cases WHERE stage != 'closed' AND number > ? ORDER BY number LIMIT ?",
                    arguments: [after, chunk]
                ).map { row in
                    let id = CaseID(row["id"] as String)
                    return (number: row["number"] as Int64, state: try self.currentState(of: id, in: db)?.state)
                }
            }
        }
    }
}
