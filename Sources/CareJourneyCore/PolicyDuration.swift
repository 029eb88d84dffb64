import Foundation

/// A length of time written in a policy file: calendar months plus exact seconds, or working days.
///
/// Text form: one or more `<number><unit>` parts, e.g. `72h`, `6w`, `12mo`, `1w 2d`, `30s`, or working days alone,
/// `5wd`. Units: `s` (seconds), `min` (minutes; a bare `m` is refused as it could mean months), `h` (hours), `d`
/// (days), `w` (weeks), `mo` (calendar months), `y` (12 calendar months), `wd` (working days, never mixed with the
/// others). By itself (`after(_:)`) a duration counts on the UTC Gregorian calendar, so "12 months after 31 January"
/// is 31 January a year later and a month after 31 January is the last day of February, and working days are
/// Monday to Friday; the council's calendar (`CouncilCalendar`) counts the same duration in local days, skipping its
/// bank holidays and closures.
public struct PolicyDuration: Hashable, Codable, Sendable, CustomStringConvertible {
    /// Whole calendar months.
    public var months: Int
    /// Exact seconds added after the months.
    public var seconds: Int64
    /// Working days (`5wd`); a duration in working days has no months or seconds.
    public var workingDays: Int

    /// Creates a duration of `months` calendar months and `seconds` seconds, or of `workingDays` working days.
    public init(months: Int = 0, seconds: Int64 = 0, workingDays: Int = 0) {
        self.months = months
        self.seconds = seconds
        self.workingDays = workingDays
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
    /// A duration of working days.
    public static func workingDays(_ n: Int) -> PolicyDuration { PolicyDuration(workingDays: n) }

    /// The units the text form accepts, in the order they are written back.
    static let units: [(suffix: String, seconds: Int64)] = [
        ("w", 604_800), ("d", 86_400), ("h", 3600), ("min", 60), ("s", 1),
    ]

    /// Parses the text form; `nil` when the text is not a duration (for example `6 weeks`, `-1d`, `3x` or `1w 2wd`).
    public init?(parsing text: String) {
        var months = 0
        var seconds: Int64 = 0
        var workingDays = 0
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
            case "wd": workingDays += Int(number)
            default:
                guard let match = Self.units.first(where: { $0.suffix == unit }) else { return nil }
                seconds += number * match.seconds
            }
        }
        // Working days are counted on their own: "5 working days and a week" has no one reading.
        guard workingDays == 0 || (months == 0 && seconds == 0) else { return nil }
        self.init(months: months, seconds: seconds, workingDays: workingDays)
    }

    /// The text form, in the largest units that divide it exactly (`72h` reads back as `3d`).
    public var description: String {
        if workingDays > 0 { return "\(workingDays)wd" }
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

    /// A length in seconds that counts a month as 30.44 days and a working day as 7/5 of a day: for comparing
    /// durations, never for scheduling.
    public var approximateSeconds: Double {
        Double(months) * 2_629_746 + Double(seconds) + Double(workingDays) * 86_400 * 7 / 5
    }

    /// Whether the duration is zero.
    public var isZero: Bool { months == 0 && seconds == 0 && workingDays == 0 }

    /// The instant this long after `date`, on the UTC calendar (working days: Monday to Friday, time of day kept).
    public func after(_ date: Date) -> Date {
        if workingDays != 0 { return Self.weekdays(workingDays, from: date) }
        let base = months == 0 ? date : Self.calendar.date(byAdding: .month, value: months, to: date) ?? date
        return base.addingTimeInterval(TimeInterval(seconds))
    }

    /// The instant this long before `date`, on the UTC calendar (working days: Monday to Friday, time of day kept).
    public func before(_ date: Date) -> Date {
        if workingDays != 0 { return Self.weekdays(-workingDays, from: date) }
        let base = date.addingTimeInterval(-TimeInterval(seconds))
        return months == 0 ? base : Self.calendar.date(byAdding: .month, value: -months, to: base) ?? base
    }

    /// `n` weekdays from `date` on the UTC calendar, at the same time of day.
    private static func weekdays(_ n: Int, from date: Date) -> Date {
        let seconds = date.timeIntervalSince1970
        let day = LocalDate(dayNumber: Int((seconds / 86_400).rounded(.down)))
        let target = CouncilCalendar.counting(workingDays: n, from: day) { !$0.isWeekend }
        return date.addingTimeInterval(TimeInterval((target.dayNumber - day.dayNumber) * 86_400))
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
