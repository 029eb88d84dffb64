/// Where a case is on the main journey. Side machines (safeguarding, complaints, advocacy, direct payment,
/// high-cost approval, reviews) run beside it and never move it except where a rule says so.
public enum Stage: String, Choice {
    /// Before the first contact is recorded.
    case new
    /// Contact recorded; the practitioner screens it.
    case contact
    /// Interim crisis support while an assessment is arranged.
    case interimSupport = "interim-support"
    /// Short-term reablement, free up to the policy's maximum, checked weekly.
    case reablement
    /// Needs assessment (s9) or carer's assessment (s10).
    case assessment
    /// Eligibility decision (s13).
    case eligibility
    /// Resource allocation for the indicative personal budget.
    case indicativeBudget = "indicative-budget"
    /// Care and support planning, ending in sign-off.
    case supportPlanning = "support-planning"
    /// Support is arranged and delivered; the review cycle runs.
    case delivery
    /// A review is in progress.
    case review
    /// The person moved to another council; funding continues for the policy's period.
    case transferring
    /// Closed, with a reason. Safeguarding, complaints and sent notifications may still finish.
    case closed

    /// Whether a case here must always have a next step (a pending timer or an open task).
    public var isOpen: Bool { self != .new && self != .closed }
}
