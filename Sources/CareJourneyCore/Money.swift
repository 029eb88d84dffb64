/// An amount of money in pounds sterling, held exactly in pence.
///
/// Written in files and JSON as a number of pounds (`412.5` is £412.50).
public struct Money: Hashable, Comparable, Codable, Sendable, CustomStringConvertible {
    /// The amount in pence.
    public var pence: Int

    /// Creates an amount from pence.
    public init(pence: Int) { self.pence = pence }

    /// Creates an amount from pounds, rounded to the nearest penny.
    public init(pounds: Double) { self.pence = Int((pounds * 100).rounded()) }

    /// Nothing.
    public static let zero = Money(pence: 0)

    /// The amount in pounds.
    public var pounds: Double { Double(pence) / 100 }

    /// `£1,234.50`.
    public var description: String {
        let sign = pence < 0 ? "-" : ""
        let whole = abs(pence) / 100
        let fraction = abs(pence) % 100
        var digits = String(whole)
        var groups: [Substring] = []
        while digits.count > 3 {
            groups.insert(digits.suffix(3), at: 0)
            digits.removeLast(3)
        }
        groups.insert(Substring(digits), at: 0)
        return "\(sign)£\(groups.joined(separator: ",")).\(fraction < 10 ? "0" : "")\(fraction)"
    }

    /// This amount scaled by `factor`, rounded to the nearest penny.
    public func scaled(by factor: Double) -> Money { Money(pence: Int((Double(pence) * factor).rounded())) }

    public static func + (lhs: Money, rhs: Money) -> Money { Money(pence: lhs.pence + rhs.pence) }
    public static func - (lhs: Money, rhs: Money) -> Money { Money(pence: lhs.pence - rhs.pence) }
    public static func < (lhs: Money, rhs: Money) -> Bool { lhs.pence < rhs.pence }

    public init(from decoder: any Decoder) throws {
        let pounds = try decoder.singleValueContainer().decode(Double.self)
        guard pounds.isFinite, abs(pounds) < 1e12 else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "\(pounds) is not an amount of pounds"))
        }
        self.init(pounds: pounds)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(pounds)
    }
}
