import CareJourneyCore

/// Every mapping from our words to the Client Level Data (Release 2) code lists, in one place: the CLD export, the
/// requests report and docs/reporting.md all use these.
public enum CLDCodes {
    // MARK: Person

    public static func clientType(_ type: ClientType) -> String {
        switch type {
        case .adult: "Service User"
        case .carer: "Unpaid Carer"
        }
    }

    /// NHS Data Dictionary, Person Stated Gender Code.
    public static func gender(_ gender: Gender) -> String {
        switch gender {
        case .male: "1"
        case .female: "2"
        case .indeterminate: "9"
        case .notKnown: "X"
        }
    }

    /// NHS Data Dictionary, Ethnic Category (2001 census).
    public static func ethnicity(_ ethnicity: Ethnicity) -> String {
        switch ethnicity {
        case .whiteBritish: "A"
        case .whiteIrish: "B"
        case .whiteOther: "C"
        case .mixedWhiteAndBlackCaribbean: "D"
        case .mixedWhiteAndBlackAfrican: "E"
        case .mixedWhiteAndAsian: "F"
        case .mixedOther: "G"
        case .asianIndian: "H"
        case .asianPakistani: "J"
        case .asianBangladeshi: "K"
        case .asianOther: "L"
        case .blackCaribbean: "M"
        case .blackAfrican: "N"
        case .blackOther: "P"
        case .chinese: "R"
        case .other: "S"
        case .notStated: "Z"
        }
    }

    public static func primarySupportReason(_ reason: PrimarySupportReason) -> String {
        switch reason {
        case .physicalAccessAndMobility: "Physical Support: Access and mobility only"
        case .physicalPersonalCare: "Physical Support: Personal care support"
        case .sensoryVisual: "Sensory Support: Support for visual impairment"
        case .sensoryHearing: "Sensory Support: Support for hearing impairment"
        case .sensoryDual: "Sensory Support: Support for dual impairment"
        case .memoryAndCognition: "Support with Memory and Cognition"
        case .learningDisability: "Learning Disability Support"
        case .mentalHealth: "Mental Health Support"
        case .substanceMisuse: "Social Support: Substance misuse support"
        case .asylumSeeker: "Social Support: Asylum seeker support"
        case .socialIsolationOrOther: "Social Support: Support for social isolation/other"
        }
    }

    // MARK: Requests

    public static func routeOfAccess(_ route: RouteOfAccess) -> String {
        switch route {
        case .selfReferral: "Self-Referral"
        case .familyOrFriend: "Community / Other route"
        case .gp: "Community / Other route"
        case .nhsCommunity: "Community / Other route"
        case .hospitalDischarge: "Discharge from Hospital"
        case .hospitalDiversion: "Diversion from Hospital services"
        case .transferFromAnotherCouncil: "Community / Other route"
        case .selfFunderDepletedFunds: "Self-Funder with depleted funds"
        case .prison: "Prison"
        case .transitionFromChildrensServices: "Planned Entry (Transition)"
        case .police: "Community / Other route"
        case .other: "Community / Other route"
        }
    }

    // MARK: Outcomes

    /// The outcome of an event the person's case closed or moved away with.
    public static func outcome(closedAs reason: ClosureReason) -> String {
        switch reason {
        case .informationAndAdvice: informationAndAdvice
        case .notEligible: notEligible
        case .independenceRegained: "NFA - Support ended: other reason"
        case .needsMet: "NFA - Support ended: other reason"
        case .supportDeclined: "NFA - Support declined"
        case .deceased: "NFA - Deceased"
        case .movedToAnotherCouncil: movedAway
        case .nhsFunded: "NFA - 100% NHS funded care"
        case .selfFunding: "NFA - Self-funded client (inc. 12wk disregard)"
        }
    }

    public static let movedAway = "NFA - Moved to another LA"
    public static let informationAndAdvice = "NFA - Information & Advice / Signposting only"
    public static let toReablement = "Progress to Reablement/ST-Max"
    public static let toAssessment = "Progress to Assessment"
    public static let toSupportPlanning = "Progress to Support Planning / Services"
    public static let notEligible = "NFA - No services provided: other reason"
    public static let noChange = "No change in package"
    public static let packageChanged = "Change in package"
    public static let toReassessment = "Progress to Re-assessment / Unplanned Review"
    /// A service replaced by another after a plan change or a new provider.
    public static let serviceChanged = "Service ended as planned"

    // MARK: Assessments and reviews

    public static func assessmentType(_ kind: Assessment.Kind) -> String {
        switch kind {
        case .needs: "Long Term Support Assessment"
        case .carer: "Carer Assessment"
        }
    }

