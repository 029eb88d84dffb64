import Foundation

/// The days a report covers, first and last included, as calendar days in England (Europe/London).
public struct ReportPeriod: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The first instant of the first day.
    public let start: Date
    /// The first instant after the last day.
    public let end: Date
    /// The first day, `YYYY-MM-DD`.
    public let firstDay: String
    /// The last day, `YYYY-MM-DD`.
    public let lastDay: String

    /// A period from its first and last day, written `YYYY-MM-DD`.
    ///
    /// - Throws: `ReportError` (`invalidPeriod`) for a day that is not a date or a last day before the first.
    public init(from first: String, to last: String) throws(ReportError) {
        guard let start = Self.startOfDay(first) else {
            throw ReportError(.invalidPeriod, "--from '\(first)' is not a date: write it YYYY-MM-DD, like 2026-04-01")
        }
        guard let lastStart = Self.startOfDay(last) else {
            throw ReportError(.invalidPeriod, "--to '\(last)' is not a date: write it YYYY-MM-DD, like 2027-03-31")
        }
        guard lastStart >= start else {
            throw ReportError(.invalidPeriod, "--to \(last) is before --from \(first): the period must run forwards")
        }
        self.start = start
        end = Self.calendar.date(byAdding: .day, value: 1, to: lastStart) ?? lastStart
        firstDay = first
        lastDay = last
    }

    /// Written as `{"from": "YYYY-MM-DD", "to": "YYYY-MM-DD"}`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(
            from: container.decode(String.self, forKey: .from), to: container.decode(String.self, forKey: .to))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(firstDay, forKey: .from)
        try container.encode(lastDay, forKey: .to)
    }

    /// The twelve months up to and including the day `now` falls on (a rolling year, as the CLD return covers).
    public static func year(endingAt now: Date) -> ReportPeriod {
        let last = day(of: now)
        let lastStart = startOfDay(last) ?? now
        let first = calendar.date(
            byAdding: .day, value: 1, to: calendar.date(byAdding: .year, value: -1, to: lastStart)!)!
        // Both days come from the calendar, so they are valid dates in order.
        return try! ReportPeriod(from: day(of: first), to: last)
    }

    /// Whether `date` falls in the period.
    public func contains(_ date: Date) -> Bool { date >= start && date < end }

    public var description: String { "\(firstDay) to \(lastDay)" }

    /// The day `date` falls on in England, `YYYY-MM-DD`.
    public static func day(of date: Date) -> String {
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
    }

    private enum CodingKeys: String, CodingKey { case from, to }

    static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/London") ?? .gmt
        return calendar
    }()

    static func startOfDay(_ text: String) -> Date? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2])
        else { return nil }
        let components = DateComponents(year: year, month: month, day: day)
        guard components.isValidDate(in: calendar) else { return nil }
        return calendar.date(from: components)
    }
}
