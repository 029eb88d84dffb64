/// The closed lists of a person's details, in our words. The words the statutory return writes for each are in
/// `CareJourneyReports` (`CLDCodes`), with their sources; docs/reporting.md gives both.

/// The person's stated gender.
public enum Gender: String, Choice {
    case male
    case female
    /// Another gender than male or female.
    case other
    /// Cannot be classified as male or female (the NHS's "indeterminate"): the return writes it as Other.
    case indeterminate
    case notKnown = "not-known"
}

/// The person's ethnic group as they state it, in the 2021 census categories DHSC's Client Level Data (Release 2)
/// uses.
public enum Ethnicity: String, Choice {
    case whiteBritish = "white-british"
    case whiteIrish = "white-irish"
    case whiteGypsyOrIrishTraveller = "white-gypsy-or-irish-traveller"
    case whiteRoma = "white-roma"
    case whiteOther = "white-other"
    case mixedWhiteAndBlackCaribbean = "mixed-white-and-black-caribbean"
    case mixedWhiteAndBlackAfrican = "mixed-white-and-black-african"
    case mixedWhiteAndAsian = "mixed-white-and-asian"
    case mixedOther = "mixed-other"
    case asianIndian = "asian-indian"
    case asianPakistani = "asian-pakistani"
    case asianBangladeshi = "asian-bangladeshi"
    /// Asian or Asian British: Chinese (2021 census; the 2001 census had Chinese apart).
    case chinese
    case asianOther = "asian-other"
    case blackCaribbean = "black-caribbean"
    case blackAfrican = "black-african"
    case blackOther = "black-other"
    case arab
    case other
    /// The person chose not to say.
    case notStated = "not-stated"
    /// Not asked, or not known.
    case notKnown = "not-known"
}

/// The main reason a person needs care and support (the DHSC's Primary Support Reason).
public enum PrimarySupportReason: String, Choice {
    case physicalAccessAndMobility = "physical-access-and-mobility"
    case physicalPersonalCare = "physical-personal-care"
    case sensoryVisual = "sensory-visual"
    case sensoryHearing = "sensory-hearing"
    case sensoryDual = "sensory-dual"
    case memoryAndCognition = "memory-and-cognition"
    case learningDisability = "learning-disability"
    case mentalHealth = "mental-health"
    case substanceMisuse = "substance-misuse"
    case asylumSeeker = "asylum-seeker"
    case socialIsolationOrOther = "social-isolation-or-other"
    /// An unpaid carer's own reason: support to them as a carer.
    case supportToUnpaidCarer = "support-to-unpaid-carer"
}

/// Where the person lives.
public enum AccommodationStatus: String, Choice {
    case ownerOccupier = "owner-occupier"
    case tenantSocialHousing = "tenant-social-housing"
    case tenantPrivateLandlord = "tenant-private-landlord"
    case withFamilyOrFriends = "with-family-or-friends"
    case supportedAccommodation = "supported-accommodation"
    case sharedLives = "shared-lives"
    case approvedPremises = "approved-premises"
    case shelteredOrExtraCareHousing = "sheltered-or-extra-care-housing"
    case mobileAccommodation = "mobile-accommodation"
    case roughSleeper = "rough-sleeper"
    case nightShelterOrHostel = "night-shelter-or-hostel"
    case refuge
    case temporaryAccommodationByCouncil = "temporary-accommodation-by-council"
    case shortTermGuest = "short-term-guest"
    case hospital
    case careHome = "care-home"
    case nursingHome = "nursing-home"
    case prison
    case otherTemporary = "other-temporary"
    case unknown
}

/// Whether and how much the person works.
public enum EmploymentStatus: String, Choice {
    case notSeekingWorkOrRetired = "not-seeking-work-or-retired"
    case seekingWork = "seeking-work"
    case voluntaryWorkOnly = "voluntary-work-only"
    case paid16HoursOrMore = "paid-16-hours-or-more"
    case paidHoursUnknown = "paid-hours-unknown"
    case paidUnder16Hours = "paid-under-16-hours"
    case unknown
}

/// Yes, no, or not known. `true` and `false` are read as yes and no (YAML reads an unquoted yes or no so).
public enum YesNoUnknown: String, Choice {
    case yes
    case no
    case unknown

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let answer = try? container.decode(Bool.self) {
            self = answer ? .yes : .no
            return
        }
        let word = try container.decode(String.self)
        guard let value = Self(rawValue: word) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "'\(word)' is not one of: \(Self.allowedWords)"))
        }
        self = value
    }
}

/// Who pays for the person's care.
public enum ClientFundingStatus: String, Choice {
    case fullySocialCareFunded = "fully-social-care-funded"
    case jointlyFunded = "jointly-funded"
    case fullyClientFunded = "fully-client-funded"
    case unknown
}

/// How far the person's sight is impaired.
public enum VisualImpairment: String, Choice {
    case severelySightImpaired = "severely-sight-impaired"
    case sightImpaired = "sight-impaired"
    case severityUnknown = "severity-unknown"
    case none
    case unknown
}

/// How far the person's hearing is impaired.
public enum HearingImpairment: String, Choice {
    case deafWithSpeech = "deaf-with-speech"
    case deafWithoutSpeech = "deaf-without-speech"
    case hardOfHearing = "hard-of-hearing"
    case severityUnknown = "severity-unknown"
    case none
    case unknown
}
