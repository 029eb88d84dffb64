/// The name of a case's timer. A case has at most one pending timer of each name.
///
/// The raw values are a **contract**: scenarios, the store, dashboards and alert rules use them.
public enum TimerName: String, Choice, Comparable {
    /// Weekly progress check during reablement.
    case reablementCheck = "reablement.check"
    /// The end of reablement's free period: reaching it without an outcome escalates.
    case reablementEnd = "reablement.end"
    /// The informal review, 72 hours (by policy) after sign-off.
    case reviewInformal = "review.informal"
    /// The first formal review's window opens (6 weeks after sign-off by policy).
    case reviewFirstFormalOpens = "review.first-formal.opens"
    /// The reminder, a lead time before the first formal review is due.
    case reviewFirstFormalReminder = "review.first-formal.reminder"
    /// The first formal review is due (8 weeks after sign-off by policy).
    case reviewFirstFormalDue = "review.first-formal.due"
    /// The reminder, a lead time before the next planned review is due.
    case reviewPlannedReminder = "review.planned.reminder"
    /// The next planned review is due (no later than 12 months after the last completed review).
    case reviewPlannedDue = "review.planned.due"
    /// An overdue review is escalated to the team manager.
    case reviewEscalation = "review.escalation"
    /// The yearly direct-payment audit.
    case dpAudit = "dp.audit"
    /// Funding for a person who moved to another council ends.
    case transferFundingEnds = "transfer.funding-ends"
    /// The reminder, a lead time before the financial re-assessment is due.
    case chargingReassessmentReminder = "charging.reassessment.reminder"
    /// The financial re-assessment is due (no later than 12 months after the last outcome, or when a free period
    /// ends).
    case chargingReassessmentDue = "charging.reassessment.due"

    public static func < (lhs: TimerName, rhs: TimerName) -> Bool { lhs.rawValue < rhs.rawValue }
}
