import Foundation

/// The assessment of a person's needs (Care Act s9) or a carer's (s10), and what it found.
public struct Assessment: Hashable, Codable, Sendable {
    /// Needs assessment or carer's assessment.
    public var kind: Kind
    /// 1 for the first assessment; more for re-assessments after a review.
    public var number: Int
    public var startedAt: Date
    public var completedAt: Date?
    public var needs: [String]
    public var outcomes: [String]
    /// How it was carried out, when recorded at completion.
    public var method: AssessmentMethod?

    /// Which section of the Care Act the assessment is under.
    public enum Kind: String, Choice {
        /// A needs assessment, s9.
        case needs
        /// A carer's assessment, s10.
        case carer
    }
}

/// Data of `assessment-completed`.
public struct AssessmentCompleted: Hashable, Codable, Sendable {
    public var needs: [String]
    public var outcomes: [String]
    /// Whether the person relies on an unpaid carer, who should then be offered an assessment of their own.
    public var carerReliedOn: Bool?
    /// How the assessment was carried out.
    public var method: AssessmentMethod?
    /// Who took part: the person, their carer, or both (the return's Method of Assessment).
    public var participants: Participants?
    /// The main reason the person needs support, as the assessment found it.
    public var primarySupportReason: PrimarySupportReason?
}

/// Who took part in an assessment or a review: the person assessed or reviewed as a service user, their unpaid
/// carer, or both. What DHSC's Client Level Data calls the Method of Assessment and the Method of Review.
public enum Participants: String, Choice {
    case serviceUser = "service-user"
    case carer
    case serviceUserAndCarer = "service-user-and-carer"
}

/// How an assessment or a review was carried out (face to face, by telephone, …): kept for the council's own use.
public enum AssessmentMethod: String, Choice {
    case faceToFace = "face-to-face"
    case telephone
    case video
    /// The person completed it themselves, online or on paper.
    case selfAssessment = "self-assessment"
    /// The person completed it themselves with a practitioner's help.
    case supportedSelfAssessment = "supported-self-assessment"
}

/// Data of `carer-assessment-offered`.
public struct CarerAssessmentOffer: Hashable, Codable, Sendable {
    public var accepted: Bool
    /// The carer's name, to open their case when they accept.
    public var carerName: String?
    public var task: TaskID?
}

/// The eligibility decision (Care Act s13).
public struct Eligibility: Hashable, Codable, Sendable {
    public var eligible: Bool
    public var eligibleNeeds: [String]
    /// The reasons, as written to the person (required when not eligible).
    public var reason: String?
    public var decidedAt: Date
}

/// Data of `eligibility-decided`.
public struct EligibilityDecision: Hashable, Codable, Sendable {
    public var eligible: Bool
    public var eligibleNeeds: [String]?
    public var reason: String?
}

/// The personal budget: indicative from the RAS, confirmed at sign-off.
public struct PersonalBudget: Hashable, Codable, Sendable {
    public var points: Int
    public var informalSupport: InformalSupport
    /// The RAS's weekly figure, moderated by informal support. Indicative until sign-off.
    public var indicativeWeekly: Money
    /// The weekly budget confirmed at sign-off.
    public var confirmedWeekly: Money?
}

/// Data of `ras-completed`.
public struct RASResult: Hashable, Codable, Sendable {
    public var points: Int
    public var informalSupport: InformalSupport
}
