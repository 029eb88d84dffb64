import CareJourneyCore

/// Every mapping from our words to the Client Level Data (Release 2) defined lists, in one place: the CLD export, the
/// validator, the ASCOF measures and docs/reporting.md use these. Each value written is an entry of its list in
/// `CLDCodes.lists` (a test holds them to it), where its source is given.
public enum CLDCodes {
    // MARK: Person

    /// The three client types.
    public enum ClientType: String, Sendable, CaseIterable {
        case serviceUser = "Service user"
        case unpaidCarer = "Unpaid carer"
        /// A carer the council knows of through the person they care for, with no events of their own.
        case knownByAssociation = "Unpaid carer known by association"
    }

    public static func clientType(_ type: CareJourneyCore.ClientType) -> String {
        switch type {
        case .adult: ClientType.serviceUser.rawValue
        case .carer: ClientType.unpaidCarer.rawValue
        }
    }

    public static func gender(_ gender: Gender) -> String {
        switch gender {
        case .male: "Male"
        case .female: "Female"
        case .other, .indeterminate: "Other"
        case .notKnown: "Unknown"
        }
    }

    public static func ethnicity(_ ethnicity: Ethnicity) -> String {
        switch ethnicity {
        case .whiteBritish: "White: English, Welsh, Scottish, Northern Irish or British"
        case .whiteIrish: "White: Irish"
        case .whiteGypsyOrIrishTraveller: "White: Gypsy or Irish Traveller"
        case .whiteRoma: "White: Roma"
        case .whiteOther: "White: Any other White background"
        case .mixedWhiteAndBlackCaribbean: "Mixed or multiple ethnic groups: White and Black Caribbean"
        case .mixedWhiteAndBlackAfrican: "Mixed or multiple ethnic groups: White and Black African"
        case .mixedWhiteAndAsian: "Mixed or multiple ethnic groups: White and Asian"
        case .mixedOther: "Mixed or multiple ethnic groups: Any other Mixed or multiple ethnic background"
        case .asianIndian: "Asian or Asian British: Indian"
        case .asianPakistani: "Asian or Asian British: Pakistani"
        case .asianBangladeshi: "Asian or Asian British: Bangladeshi"
        case .chinese: "Asian or Asian British: Chinese"
        case .asianOther: "Asian or Asian British: Any other Asian background"
        case .blackCaribbean: "Black, Black British, Caribbean or African: Caribbean"
        case .blackAfrican: "Black, Black British, Caribbean or African: African"
        case .blackOther: "Black, Black British, Caribbean or African: Any other Black, Black British or Caribbean background"
        case .arab: "Other ethnic group: Arab"
        case .other: "Other ethnic group: Any other ethnic group"
        case .notStated: "No data: Refused"
        case .notKnown: "No data: Undeclared or not known"
        }
    }

    public static let learningDisability = "Learning disability support"

    public static func primarySupportReason(_ reason: PrimarySupportReason) -> String {
        switch reason {
        case .physicalAccessAndMobility: "Physical support: Access and mobility only"
        case .physicalPersonalCare: "Physical support: Personal care support"
        case .sensoryVisual: "Sensory support: Support for visual impairment"
        case .sensoryHearing: "Sensory support: Support for hearing impairment"
        case .sensoryDual: "Sensory support: Support for dual impairment"
        case .memoryAndCognition: "Support with memory and cognition"
        case .learningDisability: learningDisability
        case .mentalHealth: "Mental health support"
        case .substanceMisuse: "Social support: Substance misuse support"
        case .asylumSeeker: "Social support: Asylum seeker support"
        case .socialIsolationOrOther: "Social support: Support for social isolation or other reason"
        case .supportToUnpaidCarer: "Social support: Support to unpaid carer"
        }
    }

