/// What the council records about a person beyond their name: the fields statutory returns (DHSC's Client Level
/// Data, Release 2) need. Each may be unknown at first contact and recorded later with `record-person-details`; a
/// field left out keeps its value.
///
/// ```swift
/// let details = PersonDetails(nhsNumber: "9434765919", gender: .female, dateOfBirth: CalendarDay("1941-03-14"))
/// ```
public struct PersonDetails: Hashable, Codable, Sendable {
    /// The 10-digit NHS number, without spaces.
    public var nhsNumber: String?
    /// The year and month of birth, `YYYY-MM`: all that was kept before the full date was asked for, and kept in step
    /// with `dateOfBirth` once that is known.
    public var birthMonth: String?
    public var gender: Gender?
    public var ethnicity: Ethnicity?
    /// The home postcode, upper case with one space (`DE1 2AB`).
    public var postcode: String?
    /// The main reason the person needs support, decided at assessment.
    public var primarySupportReason: PrimarySupportReason?
    /// The full date of birth.
    public var dateOfBirth: CalendarDay?
    /// The date the person died, once the council knows it.
    public var dateOfDeath: CalendarDay?
    /// Where the person lives.
    public var accommodationStatus: AccommodationStatus?
    /// Whether and how much the person works.
    public var employmentStatus: EmploymentStatus?
    /// Whether someone cares for the person without pay.
    public var hasUnpaidCarer: YesNoUnknown?
    /// Who pays for the person's care.
    public var clientFundingStatus: ClientFundingStatus?
    /// The registered GP practice's ODS code (`C81001`).
    public var gpPracticeCode: GPPracticeCode?
    /// The registered GP practice's name.
    public var gpPracticeName: String?
    /// Whether the person has a diagnosis of autism.
    public var autism: YesNoUnknown?
    /// Whether the person has a diagnosis of dementia.
    public var dementia: YesNoUnknown?
    public var visualImpairment: VisualImpairment?
    public var hearingImpairment: HearingImpairment?
    /// For an unpaid carer: how many adults they care for.
    public var adultsCaredFor: Int?
    /// For an unpaid carer: the council's identifiers (case ids) of up to three adults they care for.
    public var caredForIDs: [String]?

    /// Creates details; every field may be unknown.
    public init(
        nhsNumber: String? = nil, birthMonth: String? = nil, gender: Gender? = nil, ethnicity: Ethnicity? = nil,
        postcode: String? = nil, primarySupportReason: PrimarySupportReason? = nil, dateOfBirth: CalendarDay? = nil,
        dateOfDeath: CalendarDay? = nil, accommodationStatus: AccommodationStatus? = nil,
        employmentStatus: EmploymentStatus? = nil, hasUnpaidCarer: YesNoUnknown? = nil,
        clientFundingStatus: ClientFundingStatus? = nil, gpPracticeCode: GPPracticeCode? = nil,
        gpPracticeName: String? = nil, autism: YesNoUnknown? = nil, dementia: YesNoUnknown? = nil,
        visualImpairment: VisualImpairment? = nil, hearingImpairment: HearingImpairment? = nil,
        adultsCaredFor: Int? = nil, caredForIDs: [String]? = nil
    ) {
        self.nhsNumber = nhsNumber
        self.birthMonth = birthMonth
        self.gender = gender
        self.ethnicity = ethnicity
        self.postcode = postcode
        self.primarySupportReason = primarySupportReason
        self.dateOfBirth = dateOfBirth
        self.dateOfDeath = dateOfDeath
        self.accommodationStatus = accommodationStatus
        self.employmentStatus = employmentStatus
        self.hasUnpaidCarer = hasUnpaidCarer
        self.clientFundingStatus = clientFundingStatus
        self.gpPracticeCode = gpPracticeCode
        self.gpPracticeName = gpPracticeName
        self.autism = autism
        self.dementia = dementia
        self.visualImpairment = visualImpairment
        self.hearingImpairment = hearingImpairment
        self.adultsCaredFor = adultsCaredFor
        self.caredForIDs = caredForIDs
    }

    /// The fields' names in event data, as `contact` and `record-person-details` take them.
    public static let fieldNames = [
        "nhsNumber", "birthMonth", "gender", "ethnicity", "postcode", "primarySupportReason", "dateOfBirth",
        "dateOfDeath", "accommodationStatus", "employmentStatus", "hasUnpaidCarer", "clientFundingStatus",
        "gpPracticeCode", "gpPracticeName", "autism", "dementia", "visualImpairment", "hearingImpairment",
        "adultsCaredFor", "caredForIDs",
    ]

    /// Whether no field is known.
    public var isEmpty: Bool { self == PersonDetails() }

    /// These details with every field `newer` knows taking its place.
    public func merging(_ newer: PersonDetails) -> PersonDetails {
        var merged = self
        func take<Value>(_ field: WritableKeyPath<PersonDetails, Value?>) {
            if let value = newer[keyPath: field] { merged[keyPath: field] = value }
        }
        take(\.nhsNumber)
        take(\.birthMonth)
        take(\.gender)
        take(\.ethnicity)
        take(\.postcode)
        take(\.primarySupportReason)
        take(\.dateOfBirth)
        take(\.dateOfDeath)
        take(\.accommodationStatus)
        take(\.employmentStatus)
        take(\.hasUnpaidCarer)
        take(\.clientFundingStatus)
        take(\.gpPracticeCode)
        take(\.gpPracticeName)
        take(\.autism)
        take(\.dementia)
        take(\.visualImpairment)
        take(\.hearingImpairment)
        take(\.adultsCaredFor)
        take(\.caredForIDs)
        // A birth month put right on its own takes a full date of birth of another month with it; a full date of
        // birth sets the month.
        if let month = newer.birthMonth, newer.dateOfBirth == nil, merged.dateOfBirth?.yearAndMonth != month {
            merged.dateOfBirth = nil
        }
        if let born = merged.dateOfBirth { merged.birthMonth = born.yearAndMonth }
        return merged
    }

    /// Each field as the case page names it, with its value as text (`nil` when not known) and whether the statutory
    /// return needs it (the rest are recorded when known).
    public var labelledFields: [(name: String, value: String?, needed: Bool)] {
        let practice = gpPracticeCode.map { code in gpPracticeName.map { "\($0) (\(code.text))" } ?? code.text }
        return [
            ("NHS number", nhsNumber, true),
            // A birth month alone, as earlier records kept it, is shown but the return needs the full date.
            ("date of birth", dateOfBirth?.text, true),
            ("birth month", dateOfBirth == nil ? birthMonth : nil, false),
            ("gender", gender?.rawValue, true), ("ethnicity", ethnicity?.rawValue, true), ("postcode", postcode, true),
            ("primary support reason", primarySupportReason?.rawValue, true),
            ("accommodation", accommodationStatus?.rawValue, true), ("unpaid carer", hasUnpaidCarer?.rawValue, true),
            ("funding", clientFundingStatus?.rawValue, true), ("employment", employmentStatus?.rawValue, false),
            ("date of death", dateOfDeath?.text, false), ("GP practice", practice, false),
            ("autism", autism?.rawValue, false), ("dementia", dementia?.rawValue, false),
            ("visual impairment", visualImpairment?.rawValue, false),
            ("hearing impairment", hearingImpairment?.rawValue, false),
            ("adults cared for", adultsCaredFor.map(String.init), false),
            ("cares for", caredForIDs.map { $0.joined(separator: ", ") }, false),
        ]
    }
}
