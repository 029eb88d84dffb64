import CareJourneyCore
import CareJourneyStore
import Foundation
import PostgresNIO

extension PostgresStore: TimerSource {
    /// Pending timers due by `deadline`, earliest first, at most `limit`, as this node's timer service should see
    /// them on a store several nodes share: the timers due now (by the engine's clock, `timeTimers(by:)`) that it claims for itself
    /// (`TimerClaims`: no other node holds them, or another's claim lapsed), those it claimed before and has not
    /// fired yet, and, ahead of them, the timers due later by `deadline` that no node holds, which it will claim
    /// once they are due (the timer service sleeps until the first). A timer another node holds is left out: that
    /// node fires it. When a node dies, its claims lapse and are taken over at this node's next look (at the latest
    /// after the timer service's window).
    public func timers(dueBy deadline: Date, limit: Int) async throws(StoreError) -> [TimerRecord] {
        let now = min(timerNow, deadline)
        let at = now.timeIntervalSince1970
        return try await withConnection("reading the timers due by \(deadline) at \(address)") { [self] connection in
            let claimed = try await timerClaims.claim(dueBy: now, limit: limit, on: connection, logger: logger)
            var timers = claimed.map { TimerRecord(caseID: $0.caseID, name: $0.name, due: $0.due) }
            for try await (caseID, name, due) in try await connection.query(
                """
                SELECT case_id, name, due FROM timers
                WHERE due <= \(deadline.timeIntervalSince1970)
                    AND ((claimed_by = \(node.rawValue) AND claim_until > \(at))
                        OR (due > \(at) AND (claim_until IS NULL OR claim_until <= \(at))))
                ORDER BY due, case_id, name LIMIT \(Int64(max(0, limit)))
                """, logger: logger
            ).decode((String, String, Double).self) {
                guard let name = TimerName(rawValue: name) else { continue }
                let timer = TimerRecord(caseID: CaseID(caseID), name: name, due: Date(timeIntervalSince1970: due))
                if !timers.contains(timer) { timers.append(timer) }
            }
            return Array(
                timers.sorted { ($0.due, $0.caseID, $0.name.rawValue) < ($1.due, $1.caseID, $1.name.rawValue) }
                    .prefix(limit))
        }
    }

    /// How many pending timers are due by `deadline`, whichever node holds them.
    public func timerCount(dueBy deadline: Date) async throws(StoreError) -> Int {
        try await withConnection("counting the timers due by \(deadline) at \(address)") { [self] connection in
            var count = 0
            for try await value in try await connection.query(
                "SELECT count(*) FROM timers WHERE due <= \(deadline.timeIntervalSince1970)", logger: logger
            ).decode(Int64.self) {
                count = Int(value)
            }
            return count
        }
    }
}
