/// Independent advocacy: required where the person would have substantial difficulty being involved and has
/// no appropriate person to support them. While required and not yet involved, assessment, sign-off and reviews
/// cannot complete.
public struct Advocacy: Hashable, Codable, Sendable {
    /// Where the advocacy referral is.
    public var status: Status
    /// The allocated advocate, once involved.
    public var advocate: String?

    /// Not needed, referred, or involved.
    public enum Status: String, Choice {
        case notRequired = "not-required"
        case referred
        case involved
    }

    /// No advocacy.
    public static let none = Advocacy(status: .notRequired, advocate: nil)
}

/// Data of `start-assessment`, `involvement-assessed` and part of `start-review`: whether an advocate is needed.
public struct Involvement: Hashable, Codable, Sendable {
    /// Would the person have substantial difficulty being involved?
    public var substantialDifficulty: Bool?
    /// Is there an appropriate person (not paid to care) who can support their involvement?
    public var appropriatePerson: Bool?

    /// Creates an involvement finding.
    public init(substantialDifficulty: Bool? = nil, appropriatePerson: Bool? = nil) {
        self.substantialDifficulty = substantialDifficulty
        self.appropriatePerson = appropriatePerson
    }

    /// Whether the duty to arrange an independent advocate applies.
    public var needsAdvocate: Bool { substantialDifficulty == true && appropriatePerson != true }
}

/// Data of `advocate-allocated`: the advocacy worker's reply.
public struct AdvocateAllocated: Hashable, Codable, Sendable {
    public var advocate: String
    public var task: TaskID?
}
