/// The columns of the CLD file, in order, and when each must be filled: the rules the export checks before it
/// writes a row.
public enum CLDColumn: String, CaseIterable, Sendable {
    case laCode = "LA Code"
    case personID = "LA Person Unique Identifier"
    case nhsNumber = "NHS Number"
    case gender = "Person Stated Gender Code"
    case birthMonth = "Person Birth Month"
    case ethnicity = "Ethnicity"
    case postcode = "Postcode"
    case clientType = "Client Type"
    case primarySupportReason = "Primary Support Reason"
    case eventType = "Event Type"
    case eventReference = "Event Reference"
    case startDate = "Event Start Date"
    case endDate = "Event End Date"
    case outcome = "Event Outcome"
    case routeOfAccess = "Request: Route of Access"
    case assessmentType = "Assessment Type"
    case eligibleNeeds = "Eligible Needs Identified"
    case assessmentMethod = "Method of Assessment"
    case serviceType = "Service Type"
    case serviceComponent = "Service Component"
    case deliveryMechanism = "Delivery Mechanism"
    case unitCost = "Unit Cost"
    case costFrequency = "Cost Frequency (Unit Type)"
    case reviewReason = "Review Reason"
    case outcomesAchieved = "Review Outcomes Achieved"
    case reviewMethod = "Method of Review"

    /// Why the column must be filled on `event`, or `nil` when it may be left empty.
    public func rule(for event: CLDEvent) -> String? {
        let serviceUser = event.clientType == .adult
        switch self {
        case .laCode, .personID, .eventType, .eventReference, .startDate, .clientType:
            return "mandatory on every row"
        case .nhsNumber, .gender, .birthMonth, .ethnicity, .postcode:
            return "mandatory on every row (person field)"
        case .primarySupportReason:
            return serviceUser && event.type != .request && (event.type != .assessment || event.isEnded)
                ? "mandatory for a service user's completed assessments, services and reviews" : nil
        case .endDate, .outcome:
            return event.isEnded ? "mandatory once the event has ended" : nil
        case .routeOfAccess:
            return event.type == .request ? "mandatory on a request" : nil
        case .assessmentType, .eligibleNeeds:
            return event.type == .assessment ? "mandatory on an assessment" : nil
        case .assessmentMethod:
            return event.type == .assessment && event.assessmentCompleted
                ? "mandatory on an assessment that was carried out" : nil
        case .serviceType, .deliveryMechanism:
            return event.type == .service ? "mandatory on a service" : nil
        case .serviceComponent, .unitCost, .costFrequency:
            return event.type == .service && event.isLongTerm ? "mandatory on a long-term service" : nil
        case .reviewReason:
            return event.type == .review ? "mandatory on a review" : nil
        case .outcomesAchieved, .reviewMethod:
            return event.type == .review && event.reviewCompleted ? "mandatory on a completed review" : nil
        }
    }

    /// What a practitioner does to fill the column.
    public var fix: String {
        switch self {
        case .laCode: "give --la-code"
        case .nhsNumber: "record it with record-person-details (nhsNumber)"
        case .gender: "record it with record-person-details (gender)"
        case .birthMonth: "record it with record-person-details (birthMonth)"
        case .ethnicity: "record it with record-person-details (ethnicity; not-stated if the person declines)"
        case .postcode: "record it with record-person-details (postcode)"
        case .primarySupportReason:
            "record it at assessment-completed or with record-person-details (primarySupportReason)"
        case .assessmentMethod: "record 'method' at assessment-completed"
        case .serviceComponent: "give the plan's councilManaged a 'component' and sign it off"
        case .outcomesAchieved: "record 'outcomesAchieved' at review-completed"
        case .reviewMethod: "record 'method' at review-completed"
        case .unitCost, .costFrequency: "record the service's cost in the plan or the provider's reply"
        default: "the history lacks it; see docs/reporting.md"
        }
    }
}