    public static func accommodation(_ status: AccommodationStatus) -> String {
        switch status {
        case .ownerOccupier: "Owner occupier or shared ownership scheme"
        case .tenantSocialHousing: "Tenant: Local authority or other social housing provider"
        case .tenantPrivateLandlord: "Tenant: Private landlord"
        case .withFamilyOrFriends: "Settled mainstream housing with family or friends"
        case .supportedAccommodation: "Supported accommodation, supported lodgings or supported group home"
        case .sharedLives: "Shared Lives scheme"
        case .approvedPremises: "Approved premises for offenders released from prison or under probation supervision"
        case .shelteredOrExtraCareHousing: "Sheltered housing, extra care housing or other sheltered housing"
        case .mobileAccommodation: "Mobile accommodation for Gypsy, Roma and Traveller communities"
        case .roughSleeper: "Rough sleeper or squatting"
        case .nightShelterOrHostel: "Night shelter, emergency hostel or direct access hostel"
        case .refuge: "Refuge"
        case .temporaryAccommodationByCouncil:
            "Placed in temporary accommodation by the council (inc. homelessness resettlement)"
        case .shortTermGuest: "Staying with family or friends as a short term guest"
        case .hospital: "Acute hospital or long term healthcare residential facility"
        case .careHome: "Registered care home"
        case .nursingHome: "Registered nursing home"
        case .prison: "Prison, young offenders institution or detention centre"
        case .otherTemporary: "Other temporary accommodation"
        case .unknown: "Unknown"
        }
    }

    public static func employment(_ status: EmploymentStatus) -> String {
        switch status {
        case .notSeekingWorkOrRetired: "Not in paid employment: Not actively seeking work or retired"
        case .seekingWork: "Not in paid employment: Seeking work"
        case .voluntaryWorkOnly: "Not in paid employment: Voluntary work only"
        case .paid16HoursOrMore: "Paid: 16 or more hours a week"
        case .paidHoursUnknown: "Paid: Hours per week unknown"
        case .paidUnder16Hours: "Paid: Less than 16 hours a week"
        case .unknown: "Unknown"
        }
    }

    /// Has Unpaid Carer, Autism Spectrum Disorder (ASD) and Dementia.
    public static func yesNo(_ answer: YesNoUnknown) -> String {
        switch answer {
        case .yes: "Yes"
        case .no: "No"
        case .unknown: "Unknown"
        }
    }

    public static func funding(_ status: ClientFundingStatus) -> String {
        switch status {
        case .fullySocialCareFunded: "Fully social care funded"
        case .jointlyFunded: "Joint client and social care funded"
        case .fullyClientFunded: "Fully client funded"
        case .unknown: "Unknown"
        }
    }

    public static func visual(_ impairment: VisualImpairment) -> String {
        switch impairment {
        case .severelySightImpaired: "Blind/severely sight impaired"
        case .sightImpaired: "Partial sight/sight impaired"
        case .severityUnknown: "Visual impairment - severity unknown"
        case .none: "No visual impairment"
        case .unknown: "Unknown"
        }
    }

    public static func hearing(_ impairment: HearingImpairment) -> String {
        switch impairment {
        case .deafWithSpeech: "Deaf with speech"
        case .deafWithoutSpeech: "Deaf without speech"
        case .hardOfHearing: "Hard of hearing"
        case .severityUnknown: "Hearing impairment: Severity unknown"
        case .none: "No hearing impairment"
        case .unknown: "Unknown"
        }
    }

    // MARK: Requests

    public static func routeOfAccess(_ route: RouteOfAccess) -> String {
        switch route {
        case .selfReferral: "Self-Referral"
        case .familyOrFriend: "Community / Other route"
        case .gp: "Community / Other route"
        case .nhsCommunity: "Community / Other route"
        case .hospitalDischarge: dischargeFromHospital
        case .hospitalDiversion: "Diversion from Hospital services"
        case .transferFromAnotherCouncil: "Community / Other route"
        case .selfFunderDepletedFunds: "Self-Funder with depleted funds"
        case .prison: "Prison"
        case .transitionFromChildrensServices: "Planned Entry (Transition)"
        case .police: "Community / Other route"
        case .other: "Community / Other route"
        }
    }

    /// The route of a request made on discharge from hospital (ASCOF 2D reads it).
    public static let dischargeFromHospital = "Discharge from Hospital"

    // MARK: Outcomes

