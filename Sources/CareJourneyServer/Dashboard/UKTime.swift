import Foundation

/// Dates and durations as people in an English council read them: UK format, UK time.
enum UKTime {
    private static let zone = TimeZone(identifier: "Europe/London") ?? .gmt
    private static let locale = Locale(identifier: "en_GB")

    /// `3 Dec 2026`.
    static func day(_ date: Date) -> String {
        date.formatted(Date.FormatStyle(date: .abbreviated, time: .omitted, locale: locale, timeZone: zone))
    }

    /// `3 Dec 2026, 14:05`.
    static func dateTime(_ date: Date) -> String {
        date.formatted(Date.FormatStyle(date: .abbreviated, time: .shortened, locale: locale, timeZone: zone))
    }

    /// A `<time>` element showing the date and time, with the exact instant for machines.
    static func element(_ date: Date, dayOnly: Bool = false) -> HTML {
        "<time datetime=\"\(date.formatted(.iso8601))\">\(dayOnly ? day(date) : dateTime(date))</time>"
    }

    /// `45 min`, `5 hours`, `3 days`, `6 weeks`: roughly how long.
    static func duration(_ seconds: TimeInterval) -> String {
        let minutes = Int(seconds / 60)
        switch minutes {
        case ..<1: return "under a minute"
        case ..<120: return "\(minutes) min"
        case ..<(48 * 60): return "\(minutes / 60) hours"
        case ..<(14 * 24 * 60): return "\(minutes / (24 * 60)) days"
        default: return "\(minutes / (7 * 24 * 60)) weeks"
        }
    }
}
