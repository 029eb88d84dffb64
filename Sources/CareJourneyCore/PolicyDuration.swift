import Foundation

/// A length of time written in a policy file: calendar months plus exact seconds.
///
/// Text form: one or more `<number><unit>` parts, e.g. `72h`, `6w`, `12mo`, `1w 2d`, `30s`.
/// Units: `s` (seconds), `min` (minutes; a bare `m` is refused as it could mean months), `h` (hours), `d` (days), `w` (weeks), `mo` (calendar months),
/// `y` (12 calendar months). Months are added on the UTC Gregorian calendar, so "12 months after 31 January"
/// is 31 January a year later and a month after 31 January is the last day of February.
public struct PolicyDuration: Hashable, Codable, Sendable, CustomStringConvertible {
    /// Whole calendar months.
    public var months: Int
    /// Exact seconds added after the months.
    public var seconds: Int64

    /// Creates a duration of `months` calendar months and `seconds` seconds.
    public init(months: Int = 0, seconds: Int64 = 0) {
        self.months = months
        self.seconds = seconds
    }

    /// A duration of whole seconds.
    public static func seconds(_ n: Int64) -> PolicyDuration { PolicyDuration(seconds: n) }
    /// A duration of whole hours.
    public static func hours(_ n: Int64) -> PolicyDuration { PolicyDuration(seconds: n * 3600) }
    /// A duration of whole days.
    public static func days(_ n: Int64) -> PolicyDuration { PolicyDuration(seconds: n * 86_400) }
    /// A duration of whole weeks.
    public static func weeks(_ n: Int64) -> PolicyDuration { PolicyDuration(seconds: n * 604_800) }
    /// A duration of whole calendar months.
    public static func months(_ n: Int) -> PolicyDuration { PolicyDuration(months: n) }

    /// The units the text form accepts, in the order they are written back.
    static let units: [(suffix: String, seconds: Int64)] = [
        ("w", 604_800), ("d", 86_400), ("h", 3600), ("min", 60), ("s", 1),
    ]

    /// Parses the text form; `nil` when the text is not a duration (for example `6 weeks`, `-1d` or `3x`).
    public init?(parsing text: String) {
        var months = 0
        var seconds: Int64 = 0
        var rest = Substring(text.trimmingCharacters(in: .whitespaces))
        guard !rest.isEmpty else { return nil }
        while !rest.isEmpty {
            let digits = rest.prefix(while: \.isASCIIDigitCharacter)
            guard !digits.isEmpty, let number = Int64(digits) else { return nil }
            rest = rest.dropFirst(digits.count)
            let unit = rest.prefix(while: \.isLetter)
            rest = rest.dropFirst(unit.count).drop(while: \.isWhitespace)
            switch unit {
            case "mo": months += Int(number)
            case "y": months += Int(number) * 12
            default:
                guard let match = Self.units.first(where: { $0.suffix == unit }) else { return nil }
                seconds += number * match.seconds
            }
        }
        self.init(months: months, seconds: seconds)
    }

    /// The text form, in the largest units that divide it exactly (`72h` reads back as `3d`).
    public var description: String {
        var parts: [String] = []
        if months > 0 { parts.append("\(months)mo") }
        var rest = seconds
        // Days only from a week up: 72h reads as 72h, as policies write it, not 3d.
        let useDays = rest >= 604_800
        for (suffix, size) in Self.units where (suffix != "d" || useDays) && rest >= size {
            parts.append("\(rest / size)\(suffix)")
            rest %= size
        }
        return parts.isEmpty ? "0s" : parts.joined(separator: " ")
    }

    /// A length in seconds that counts a month as 30.44 days: for comparing durations, never for scheduling.
    public var approximateSeconds: Double { Double(months) * 2_629_746 + Double(seconds) }

    /// Whether the duration is zero.
    public var isZero: Bool { months == 0 && seconds == 0 }

    /// The instant this long after `date`.
    public func after(_ date: Date) -> Date {
        let base = months == 0 ? date : Self.calendar.date(byAdding: .month, value: months, to: date) ?? date
        return base.addingTimeInterval(TimeInterval(seconds))
    }

    /// The instant this long before `date`.
    public func before(_ date: Date) -> Date {
        let base = date.addingTimeInterval(-TimeInterval(seconds))
        return months == 0 ? base : Self.calendar.date(byAdding: .month, value: -months, to: base) ?? base
    }

    private static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let value = PolicyDuration(parsing: text) else {
            throw DecodingError.dataCorrupted(
                .init(
                    codingPath: decoder.codingPath, debugDescription: "'\(text)' is not a duration like 72h, 6w or 12mo"
                ))
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

extension Character {
    fileprivate var isASCIIDigitCharacter: Bool { isASCII && isNumber }
}
