import CareJourneyCore

/// Whether a column must be filled on a row, may be, or does not apply to it.
public enum CLDRequirement: Hashable, Sendable {
    /// It must be filled; the rule, in words (`mandatory on a review`).
    case mandatory(String)
    /// It is filled when known.
    case optional
    /// It does not apply to the row (a review's reason on a request).
    case notApplicable
}

/// When each column must be filled, from the row's own values: the same rules for the rows we write and for a
/// council's file `report cld --check` reads.
///
/// No public source gives Release 2's rules (AGEM computes them; DHSC only reads its flags). These are the Release 1
/// rules DHSC encoded in `Stored_procedures/create_GetDQValues_procedure.sql` (commit `fb65e63`, 2024), with the
/// Release 2 wording of the values they test (`Service user`, `Unpaid carer known by association`, `Long term
/// support…`). One choice of ours: a carer known by association has no record of their own, so their person fields
/// are filled when known but not required. docs/reporting.md lists every rule.
extension CLDColumn {
    /// What the column needs on `row`.
    public func requirement(in row: [CLDColumn: String]) -> CLDRequirement {
        let row = Row(values: row)
        switch self {
        case .laCode, .periodStart, .periodEnd, .personID, .clientType:
            return .mandatory("mandatory on every row")
        case .nhsNumber, .gender, .ethnicity, .dateOfBirth, .postcode, .accommodationStatus, .hasUnpaidCarer:
            return row.knownByAssociation ? .optional : .mandatory("mandatory on every row (person field)")
        case .firstName, .lastName, .gpPracticeName, .gpPracticeCode, .dateOfDeath:
            return .optional
        case .primarySupportReason:
            return row.knownByAssociation || row.eventType == CLDEvent.EventType.request.rawValue
                ? .optional : .mandatory("mandatory on every row but a request (person field)")
        case .employmentStatus:
            guard row.isServiceUser, let age = row.ageAtPeriodEnd, (18...64).contains(age),
                row[.primarySupportReason] == CLDCodes.learningDisability
            else { return .optional }
            return .mandatory(
                "mandatory for a service user aged 18 to 64 at the period's end whose primary support reason is "
                    + "learning disability support")
        case .autism, .visualImpairment, .hearingImpairment, .dementia:
            return row.isServiceUser ? .optional : .notApplicable
        case .clientFundingStatus:
            guard row.isServiceUser else { return .notApplicable }
            return row.is(.service) || row.is(.review) || row.isFinancialAssessment
                ? .mandatory("mandatory on a service user's services, reviews and financial assessments") : .optional
        case .eventType, .startDate:
            return row.knownByAssociation ? .notApplicable : .mandatory("mandatory on every event")
        case .eventReference, .eventDescription:
            return row.knownByAssociation ? .notApplicable : .optional
        case .endDate:
            if row.knownByAssociation { return .notApplicable }
            if !row.is(.service) { return .mandatory("mandatory on a request, an assessment or a review") }
            return row[.dateOfDeath] == nil ? .optional : .mandatory("mandatory on a service once the person has died")
        case .outcome:
            if row.knownByAssociation { return .notApplicable }
            return row.isFinancialAssessment ? .optional : .mandatory("mandatory on every event")
        case .routeOfAccess:
            return row.is(.request) ? .mandatory("mandatory on a request") : .notApplicable
        case .assessmentType:
            return row.is(.assessment) ? .mandatory("mandatory on an assessment") : .notApplicable
        case .eligibleNeeds:
            return row.is(.assessment) ? .optional : .notApplicable
        case .assessmentMethod:
            guard row.is(.assessment) else { return .notApplicable }
            return row.isFinancialAssessment ? .optional : .mandatory("mandatory on an assessment")
        case .hoursCaring, .adultsCaredFor, .linkedPerson1, .linkedPerson2, .linkedPerson3:
            return row.isCarer ? .optional : .notApplicable
        case .serviceType, .serviceComponent:
            return row.is(.service) ? .mandatory("mandatory on a service") : .notApplicable
        case .deliveryMechanism, .providerName, .providerID:
            return row.is(.service) ? .optional : .notApplicable
        case .reviewReason, .reviewMethod:
            return row.is(.review) ? .mandatory("mandatory on a review") : .notApplicable
        case .outcomesAchieved:
            guard row.is(.review) else { return .notApplicable }
            return row[.reviewReason]?.hasPrefix("Planned") == true
                ? .mandatory("mandatory on a planned review") : .optional
        case .unitCost, .costFrequency, .plannedUnits:
            guard row.is(.service) else { return .notApplicable }
            return row.costsRequired
                ? .mandatory(
                    "mandatory on a service not commissioned by the council that is long-term support, support to an "
                        + "unpaid carer or a short stay in a care home")
                : .optional
        }
    }
}

/// A row's values as the rules read them.
private struct Row {
    let values: [CLDColumn: String]

    /// The value, or `nil` when blank.
    subscript(_ column: CLDColumn) -> String? {
        guard let value = values[column], !value.isEmpty else { return nil }
        return value
    }

    var clientType: String? { self[.clientType] }
    var eventType: String? { self[.eventType] }
    var isServiceUser: Bool { clientType == CLDCodes.ClientType.serviceUser.rawValue }
    var knownByAssociation: Bool { clientType == CLDCodes.ClientType.knownByAssociation.rawValue }
    var isCarer: Bool { clientType?.hasPrefix("Unpaid carer") == true }
    func `is`(_ type: CLDEvent.EventType) -> Bool { !knownByAssociation && eventType == type.rawValue }
    /// Release 1 had a financial assessment type; whether Release 2 keeps one is not known.
    var isFinancialAssessment: Bool { self.is(.assessment) && self[.assessmentType]?.hasPrefix("Financial") == true }

    /// Whole years from the date of birth to the period's end, as DHSC counts them (days / 365.25, rounded down).
    var ageAtPeriodEnd: Int? {
        guard let born = self[.dateOfBirth].flatMap(CLDDate.day), let end = self[.periodEnd].flatMap(CLDDate.day)
        else { return nil }
        return CLDDate.age(born: born, on: end)
    }

    /// Release 1's rule: a service not commissioned by the council (a blank mechanism does not count: SQL's
    /// `NOT LIKE` on a blank is not true) that is long-term support, unpaid carer support or a short stay.
    var costsRequired: Bool {
        guard let mechanism = self[.deliveryMechanism], mechanism != CLDCodes.DeliveryMechanism.commissioned.rawValue
        else { return false }
        let type = self[.serviceType] ?? ""
        return type.hasPrefix("Long term support") || type.hasPrefix("Unpaid carer support")
            || CLDCodes.shortStayComponents.contains(self[.serviceComponent] ?? "")
    }
}
