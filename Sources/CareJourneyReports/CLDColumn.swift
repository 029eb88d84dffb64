/// The columns of the CLD (Release 2) submission file, named and ordered as a council's local table built to the
/// specification has them (`saj42saj-beep/ASC-CLD-ASCOF`, `1 Prepare Local CLD/2 CLD_R1_Raw.sql`: "with spaces as per
/// the specification"), the LA Code first as that view puts it. DHSC's data-quality code names the same fields
/// (`Stored_procedures/create_GetDQValues_procedure.sql`). docs/reporting.md gives each with its source.
public enum CLDColumn: String, CaseIterable, Sendable {
    case laCode = "LA Code"
    case periodStart = "Reporting Period Start Date"
    case periodEnd = "Reporting Period End Date"
    case nhsNumber = "NHS Number"
    case personID = "LA Person Unique Identifier"
    case firstName = "First Name"
    case lastName = "Last Name"
    case gpPracticeName = "GP Practice Name"
    case gpPracticeCode = "GP Practice Code"
    case gender = "Gender"
    case ethnicity = "Ethnicity"
    case dateOfBirth = "Date of Birth"
    case dateOfDeath = "Date of Death"
    case clientType = "Client Type"
    case primarySupportReason = "Primary Support Reason"
    case postcode = "Postcode"
    case accommodationStatus = "Accommodation Status"
    case employmentStatus = "Employment Status"
    case hasUnpaidCarer = "Has Unpaid Carer"
    case autism = "Autism Spectrum Disorder (ASD)"
    case visualImpairment = "Visual Impairment"
    case hearingImpairment = "Hearing Impairment"
    case dementia = "Dementia"
    case clientFundingStatus = "Client Funding Status"
    case eventType = "Event Type"
    case eventReference = "Event Reference"
    case startDate = "Event Start Date"
    case endDate = "Event End Date"
    case eventDescription = "Event Description"
    case outcome = "Event Outcome"
    case routeOfAccess = "Request: Route of Access"
    case assessmentType = "Assessment Type"
    case eligibleNeeds = "Eligible Needs Identified"
    case assessmentMethod = "Method of Assessment"
    case hoursCaring = "Total Hrs Caring per week"
    case adultsCaredFor = "No. of adults being cared for"
    case linkedPerson1 = "Adult 1 Linked Person_ID"
    case linkedPerson2 = "Adult 2 Linked Person_ID"
    case linkedPerson3 = "Adult 3 Linked Person_ID"
    case serviceType = "Service Type"
    case serviceComponent = "Service Component"
    case deliveryMechanism = "Delivery Mechanism"
    case providerName = "Provider CQC Location Name"
    case providerID = "Provider CQC Location ID"
    case reviewReason = "Review Reason"
    case outcomesAchieved = "Review Outcomes Achieved"
    case reviewMethod = "Method of Review"
    case unitCost = "Unit Cost"
    case costFrequency = "Cost Frequency (Unit Type)"
    case plannedUnits = "Planned units per week"

    /// The columns that hold a date, written `DD/MM/YYYY`.
    public static let dates: Set<CLDColumn> = [.periodStart, .periodEnd, .dateOfBirth, .dateOfDeath, .startDate, .endDate]

    /// The person's columns: the same on every row of the person.
    public static let person: [CLDColumn] = [
        .nhsNumber, .firstName, .lastName, .gpPracticeName, .gpPracticeCode, .gender, .ethnicity, .dateOfBirth,
        .dateOfDeath, .primarySupportReason, .postcode, .accommodationStatus, .employmentStatus, .hasUnpaidCarer,
        .autism, .visualImpairment, .hearingImpairment, .dementia, .clientFundingStatus, .adultsCaredFor,
        .linkedPerson1, .linkedPerson2, .linkedPerson3,
    ]

    /// What a practitioner does to fill the column.
    public var fix: String {
        switch self {
        case .laCode: "give --la-code"
        case .nhsNumber: "record it with record-person-details (nhsNumber)"
        case .gender: "record it with record-person-details (gender)"
        case .dateOfBirth: "record it with record-person-details (dateOfBirth, the full date)"
        case .ethnicity: "record it with record-person-details (ethnicity; not-stated if the person declines)"
        case .postcode: "record it with record-person-details (postcode)"
        case .accommodationStatus: "record it with record-person-details (accommodationStatus)"
        case .employmentStatus: "record it with record-person-details (employmentStatus)"
        case .hasUnpaidCarer: "record it with record-person-details (hasUnpaidCarer)"
        case .clientFundingStatus: "record it with record-person-details (clientFundingStatus)"
        case .primarySupportReason:
            "record it at assessment-completed or with record-person-details (primarySupportReason)"
        case .assessmentMethod: "record 'participants' at assessment-completed"
        case .serviceComponent: "give the plan's councilManaged a 'component' and sign it off"
        case .outcomesAchieved: "record 'outcomesAchieved' at review-completed"
        case .reviewMethod: "record 'participants' at review-completed"
        case .endDate: "close the case with the reason deceased once the person has died"
        case .unitCost, .costFrequency, .plannedUnits: "record the service's cost in the plan or the provider's reply"
        default: "the history lacks it; see docs/reporting.md"
        }
    }
}
