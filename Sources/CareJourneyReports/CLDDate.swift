import CareJourneyCore
import Foundation

/// Dates as the CLD file writes them: `DD/MM/YYYY`, no time. The Release 1 guidance says so for every date ("date
/// format dd/mm/yyyy (no time stamp)", quoted by the Adult Social Care glossary); no public source gives Release 2's,
/// so we keep it (docs/reporting.md).
public enum CLDDate {
    /// The day `date` falls on in `calendar`'s zone (a report period's: the council's), `DD/MM/YYYY`.
    public static func text(of date: Date, in calendar: Calendar) -> String {
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return text(year: parts.year ?? 0, month: parts.month ?? 0, day: parts.day ?? 0)
    }

    /// `day` written `DD/MM/YYYY`.
    public static func text(of day: CalendarDay) -> String { text(year: day.year, month: day.month, day: day.day) }

    /// The day `text` (`DD/MM/YYYY`) names, or `nil` when it is not one.
    public static func day(_ text: String) -> CalendarDay? {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 2, parts[1].count == 2, parts[2].count == 4,
            parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }), let day = Int(parts[0]),
            let month = Int(parts[1]), let year = Int(parts[2])
        else { return nil }
        return CalendarDay(year: year, month: month, day: day)
    }

    /// The calendar day `date` falls on in `calendar`'s zone (a report period's: the council's).
    public static func calendarDay(of date: Date, in calendar: Calendar) -> CalendarDay {
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        // Every instant falls on a day of the Gregorian calendar.
        return CalendarDay(year: parts.year ?? 1900, month: parts.month ?? 1, day: parts.day ?? 1)
            ?? CalendarDay(year: 1900, month: 1, day: 1)!
    }

    /// Whole years from `born` to `on`, as DHSC counts them: days between them / 365.25, rounded down.
    public static func age(born: CalendarDay, on day: CalendarDay) -> Int {
        Int((Double(day.dayNumber - born.dayNumber) / 365.25).rounded(.down))
    }

    private static func text(year: Int, month: Int, day: Int) -> String {
        String(format: "%02d/%02d/%04d", day, month, year)
    }
}

extension CalendarDay {
    /// Days since 1 January 1970 (negative before it): for counting days between two days.
    public var dayNumber: Int {
        // Howard Hinnant's days-from-civil.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The day `count` days after this one (before it when negative).
    public func adding(days count: Int) -> CalendarDay {
        let z = dayNumber + count + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return CalendarDay(year: year, month: month, day: day) ?? self
    }

    /// The first day of this day's month: DHSC knows only a person's year and month of birth and counts ages from it.
    public var firstOfMonth: CalendarDay { CalendarDay(year: year, month: month, day: 1) ?? self }
}