    /// The sixteen Release 2 event outcomes, in the order of DHSC's hierarchy (`6-deduplication.md`), which ranks them
    /// where two records of one event disagree.
    public enum Outcome: String, Sendable, CaseIterable {
        case toReablement = "Progress to reablement/ST-Max"
        case toAssessmentOrReview = "Progress to assessment, review or reassessment"
        case toSupportPlanning = "Progress to support planning or services"
        case continuation = "Continuation of support or services"
        case admittedToHospital = "Admitted to hospital"
        case movedAway = "NFA: Responsibility moved to another local authority"
        case nhs = "NFA: Referral to NHS services or NHS funded social care"
        case selfFunded = "NFA: Self-funded client or under 12wk disregard"
        case informationAndAdvice = "NFA: Information and advice or signposting"
        case otherLAService = "NFA: Referral to other service within the local authority"
        case declined = "NFA: Support declined"
        case deceased = "NFA: Deceased"
        case endedAsPlanned = "NFA: Support ended as planned"
        case endedOtherReason = "NFA: Support ended for other reason"
        case noServicesOtherReason = "NFA: No services offered for other reason"
        case other = "NFA: Other"

        /// DHSC's rank (1 first), with its placeholder `Release 1 specification only: Not mapped` at 3.
        public var hierarchy: Int {
            let index = Self.allCases.firstIndex(of: self) ?? 0
            return index < 2 ? index + 1 : index + 2
        }

        /// The outcomes ASCOF 2A cannot take a reablement's sequel from (DHSC adds 100 to their rank).
        public var isUnusableSequel: Bool {
            [.continuation, .toSupportPlanning, .toAssessmentOrReview, .toReablement].contains(self)
        }
    }

    /// The outcome of an event the person's case closed or moved away with.
    public static func outcome(closedAs reason: ClosureReason) -> Outcome {
        switch reason {
        case .informationAndAdvice: .informationAndAdvice
        case .notEligible: .noServicesOtherReason
        case .independenceRegained: .endedAsPlanned
        case .needsMet: .endedAsPlanned
        case .supportDeclined: .declined
        case .deceased: .deceased
        case .movedToAnotherCouncil: .movedAway
        case .nhsFunded: .nhs
        case .selfFunding: .selfFunded
        }
    }

    // MARK: Assessments and reviews

    /// A needs assessment (s9) and a carer's assessment (s10) are both long-term assessments: the client type tells
    /// them apart. Whether Release 2 has a type of its own for carers is not known.
    public static func assessmentType(_ kind: Assessment.Kind) -> String {
        switch kind {
        case .needs, .carer: "Long term assessment"
        }
    }

    /// Who took part (Method of Assessment, Method of Review).
    public static func participants(_ who: Participants) -> String {
        switch who {
        case .serviceUser: "Service user only"
        case .carer: "Carer only"
        case .serviceUserAndCarer: "Service user and carer"
        }
    }

    public static func eligibleNeeds(_ eligible: Bool) -> String { eligible ? "Yes" : "No" }

    /// A review's reason: planned (the first formal and the yearly review), or unplanned, with why.
    public static func reviewReason(_ type: ReviewType, _ reason: UnplannedReason?) -> String {
        guard type == .unplanned else { return "Planned" }
        switch reason {
        case .hospital: return "Unplanned - Hospital (Planned and unplanned episodes)"
        case .safeguarding: return "Unplanned - Safeguarding concern"
        case .providerFailure: return "Unplanned - Provider Failure"
        case .changeOfCircumstances, .request, .dpAudit, nil: return "Unplanned - Other Reason"
        }
    }

