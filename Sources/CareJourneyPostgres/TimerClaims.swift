import CareJourneyCore
import CareJourneyStore
import Foundation
import Logging
import PostgresNIO

/// One node's claims on due timers, when several nodes share a store: each due timer is taken by one node at a
/// time, for a lease, so nodes do not all fire the same timers (design brief §3.8).
///
/// A claim is a lease, taken in a short transaction of its own (`FOR UPDATE SKIP LOCKED`: nodes claiming at once
/// take different timers, and none waits for another). The timer row keeps it (`claimed_by`, `claim_until`) until
/// the fire's commit deletes or moves the timer, the node releases it, or it lapses: a node that died leaves claims
/// that another node takes once `claim_until` passed, and fires late. Setting a timer again to another due time
/// clears its claim (a trigger, whatever statement does it). Exactly once does not rest on the claim: the core
/// refuses a fire for a timer no longer pending with that due time, and the writer serialises each case; the claim
/// keeps nodes from doing the same work twice and from logging refusals.
///
/// ```swift
/// let claims = TimerClaims(node: try NodeName("care-1:8080"))
/// let due = try await claims.claim(dueBy: clock.now(), limit: 500, on: connection, logger: logger)
/// // fire each; then sleep until the next one, or until a lapsed claim may be taken over:
/// let next = try await claims.nextClaimable(at: clock.now(), on: connection, logger: logger)
/// ```
///
/// Times are the caller's clock's (seconds since 1970, as the store keeps them): nodes' clocks must agree to well
/// within the lease.
public struct TimerClaims: Sendable {
    /// The node that claims.
    public let node: NodeName
    /// How long a claim lasts: longer than a fire takes (a commit, with retries), short enough that a dead node's
    /// timers fire not much later than they would have.
    public let lease: Duration
    /// The lock and statement timeouts of each claim's transaction.
    public let timeouts: ClusterTimeouts

    /// Creates a node's timer claims.
    public init(node: NodeName, lease: Duration = .seconds(30), timeouts: ClusterTimeouts = ClusterTimeouts()) {
        self.node = node
        self.lease = lease
        self.timeouts = timeouts
    }

    /// The timers names this build knows: a timer of another name (a newer version's, during an upgrade one node at a
    /// time) is left for a node that knows it, never claimed and dropped.
    private static let knownNames = TimerName.allCases.map(\.rawValue)

    /// Claims up to `limit` timers due by `now` that no node holds (or whose claim lapsed), earliest first, for
    /// this node until `now + lease`, in a transaction of its own on `connection` (which must not be in one).
    ///
    /// - Returns: the timers claimed, earliest first: this node's to fire.
    /// - Throws: `StoreError` when the claim fails or waits longer than `timeouts` allow (nothing is claimed then).
    public func claim(
        dueBy now: Date, limit: Int, on connection: PostgresConnection, logger: Logger
    ) async throws(StoreError) -> [ClaimedTimer] {
        let at = now.timeIntervalSince1970
        let until = at + lease.inSeconds
        return try await timeouts.transaction("claiming due timers for the node \(node)", on: connection, logger: logger) {
            connection in
            var claimed: [ClaimedTimer] = []
            let rows = try await connection.query(
                """
                UPDATE timers AS t SET claimed_by = \(node.rawValue), claim_until = \(until)
                FROM (SELECT case_id, name FROM timers
                      WHERE due <= \(at) AND (claim_until IS NULL OR claim_until <= \(at))
                          AND name = ANY(\(Self.knownNames)::text[])
                      ORDER BY due LIMIT \(Int64(max(0, limit))) FOR UPDATE SKIP LOCKED) AS c
                WHERE t.case_id = c.case_id AND t.name = c.name
                RETURNING t.case_id, t.name, t.due
                """, logger: logger)
            for try await (caseID, name, due) in rows.decode((String, String, Double).self) {
                guard let name = TimerName(rawValue: name) else { continue }
                claimed.append(ClaimedTimer(caseID: CaseID(caseID), name: name, due: Date(timeIntervalSince1970: due)))
            }
            return claimed.sorted { ($0.due, $0.caseID, $0.name.rawValue) < ($1.due, $1.caseID, $1.name.rawValue) }
        }
    }

    /// When a claim at or after `now` may next find a timer: the earliest due time of the timers no node holds (at
    /// or before `now` when some are due already), or the earliest end of another claim on a due timer (when a
    /// node that died left it), whichever comes first; `nil` when there are no timers. Reads through `timers_by_due`.
    public func nextClaimable(
        at now: Date, on connection: PostgresConnection, logger: Logger
    ) async throws(StoreError) -> Date? {
        let at = now.timeIntervalSince1970
        return try await timeouts.transaction("reading when the next timer is due", on: connection, logger: logger) {
            connection in
            var next: Double?
            for try await value in try await connection.query(
                """
                SELECT least(
                    (SELECT min(due) FROM timers
                     WHERE (claim_until IS NULL OR claim_until <= \(at)) AND name = ANY(\(Self.knownNames)::text[])),
                    (SELECT min(claim_until) FROM timers
                     WHERE due <= \(at) AND claim_until > \(at)))
                """, logger: logger
            ).decode(Double?.self) {
                next = value
            }
            return next.map(Date.init(timeIntervalSince1970:))
        }
    }

    /// Gives back this node's claims on `timers` (those it will not fire: it is stopping, say), so another node may
    /// take them at once; claims another node holds are left alone.
    ///
    /// - Returns: how many claims were given back.
    @discardableResult
    public func release(
        _ timers: [ClaimedTimer], on connection: PostgresConnection, logger: Logger
    ) async throws(StoreError) -> Int {
        let cases = timers.map(\.caseID.rawValue)
        let names = timers.map(\.name.rawValue)
        return try await timeouts.transaction("releasing the node \(node)'s timer claims", on: connection, logger: logger) {
            connection in
            var released = 0
            for try await _ in try await connection.query(
                """
                UPDATE timers SET claimed_by = NULL, claim_until = NULL
                WHERE claimed_by = \(node.rawValue)
                    AND (case_id, name) IN (SELECT * FROM unnest(\(cases)::text[], \(names)::text[]))
                RETURNING 1
                """, logger: logger)
            {
                released += 1
            }
            return released
        }
    }
}

/// A due timer one node claimed: its to fire.
public struct ClaimedTimer: Hashable, Sendable {
    /// The timer's case.
    public let caseID: CaseID
    /// Which of the case's timers.
    public let name: TimerName
    /// When it was due, as the timer row says (the fire carries it: the core refuses it if the case's timer moved).
    public let due: Date

    /// Creates a claimed timer.
    public init(caseID: CaseID, name: TimerName, due: Date) {
        self.caseID = caseID
        self.name = name
        self.due = due
    }
}
