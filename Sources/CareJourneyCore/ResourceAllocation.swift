/// The resource allocation system (RAS): assessment points to an indicative weekly budget, moderated by the
/// sustainable informal support the person already has.
public struct ResourceAllocation: Hashable, Codable, Sendable {
    /// Contiguous, ascending bands of points, each with its weekly amount.
    public var bands: [Band]
    /// The share of the band's amount taken off for each level of sustainable informal support (0.25 is 25 %).
    public var informalSupportReduction: [InformalSupport: Double]

    /// Creates a RAS from its bands and reductions.
    public init(bands: [Band], informalSupportReduction: [InformalSupport: Double]) {
        self.bands = bands
        self.informalSupportReduction = informalSupportReduction
    }

    /// One band: points from `minPoints` to `maxPoints` inclusive give `weekly`.
    public struct Band: Hashable, Codable, Sendable {
        public var minPoints: Int
        public var maxPoints: Int
        public var weekly: Money
        public init(minPoints: Int, maxPoints: Int, weekly: Money) {
            self.minPoints = minPoints
            self.maxPoints = maxPoints
            self.weekly = weekly
        }
    }

    /// The band for `points`, or `nil` when no band covers them.
    public func band(for points: Int) -> Band? {
        bands.first { $0.minPoints <= points && points <= $0.maxPoints }
    }

    /// The indicative weekly budget for `points` given `support`, or `nil` when no band covers the points.
    public func indicativeBudget(points: Int, support: InformalSupport) -> Money? {
        guard let band = band(for: points) else { return nil }
        return band.weekly.scaled(by: 1 - (informalSupportReduction[support] ?? 0))
    }

    /// The points the bands cover, as text for messages (`0–120`).
    public var coverage: String {
        guard let first = bands.first, let last = bands.last else { return "none" }
        return "\(first.minPoints)–\(last.maxPoints)"
    }
}

/// How much sustainable informal support (family, friends, community) already meets needs.
public enum InformalSupport: String, CaseIterable, Codable, Sendable {
    case none
    case some
    case substantial
}
