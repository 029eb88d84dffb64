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
    /// NHS number, date of birth, gender, ethnicity, postcode, accommodation and the other details the statutory
    /// return needs, as far as known.
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

/// Data of `contact`: the first event of every case. The person's details, as far as known, are fields of the
/// contact itself (`{"name": …, "nhsNumber": …, "dateOfBirth": …}`), as `record-person-details` takes them.
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
        self.details = details
    }

    public var name: String
    public var clientType: ClientType
    public var route: RouteOfAccess
    public var caredFor: String?
    public var summary: String?
    /// The person's details the contact gives.
    public var details: PersonDetails

    public var nhsNumber: String? {
        get { details.nhsNumber }
        set { details.nhsNumber = newValue }
    }

    private enum CodingKeys: String, CodingKey { case name, clientType, route, caredFor, summary }

    /// Reads the contact's own fields and the person's details from the same object.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        clientType = try container.decode(ClientType.self, forKey: .clientType)
        route = try container.decode(RouteOfAccess.self, forKey: .route)
        caredFor = try container.decodeIfPresent(String.self, forKey: .caredFor)
        summary = try container.decodeIfPresent(String.self, forKey: .summary)
        details = try PersonDetails(from: decoder)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(clientType, forKey: .clientType)
        try container.encode(route, forKey: .route)
        try container.encodeIfPresent(caredFor, forKey: .caredFor)
        try container.encodeIfPresent(summary, forKey: .summary)
        try details.encode(to: encoder)
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