    public static func method(_ method: AssessmentMethod) -> String {
        switch method {
        case .faceToFace: "Face to face"
        case .telephone: "Telephone"
        case .video: "Video call"
        case .selfAssessment: "Self-assessment"
        case .supportedSelfAssessment: "Supported self-assessment"
        }
    }

    public static func eligibleNeeds(_ eligible: Bool) -> String { eligible ? "Yes" : "No" }

    /// A review's reason: planned (the first formal and the yearly review), or unplanned, with why.
    public static func reviewReason(_ type: ReviewType, _ reason: UnplannedReason?) -> String {
        guard type == .unplanned else { return "Planned" }
        switch reason {
        case .hospital: return "Unplanned – Hospital"
        case .safeguarding: return "Unplanned – Safeguarding"
        case .providerFailure: return "Unplanned – Provider failure"
        case .changeOfCircumstances, .request, .dpAudit, nil: return "Unplanned – Other reason"
        }
    }

    public static func reviewOutcome(_ outcome: ReviewResult.Outcome) -> String? {
        switch outcome {
        case .noChange: noChange
        case .planChange: packageChanged
        case .reassessment: toReassessment
        case .closure: nil
        }
    }

    public static func outcomesAchieved(_ achieved: OutcomesAchieved) -> String {
        switch achieved {
        case .met: "Outcomes met"
        case .partiallyMet: "Outcomes partially met"
        case .notMet: "Outcomes not met"
        }
    }

    // MARK: Services

    /// Long-term support by setting, and the two kinds of short-term support the journey gives.
    public enum ServiceType: String, Sendable, CaseIterable {
        case nursing = "Long Term Support: Nursing Care"
        case residential = "Long Term Support: Residential Care"
        case community = "Long Term Support: Community"
        case reablement = "Short Term Support: ST-Max"
        case otherShortTerm = "Short Term Support: Other Short Term"

        /// Long-term support, in a care home or in the community.
        public var isLongTerm: Bool { self == .nursing || self == .residential || self == .community }
    }

    /// The setting a council-managed service is given in.
    public static func serviceType(of component: ServiceComponent) -> ServiceType {
        switch component {
        case .nursingCare: .nursing
        case .residentialCare: .residential
        default: .community
        }
    }

    public static func serviceComponent(_ component: ServiceComponent) -> String {
        switch component {
        case .homeCare: "Home Care"
        case .dayCare: "Day Care"
        case .supportedLiving: "Supported Living"
        case .sharedLives: "Shared Lives"
        case .extraCareHousing: "Extra Care Housing"
        case .liveInCare: "Live-in Care"
        case .shortTermResidential: "Short Term Residential Care (not respite)"
        case .respite: "Respite"
        case .residentialCare: "Residential Care"
        case .nursingCare: "Nursing Care"
        case .equipment: "Equipment / Adaptations"
        case .meals: "Meals"
        case .transport: "Transport"
        case .professionalSupport: "Professional Support"
        case .other: "Other"
        }
    }

    public static let directPaymentComponent = "Direct Payment"

    /// How a service's money is managed.
    public enum DeliveryMechanism: String, Sendable {
        case directPayment = "Direct Payment"
        case managedPersonalBudget = "CASSR Managed Personal Budget"
        case commissioned = "CASSR Commissioned Support"
    }

    public static func costFrequency(_ frequency: DirectPaymentPart.Frequency) -> String {
        switch frequency {
        case .weekly: weekly
        case .fourWeekly: "Four-weekly"
        case .monthly: "Monthly"
        }
    }

    public static let weekly = "Weekly"
}

extension CLDCodes {
    /// What followed a request from a new client (the SALT STS001 "sequel").
    public enum Sequel: String, Codable, Sendable, CaseIterable {
        case reablement = "Short Term Support to Maximise Independence"
        case nursing = "Long Term Support: Nursing Care"
        case residential = "Long Term Support: Residential Care"
        case community = "Long Term Support: Community"
        case otherShortTerm = "Short Term Support (other)"
        case universalServices = "Universal Services / Signposted to Other Services"
        case deceased = "No Services Provided: Deceased"
        case noServices = "No Services Provided: Any Other Reason"
        case notYetKnown = "Not yet known (assessment or planning under way)"

        /// The sequel of a request that ended with the case closing (or moving away).
        static func closed(_ reason: ClosureReason?) -> Sequel {
            switch reason {
            case .informationAndAdvice: .universalServices
            case .deceased: .deceased
            default: .noServices
            }
        }

        /// Long-term support in the setting of a signed-off plan.
        static func longTerm(_ plan: SupportPlan?) -> Sequel {
            switch plan?.councilManaged?.component.map(CLDCodes.serviceType(of:)) {
            case .nursing: .nursing
            case .residential: .residential
            default: .community
            }
        }
    }
}
