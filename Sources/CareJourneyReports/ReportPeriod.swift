import CareJourneyCore
import Foundation

/// The days a report covers, first and last included, as calendar days in the council's time zone (the policy's
/// `calendar.time-zone`; England's, Europe/London, unless a caller gives another).
public struct ReportPeriod: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The first instant of the first day.
    public let start: Date
    /// The first instant after the last day.
    public let end: Date
    /// The first day, `YYYY-MM-DD`.
    public let firstDay: String
    /// The last day, `YYYY-MM-DD`.
    public let lastDay: String
    /// The Gregorian calendar in the zone whose days these are: the CLD file's dates are written on it.
    public let calendar: Calendar

    /// The zone whose days the period's are.
    public var timeZone: TimeZone { calendar.timeZone }

    /// England's zone (Europe/London), the default of a policy without `calendar:`.
    public static let england = TimeZone(identifier: Policy.defaultTimeZone) ?? .gmt

    /// A period from its first and last day, written `YYYY-MM-DD`, as days in `timeZone` (the policy's).
    ///
    /// - Throws: `ReportError` (`invalidPeriod`) for a day that is not a date or a last day before the first.
    public init(from first: String, to last: String, in timeZone: TimeZone = england) throws(ReportError) {
        let calendar = Self.gregorian(in: timeZone)
        guard let start = Self.startOfDay(first, calendar) else {
            throw ReportError(.invalidPeriod, "--from '\(first)' is not a date: write it YYYY-MM-DD, like 2026-04-01")
        }
        guard let lastStart = Self.startOfDay(last, calendar) else {
            throw ReportError(.invalidPeriod, "--to '\(last)' is not a date: write it YYYY-MM-DD, like 2027-03-31")
        }
        guard lastStart >= start else {
            throw ReportError(.invalidPeriod, "--to \(last) is before --from \(first): the period must run forwards")
        }
        self.start = start
        end = calendar.date(byAdding: .day, value: 1, to: lastStart) ?? lastStart
        firstDay = first
        lastDay = last
        self.calendar = calendar
    }

    /// Written as `{"from": "YYYY-MM-DD", "to": "YYYY-MM-DD"}`; read back as days in England (Europe/London).
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

    /// The twelve months up to and including the day `now` falls on in `timeZone` (a rolling year, as the CLD
    /// return covers).
    public static func year(endingAt now: Date, in timeZone: TimeZone = england) -> ReportPeriod {
        let calendar = gregorian(in: timeZone)
        let last = day(of: now, calendar)
        let lastStart = startOfDay(last, calendar) ?? now
        let first = calendar.date(
            byAdding: .day, value: 1, to: calendar.date(byAdding: .year, value: -1, to: lastStart)!)!
        // Both days come from the calendar, so they are valid dates in order.
        return try! ReportPeriod(from: day(of: first, calendar), to: last, in: timeZone)
    }

    /// Whether `date` falls in the period.
    public func contains(_ date: Date) -> Bool { date >= start && date < end }

    public var description: String { "\(firstDay) to \(lastDay)" }

    /// The day `date` falls on in the period's zone, `YYYY-MM-DD`.
    public func day(of date: Date) -> String { Self.day(of: date, calendar) }

    /// The day `date` falls on in `timeZone`, `YYYY-MM-DD`.
    public static func day(of date: Date, in timeZone: TimeZone) -> String { day(of: date, gregorian(in: timeZone)) }

    private enum CodingKeys: String, CodingKey { case from, to }

    public static func == (lhs: ReportPeriod, rhs: ReportPeriod) -> Bool {
        (lhs.start, lhs.end, lhs.firstDay, lhs.lastDay) == (rhs.start, rhs.end, rhs.firstDay, rhs.lastDay)
            && lhs.timeZone.identifier == rhs.timeZone.identifier
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(start)
        hasher.combine(end)
        hasher.combine(timeZone.identifier)
    }

    static func gregorian(in timeZone: TimeZone) -> Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar
    }

    static func day(of date: Date, _ calendar: Calendar) -> String {
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
    }

    static func startOfDay(_ text: String, _ calendar: Calendar) -> Date? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2])
        else { return nil }
        let components = DateComponents(year: year, month: month, day: day)
        guard components.isValidDate(in: calendar) else { return nil }
        return calendar.date(from: components)
    }
}
