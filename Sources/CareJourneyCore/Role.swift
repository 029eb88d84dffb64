/// What a signed-in person (or process) may do, each role allowing all that the roles below it allow:
/// `metrics` < `viewer` < `practitioner` < `manager` < `admin`.
///
/// A `metrics` token reads the service's figures (`GET /metrics`) and nothing else: no case, no page. A viewer
/// reads cases and pages; a practitioner also takes the journey's everyday steps; a manager also takes the
/// decisions that spend public money or end a safeguarding enquiry (see `EventCatalog.minimumRole(of:)`), runs
/// bulk actions and sees who viewed a case; an admin may do anything, including what is admin-only.
public enum Role: String, Choice, Comparable {
    case metrics, viewer, practitioner, manager, admin

    /// Roles in order, lowest first.
    private var rank: Int { Self.allCases.firstIndex(of: self) ?? 0 }

    public static func < (lhs: Role, rhs: Role) -> Bool { lhs.rank < rhs.rank }
}
