import Foundation

/// A legal hold on a case: while it stands the case is never disposed of, whatever the retention schedule says
/// (litigation, an inquiry, a subject access request being answered). Set by `hold`, ended by `release-hold`.
public struct LegalHold: Hashable, Codable, Sendable {
    /// Who put the hold on.
    public var by: String
    /// When.
    public var at: Date
    /// Why, as they gave it.
    public var reason: String

    /// Creates a hold.
    public init(by: String, at: Date, reason: String) {
        self.by = by
        self.at = at
        self.reason = reason
    }
}

/// Data of `hold` and `release-hold`: why, which the records manager reads later.
public struct HoldDecision: Hashable, Codable, Sendable {
    /// Why the case is held, or why the hold ends: required, and not blank.
    public var reason: String

    /// Creates the data.
    public init(reason: String) { self.reason = reason }
}