    /// The outcome of a completed review; a closure's is the closure's.
    public static func reviewOutcome(_ outcome: ReviewResult.Outcome) -> Outcome? {
        switch outcome {
        case .noChange: .continuation
        case .planChange: .toSupportPlanning
        case .reassessment: .toAssessmentOrReview
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

    /// The nine service types.
    public enum ServiceType: String, Sendable, CaseIterable {
        case community = "Long term support: Community"
        case nursing = "Long term support: Nursing care"
        case prison = "Long term support: Prison"
        case residential = "Long term support: Residential care"
        case ongoingLowLevel = "Short term support: Ongoing low level"
        case otherShortTerm = "Short term support: Other short term"
        case reablement = "Short term support: ST-Max"
        case directToCarer = "Unpaid carer support: Direct to unpaid carer"
        case involvingCaredFor = "Unpaid carer support: Support involving the person cared-for"

        /// Long-term support, in a care home, in prison or in the community.
        public var isLongTerm: Bool { [.community, .nursing, .prison, .residential].contains(self) }
    }

    /// The service type of a council-managed service of `component` for a person of `clientType`.
    public static func serviceType(of component: ServiceComponent?, for clientType: CareJourneyCore.ClientType)
        -> ServiceType
    {
        if clientType == .carer { return component == .respite ? .involvingCaredFor : .directToCarer }
        switch component {
        case .nursingCare: return .nursing
        case .residentialCare: return .residential
        case .shortTermResidential, .respite: return .otherShortTerm
        case .equipment: return .ongoingLowLevel
        default: return .community
        }
    }

    /// The service component of a council-managed service of `component` for a person of `clientType`.
    public static func serviceComponent(_ component: ServiceComponent, for clientType: CareJourneyCore.ClientType)
        -> String
    {
        if clientType == .carer { return component == .respite ? "Unpaid carer respite" : "Other unpaid carer support" }
        switch component {
        case .homeCare, .liveInCare: return homeSupport
        case .dayCare: return "Day support"
        case .supportedLiving: return "Community supported living"
        case .sharedLives: return "Shared Lives"
        case .extraCareHousing: return "Extra care housing"
        case .shortTermResidential, .respite: return "Short term residential care"
        case .residentialCare: return "Long term residential care"
        case .nursingCare: return "Long term nursing care"
        case .equipment: return "Equipment"
        case .meals: return "Meals"
        case .transport: return "Transport"
        case .professionalSupport: return "Professional support: Other"
        case .other: return "Other long term support"
        }
    }

    public static let homeSupport = "Home support or domiciliary care"
    public static let reablementComponent = "Reablement"
    public static let directPaymentComponent = "Direct payment"
    /// Components whose costs Release 1 required whatever the service type.
    static let shortStayComponents: Set<String> = [
        "Short term residential care", "Short term nursing care", "Unpaid carer respite",
    ]

    /// How a service's money is managed.
    public enum DeliveryMechanism: String, Sendable, CaseIterable {
        case directPayment = "Direct payment"
        case managedPersonalBudget = "CASSR managed personal budget"
        case commissioned = "CASSR commissioned support"
    }

    /// Cost Frequency (Unit Type).
    public static func costUnit(_ unit: CostUnit) -> String {
        switch unit {
        case .perSession: "Per session"
        case .hourly: "Hourly"
        case .daily: "Daily"
        case .weekly: "Weekly"
        case .fortnightly: "Fortnightly"
        case .fourWeekly: "4-weekly"
        case .monthly: "Monthly"
        case .quarterly: "Quarterly"
        case .annually: "Annually"
        case .oneOff: "One-off"
        }
    }

    /// A direct payment's frequency as a cost unit.
    public static func costUnit(of frequency: DirectPaymentPart.Frequency) -> CostUnit {
        switch frequency {
        case .weekly: .weekly
        case .fourWeekly: .fourWeekly
        case .monthly: .monthly
        }
    }

    /// Units a week of a cost paid every `unit`, as DHSC converts them (`6.Costs_fact.sql`): weekly 1, fortnightly ½,
    /// 4-weekly ¼, monthly 12/52, quarterly 4/52, annually 1/52; `nil` for units counted by the week's plan (hours,
    /// days, sessions) and one-off costs.
    public static func unitsPerWeek(paidEvery unit: CostUnit) -> Double? {
        switch unit {
        case .weekly: 1
        case .fortnightly: 0.5
        case .fourWeekly: 0.25
        case .monthly: 12.0 / 52.0
        case .quarterly: 4.0 / 52.0
        case .annually: 1.0 / 52.0
        case .perSession, .hourly, .daily, .oneOff: nil
        }
    }
}

extension CLDCodes {
    /// What followed a request from a new client (the SALT STS001 "sequel"): SALT's words, not a CLD list.
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
            switch plan?.councilManaged?.component {
            case .nursingCare: .nursing
            case .residentialCare: .residential
            default: .community
            }
        }
    }
}
