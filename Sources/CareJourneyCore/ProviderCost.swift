/// What a provider's price is for: the unit a unit cost buys (the return's Cost Frequency (Unit Type)).
public enum CostUnit: String, Choice {
    case perSession = "per-session"
    case hourly
    case daily
    case weekly
    case fortnightly
    case fourWeekly = "four-weekly"
    case monthly
    case quarterly
    case annually
    case oneOff = "one-off"
}

/// How many units of a service a week are planned: a number from 0 to 1,000 with at most two decimal places
/// (`10.5` hours). Refused when it decodes if it is not one.
public struct PlannedUnits: Hashable, Codable, Sendable, CustomStringConvertible {
    /// The units in hundredths.
    public let hundredths: Int

    /// `value` units, or `nil` when it is negative, over 1,000 or finer than hundredths.
    public init?(_ value: Double) {
        guard value.isFinite, value >= 0, value <= 1000 else { return nil }
        let scaled = value * 100
        guard abs(scaled - scaled.rounded()) < 1e-6 else { return nil }
        hundredths = Int(scaled.rounded())
    }

    /// The units as a number.
    public var value: Double { Double(hundredths) / 100 }

    /// With two decimal places (`10.50`).
    public var description: String {
        let whole = hundredths / 100
        let fraction = hundredths % 100
        return "\(whole).\(fraction < 10 ? "0" : "")\(fraction)"
    }

    public init(from decoder: any Decoder) throws {
        let number = try decoder.singleValueContainer().decode(Double.self)
        guard let units = PlannedUnits(number) else {
            throw DecodingError.dataCorrupted(
                .init(
                    codingPath: decoder.codingPath,
                    debugDescription: "\(number) is not a number of units a week: from 0 to 1000, at most two "
                        + "decimal places, like 10.5"))
        }
        self = units
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }
}

/// A location's identifier on the Care Quality Commission's register: `1-` and digits (`1-123456789`). Refused when
/// it decodes if it is not one.
public struct CQCLocationID: Hashable, Codable, Sendable, CustomStringConvertible {
    public let text: String

    /// The identifier `given` is, or `nil`.
    public init?(_ given: String) {
        let digits = given.dropFirst(2)
        guard given.hasPrefix("1-"), (6...12).contains(digits.count), digits.allSatisfy({ $0.isASCII && $0.isNumber })
        else { return nil }
        text = given
    }

    public var description: String { text }

    public init(from decoder: any Decoder) throws {
        let given = try decoder.singleValueContainer().decode(String.self)
        guard let id = CQCLocationID(given) else {
            throw DecodingError.dataCorrupted(
                .init(
                    codingPath: decoder.codingPath,
                    debugDescription: "'\(given)' is not a CQC location ID: 1- and digits, like 1-123456789"))
        }
        self = id
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(text)
    }
}
