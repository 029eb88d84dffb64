import CareJourneyCore
import Foundation

/// Something a sample case's people do, planned for a time and resolved against the case as it stands then.
enum Deed: Sendable {
    /// The team manager allocates the case to the team and a practitioner.
    case allocate
    /// The contact is screened: information and advice, reablement, interim support or an assessment.
    case screen
    /// The assessment that follows interim support starts.
    case startAssessment
    case endReablement
    case completeAssessment
    case decideEligibility
    case completeRAS
    /// The plan is written (or changed after a review) and brought to sign-off.
    case writePlan
    case requestHighCost
    /// The high-cost panel decides on its task.
    case panel(TaskID)
    /// The plan the panel returned is brought under the threshold.
    case revisePlan
    case signOff
    /// A worker's (or a practitioner's) reply to the task.
    case reply(TaskID)
    /// The direct-payment audit's reply to its task.
    case audit(TaskID)
    case startReview(ReviewType, UnplannedReason?)
    /// The review that started at `startedAt` completes (nothing, if another is in progress by then).
    case completeReview(startedAt: Date)
    case close(ClosureReason)
    case move
    case raiseConcern
    case decideS42(enquiry: Bool)
    case arrangementsSafe
    case concludeSafeguarding(reviewNeeded: Bool)
    case receiveComplaint
    case startComplaintResolution
    case concludeComplaint
}

/// An event of a deed, and who sends it.
struct Act: Sendable {
    let event: Event
    let actor: String
}

/// What a deed comes to when its time comes.
enum Resolution: Sendable {
    /// These events, then these deeds later.
    case act([Act], then: [FollowUp] = [])
    /// The case is not ready for it yet: try again after this long.
    case retry(after: TimeInterval)
    /// Nothing to do any more.
    case skip
}

/// A deed planned some time after another.
struct FollowUp: Sendable {
    let after: TimeInterval
    let deed: Deed
}
