/// Who the case is for, as recorded at contact.
public struct Person: Hashable, Codable, Sendable {
    /// The person's name, as they gave it.
    public var name: String
    /// A person needing care and support, or an unpaid carer.
    public var clientType: ClientType
    /// How the person came to the council.
    public var route: RouteOfAccess
    /// For a carer: whom they care for (a name or a case id), when given.
    public var caredFor: String?
    /// NHS number, birth month, gender, ethnicity, postcode and primary support reason, as far as known.
    public var details: PersonDetails?
}

/// A person needing care and support, or an unpaid carer (whose assessment is under s10).
public enum ClientType: String, Choice {
    case adult
    case carer
}

/// How a person came to the council (the CLD "Request Route of Access").
public enum RouteOfAccess: String, Choice {
    case selfReferral = "self-referral"
    case familyOrFriend = "family-or-friend"
    case gp
    case nhsCommunity = "nhs-community"
    case hospitalDischarge = "hospital-discharge"
    case hospitalDiversion = "hospital-diversion"
    case transferFromAnotherCouncil = "transfer-from-another-council"
    case selfFunderDepletedFunds = "self-funder-depleted-funds"
    case prison
    case transitionFromChildrensServices = "transition-from-childrens-services"
    case police
    case other
}

/// Data of `contact`: the first event of every case.
public struct Contact: Hashable, Codable, Sendable {
    /// Creates a contact.
    public init(
        name: String, clientType: ClientType, route: RouteOfAccess, caredFor: String?, summary: String?,
        details: PersonDetails = PersonDetails()
    ) {
        self.name = name
        self.clientType = clientType
        self.route = route
        self.caredFor = caredFor
        self.summary = summary
        nhsNumber = details.nhsNumber
        birthMonth = details.birthMonth
        gender = details.gender
        ethnicity = details.ethnicity
        postcode = details.postcode
    }

    public var name: String
    public var clientType: ClientType
    public var route: RouteOfAccess
    public var caredFor: String?
    public var summary: String?
    public var nhsNumber: String?
    public var birthMonth: String?
    public var gender: Gender?
    public var ethnicity: Ethnicity?
    public var postcode: String?

    /// The person's details the contact gives.
    public var details: PersonDetails {
        PersonDetails(
            nhsNumber: nhsNumber, birthMonth: birthMonth, gender: gender, ethnicity: ethnicity, postcode: postcode)
    }
}

/// Data of events that need nothing but an optional note, and of task replies that carry only the task.
public struct Note: Hashable, Codable, Sendable {
    /// Free text for the audit trail.
    public var note: String?
    /// The task this completes, when the event is a worker's reply to one.
    public var task: TaskID?

    /// Creates a note.
    public init(note: String? = nil, task: TaskID? = nil) {
        self.note = note
        self.task = task
    }
}

/// Data of `close-case`: closing at any stage with a reason (deceased, support declined, NHS-funded, …).
public struct Closing: Hashable, Codable, Sendable {
    public var reason: ClosureReason
    public var note: String?
}

/// When and why a case closed.
public struct Closure: Hashable, Codable, Sendable {
    public var reason: ClosureReason
    public var at: Date
}

import Foundation
