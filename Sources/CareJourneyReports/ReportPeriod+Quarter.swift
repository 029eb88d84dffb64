import CareJourneyCore
import Foundation

/// Financial quarters and the rolling years DHSC asks for: "submit rolling 12-month reporting periods on a quarterly
/// basis" (`Main_tables/docs/methodology/3-submission-selection.md`), quarters of the financial year (Q1 April to June
/// … Q4 January to March, `7.Dimension_tables.sql`).
extension ReportPeriod {
    /// The twelve months to the end of financial quarter `name`, written `2026-27Q2` (the year the financial year
    /// starts, the last two digits of the next, `Q` and the quarter): 1 October 2025 to 30 September 2026, as days
    /// in `timeZone` (the policy's).
    ///
    /// - Throws: `ReportError` (`invalidPeriod`) for a name that is not a quarter written so.
    public init(quarter name: String, in timeZone: TimeZone = england) throws(ReportError) {
        guard let (year, quarter) = Self.quarter(name) else {
            throw ReportError(
                .invalidPeriod,
                "--quarter '\(name)' is not a financial quarter: write the financial year and the quarter, like "
                    + "2026-27Q2 (July to September 2026)")
        }
        // Q1 ends in June of the first year, Q4 in March of the next.
        let endMonth = [6, 9, 12, 3][quarter - 1]
        let endYear = quarter == 4 ? year + 1 : year
        let lastDay = CalendarDay.days(inMonth: endMonth, of: endYear)
        let startMonth = endMonth % 12 + 1
        let startYear = endMonth == 12 ? endYear : endYear - 1
        try self.init(
            from: Self.dayText(startYear, startMonth, 1), to: Self.dayText(endYear, endMonth, lastDay), in: timeZone)
    }

    /// The last `count` financial quarters that have ended by `day` (`YYYY-MM-DD`), latest first.
    public static func quartersEnded(by day: String, count: Int) -> [String] {
        guard let today = CalendarDay(day) else { return [] }
        // The financial quarter `today` falls in: Q1 April to June.
        var year = today.month >= 4 ? today.year : today.year - 1
        var quarter = (today.month + 8) % 12 / 3 + 1
        var names: [String] = []
        for _ in 0..<count {
            quarter -= 1
            if quarter == 0 {
                quarter = 4
                year -= 1
            }
            names.append("\(year)-\(String(format2: (year + 1) % 100))Q\(quarter)")
        }
        return names
    }

    static func quarter(_ name: String) -> (year: Int, quarter: Int)? {
        let parts = name.split(separator: "Q", omittingEmptySubsequences: false)
        guard parts.count == 2, let quarter = Int(parts[1]), (1...4).contains(quarter), parts[1].count == 1 else {
            return nil
        }
        let years = parts[0].split(separator: "-", omittingEmptySubsequences: false)
        guard years.count == 2, years[0].count == 4, years[1].count == 2, let first = Int(years[0]),
            let second = Int(years[1]), (first + 1) % 100 == second, (2000...2099).contains(first)
        else { return nil }
        return (first, quarter)
    }

    private static func dayText(_ year: Int, _ month: Int, _ day: Int) -> String {
        "\(year)-\(String(format2: month))-\(String(format2: day))"
    }
}

extension String {
    /// `value` with at least two digits. File-private: a bare `String.init` elsewhere must not pick it.
    fileprivate init(format2 value: Int) { self = value < 10 ? "0\(value)" : "\(value)" }
}
