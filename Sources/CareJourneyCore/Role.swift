import CareJourneyCore

/// What a signed-in person may do, each role allowing all that the roles below it allow:
/// `viewer` < `practitioner` < `manager` < `admin`.
///
/// A viewer reads (any GET); a practitioner also changes cases (POSTs that record events); a manager also runs
/// bulk actions (`/api/bulk/…`) and sees who viewed a case; an admin may do anything, including what is
/// admin-only.
public enum Role: String, Choice, Comparable {
    case viewer, practitioner, manager, admin

    /// Roles in order, lowest first.
    private var rank: Int { Self.allCases.firstIndex(of: self) ?? 0 }

    public static func < (lhs: Role, rhs: Role) -> Bool { lhs.rank < rhs.rank }
}
