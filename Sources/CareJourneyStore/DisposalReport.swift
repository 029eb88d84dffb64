import CareJourneyCore
import Foundation

/// The closed cases a disposal run found past their retention period, and what became of each: what
/// `carejourney store dispose` lists (`--json` prints this value) and the service logs counts of.
///
/// It holds no personal data: case ids, dates, the rule's name and counts of rows.
public struct DisposalReport: Codable, Sendable, Equatable {
    /// The day the periods were counted to.
    public let asOf: Date
    /// Whether nothing was removed (`--dry-run`): disposable cases are then `due`.
    public let dryRun: Bool
    /// The id of the policy whose schedule was applied.
    public let policy: String
    /// Closed cases examined.
    public let examined: Int
    /// Who ran the disposal, and when (absent in a dry run).
    public let disposedBy: String?
    public let disposedAt: Date?
    /// Every case past its period, in the order of their ids.
    public let cases: [Entry]

    /// What became of a case past its period.
    public enum Outcome: String, Codable, Sendable {
        /// Removed, with a certificate left in its place.
        case disposed
        /// Would be removed (a dry run).
        case due
        /// Kept: a legal hold stands.
        case held
        /// Kept: tasks are still open on it (a safeguarding enquiry, a complaint, a notice not sent).
        case openWork = "open-work"
        /// Kept this time: it changed after it was examined (a re-referral, a hold); the next run looks again.
        case changed
    }

    /// One case past its period.
    public struct Entry: Codable, Sendable, Equatable {
        public let caseID: CaseID
        public let openedAt: Date?
        public let closedAt: Date
        /// When its period ran out.
        public let dueAt: Date
        /// The rule of the schedule that set its period, and the period.
        public let rule: String
        public let keep: String
        public let outcome: Outcome
        /// For a held case: who put the hold on, and when (its reason is not listed: it may name people).
        public let heldBy: String?
        public let heldSince: Date?
        /// Tasks still open on it.
        public let openTasks: Int
        /// For a disposed case: the rows removed, by table, as its certificate records them.
        public let removed: [String: Int]?

        enum CodingKeys: String, CodingKey {
            case caseID = "case"
            case openedAt, closedAt, dueAt, rule, keep, outcome, heldBy, heldSince, openTasks, removed
        }

        package init(_ review: RetentionReview, outcome: Outcome, removed: [String: Int]? = nil) {
            caseID = review.caseID
            openedAt = review.openedAt
            closedAt = review.closedAt
            dueAt = review.dueAt
            rule = review.rule.name
            keep = review.rule.keep.description
            self.outcome = outcome
            heldBy = review.hold?.by
            heldSince = review.hold?.at
            openTasks = review.openTasks
            self.removed = removed
        }
    }

    /// How many cases had `outcome`.
    public func count(_ outcome: Outcome) -> Int { cases.count { $0.outcome == outcome } }
}
