/// Safeguarding beside the journey: concern → s42 enquiry decision → enquiry → outcome.
public struct Safeguarding: Hashable, Codable, Sendable {
    public var status: Status
    /// During an enquiry: whether the current arrangements are recorded as safe (needed for sign-off).
    public var arrangementsSafe: Bool
    /// Concerns raised on this case so far.
    public var concernsRaised: Int
    /// The outcome of the last finished enquiry or concern.
    public var lastOutcome: SafeguardingOutcome.Result?
    /// Who raised the open concern: they may not conclude its enquiry alone (four eyes).
    public var raisedBy: String?

    /// Where safeguarding is.
    public enum Status: String, Choice {
        case none
        case concern
        case enquiry
    }

    /// No safeguarding open.
    public static let none = Safeguarding(
        status: .none, arrangementsSafe: false, concernsRaised: 0, lastOutcome: nil, raisedBy: nil)
}

/// Data of `s42-decision`.
public struct S42Decision: Hashable, Codable, Sendable {
    /// Whether a s42 enquiry is needed; `false` ends the concern with no further action.
    public var enquiry: Bool
    public var task: TaskID?
}

/// Data of `safeguarding-concluded`.
public struct SafeguardingOutcome: Hashable, Codable, Sendable {
    public var outcome: Result
    /// Whether the outcome needs an unplanned review of the plan.
    public var reviewNeeded: Bool?
    public var task: TaskID?

    /// What the enquiry found.
    public enum Result: String, Choice {
        case riskRemoved = "risk-removed"
        case riskReduced = "risk-reduced"
        case riskRemains = "risk-remains"
        case noFurtherAction = "no-further-action"
    }
}

/// Complaints beside the journey: received → local resolution → outcome.
public struct Complaint: Hashable, Codable, Sendable {
    public var status: Status
    /// Complaints received on this case so far.
    public var received: Int
    public var lastOutcome: ComplaintOutcome.Result?
    /// What the open complaint challenges, when it says.
    public var about: ComplaintSubject?

    /// Where the complaint is.
    public enum Status: String, Choice {
        case none
        case received
        case localResolution = "local-resolution"
    }

    /// No complaint open.
    public static let none = Complaint(status: .none, received: 0, lastOutcome: nil, about: nil)
}

/// What a complaint challenges. Wiltshire: "You may wish to challenge various decisions, such as the accuracy of the
/// assessment; the value of the council's contribution to the personal budget; the cost of your contribution; the
/// nature of the support you agreed in your support plan; or decisions regarding community or residential care."
public enum ComplaintSubject: String, Choice {
    case assessment
    case councilContribution = "council-contribution"
    /// The person's contribution: a complaint linked to the financial assessment; upheld, it is re-assessed.
    case contribution
    case supportPlan = "support-plan"
    case communityOrResidentialCare = "community-or-residential-care"
    case other
}

/// Data of `complaint-received`.
public struct ComplaintReceived: Hashable, Codable, Sendable {
    public var note: String?
    /// What the complaint challenges.
    public var about: ComplaintSubject?
}

/// Data of `complaint-concluded`.
public struct ComplaintOutcome: Hashable, Codable, Sendable {
    public var outcome: Result
    public var task: TaskID?

    /// The complaint's outcome.
    public enum Result: String, Choice {
        case upheld
        case partlyUpheld = "partly-upheld"
        case notUpheld = "not-upheld"
        case withdrawn
    }
}
