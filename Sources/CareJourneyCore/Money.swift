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
        let whole = Int(abs(pence) / 100)
        let fraction = abs(pence) % 100
        return "\(sign)£\(whole.grouped).\(fraction < 10 ? "0" : "")\(fraction)"
    }

    /// This amount scaled by `factor`, rounded to the nearest penny.
    public func scaled(by factor: Double) -> Money { Money(pence: Int((Double(pence) * factor).rounded())) }

    public static func + (lhs: Money, rhs: Money) -> Money { Money(pence: lhs.pence + rhs.pence) }
    public static func - (lhs: Money, rhs: Money) -> Money { Money(pence: lhs.pence - rhs.pence) }
    public static func < (lhs: Money, rhs: Money) -> Bool { lhs.pence < rhs.pence }

    /// The most any one amount may be (£1,000,000): more is a slip of the decimal point, not a care package.
    public static let largest = Money(pence: 100_000_000)

    /// Why a number is not an amount of money this service takes.
    public struct Problem: Error, Sendable, CustomStringConvertible {
        public let description: String
    }

    /// An amount of pounds as people, files and workers give it, refusing what no amount can be: not a number,
    /// below zero, above `largest`, or finer than a penny.
    public static func checked(pounds: Double) throws(Problem) -> Money {
        guard pounds.isFinite else { throw Problem(description: "\(pounds) is not an amount of pounds") }
        guard pounds >= 0 else {
            throw Problem(description: "\(Money(pounds: pounds)) is below zero: amounts are never negative")
        }
        guard pounds <= largest.pounds else {
            throw Problem(
                description: "\(Money(pounds: pounds)) is more than \(largest), the most any one amount may be: "
                    + "check the decimal point")
        }
        let pence = pounds * 100
        guard abs(pence - pence.rounded()) < 1e-6 else {
            throw Problem(description: "\(pounds) has a fraction of a penny: give pounds and pence, like 412.50")
        }
        return Money(pence: Int(pence.rounded()))
    }

    /// Reads an amount of pounds, refusing what `checked(pounds:)` refuses.
    public init(from decoder: any Decoder) throws {
        let pounds = try decoder.singleValueContainer().decode(Double.self)
        do {
            self = try Self.checked(pounds: pounds)
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(pounds)
    }
}
