import Foundation

/// The council's calendar: its time zone, the bank holidays and its own closure days. Counts durations in local
/// days and working days, says which day an instant falls on, and when a day starts and ends.
///
/// A value: the zone and the days are data given to it (the shell loads the zone from the system's time zone
/// database and the bank holidays from a data file); it never reads the clock.
///
/// ```swift
/// let calendar = CouncilCalendar(timeZone: TimeZone(identifier: "Europe/London")!, bankHolidays: .none)
/// // Signed off at 00:30 BST on 10 September 2026; a review within 8 weeks is due by the end of 5 November (GMT).
/// let due = calendar.due(after: signedOff, duration: .weeks(8))   // 2026-11-06T00:00:00Z
/// calendar.day(of: due.addingTimeInterval(-1))                     // 2026-11-05
/// ```
public struct CouncilCalendar: Hashable, Sendable, Codable {
    /// The council's time zone (`Europe/London`).
    public let timeZone: TimeZone
    /// The bank holidays the council does not work on.
    public let bankHolidays: BankHolidays
    /// The council's own closure days (a day between Christmas and New Year, say).
    public let closures: [LocalDate]
    /// Every non-working day that is not a weekend, by day number.
    private let holidays: Set<Int>
    /// The zone's offsets, looked up without asking the zone (`ZoneOffsets`).
    private let offsets: ZoneOffsets

    /// A calendar in `timeZone` with these bank holidays and closure days.
    public init(timeZone: TimeZone, bankHolidays: BankHolidays, closures: [LocalDate] = []) {
        self.timeZone = timeZone
        self.bankHolidays = bankHolidays
        self.closures = closures
        holidays = Set((bankHolidays.days + closures).map(\.dayNumber))
        offsets = ZoneOffsets.of(timeZone)
    }

    /// The zone's offset from GMT at `instant`, in seconds.
    private func secondsFromGMT(at instant: TimeInterval) -> TimeInterval {
        TimeInterval(offsets.secondsFromGMT(at: instant))
    }

    // MARK: Days and instants

    /// The local day `instant` falls on.
    public func day(of instant: Date) -> LocalDate {
        let local = instant.timeIntervalSince1970 + secondsFromGMT(at: instant.timeIntervalSince1970)
        return LocalDate(dayNumber: Int((local / 86_400).rounded(.down)))
    }

    /// The last local day a deadline at `instant` includes: the day before when it falls exactly at a day's start
    /// (a deadline at the end of 5 November is the first instant of 6 November), its own day otherwise.
    public func deadlineDay(of instant: Date) -> LocalDate {
        day(of: instant.addingTimeInterval(-0.001))
    }

    /// The first instant of `day` in the council's zone (local midnight, or the first instant after a gap that
    /// swallows it).
    public func start(of day: LocalDate) -> Date {
        let midnight = TimeInterval(day.dayNumber) * 86_400
        let guess = midnight - secondsFromGMT(at: midnight)
        let refined = midnight - secondsFromGMT(at: guess)
        let candidate = Date(timeIntervalSince1970: refined)
        if self.day(of: candidate) == day && self.day(of: candidate.addingTimeInterval(-1)) < day { return candidate }
        // Midnight falls in a change of offset: the first second whose day is `day`, within a day and a half.
        var (low, high) = (midnight - 129_600, midnight + 129_600)
        while high - low > 1 {
            let middle = ((low + high) / 2).rounded(.down)
            if self.day(of: Date(timeIntervalSince1970: middle)) < day { low = middle } else { high = middle }
        }
        return Date(timeIntervalSince1970: high)
    }

    /// The instants at which the council's clocks show `seconds` past midnight on `day`: one, none when the clocks
    /// skip that time (01:30 on the day they go forward), two when they show it twice (01:30 on the day they go
    /// back), earliest first.
    public func instants(on day: LocalDate, at seconds: Int) -> [Date] {
        let wall = TimeInterval(day.dayNumber) * 86_400 + TimeInterval(seconds)
        let offsets = Set([-86_400.0, 86_400.0].map { secondsFromGMT(at: wall + $0) })
        return offsets.map { Date(timeIntervalSince1970: wall - $0) }
            .filter { secondsFromGMT(at: $0.timeIntervalSince1970) == wall - $0.timeIntervalSince1970 }
            .sorted()
    }

    /// The first instant the bank holidays know nothing of (the start of `BankHolidays.endsBefore`): a due date at or
    /// after it was counted without bank holidays in its year, which the engine warns of. `nil` for `none`.
    public var bankHolidaysEnd: Date? { bankHolidays.endsBefore.map(start(of:)) }

    /// The first instant after `day`: a deadline "by the end of" the day falls here.
    public func end(of day: LocalDate) -> Date { start(of: day.adding(days: 1)) }

    // MARK: Working days

    /// Whether the council works on `day`: not a weekend, a bank holiday or a closure day.
    public func isWorkingDay(_ day: LocalDate) -> Bool { !day.isWeekend && !holidays.contains(day.dayNumber) }

    /// `day` itself when it is a working day, otherwise the working day before it.
    public func workingDay(onOrBefore day: LocalDate) -> LocalDate {
        var day = day
        while !isWorkingDay(day) { day = day.adding(days: -1) }
        return day
    }

    /// `day` itself when it is a working day, otherwise the working day after it.
    public func workingDay(onOrAfter day: LocalDate) -> LocalDate {
        var day = day
        while !isWorkingDay(day) { day = day.adding(days: 1) }
        return day
    }

    /// The day `n` working days after `day` (before it for a negative `n`), counting only days `isWorking`
    /// accepts: 5 working days after a Friday is the next Friday when no holiday falls between.
    public static func counting(
        workingDays n: Int, from day: LocalDate, isWorking: (LocalDate) -> Bool
    ) -> LocalDate {
        let step = n < 0 ? -1 : 1
        var (day, left) = (day, abs(n))
        while left > 0 {
            day = day.adding(days: step)
            if isWorking(day) { left -= 1 }
        }
        return day
    }

    // MARK: Durations

    /// The local day `duration` after `day`: calendar months (clamped to the month's end), then whole days (a
    /// duration's seconds, rounded down to days: `72h` is 3 days), or working days.
    public func day(_ duration: PolicyDuration, after day: LocalDate) -> LocalDate {
        if duration.workingDays != 0 {
            return Self.counting(workingDays: duration.workingDays, from: day, isWorking: isWorkingDay)
        }
        return day.adding(months: duration.months).adding(days: Int(duration.seconds / 86_400))
    }

    /// The local day `duration` before `day`: whole days, then calendar months, or working days.
    public func day(_ duration: PolicyDuration, before day: LocalDate) -> LocalDate {
        if duration.workingDays != 0 {
            return Self.counting(workingDays: -duration.workingDays, from: day, isWorking: isWorkingDay)
        }
        return day.adding(days: -Int(duration.seconds / 86_400)).adding(months: -duration.months)
    }

    /// The day a deadline `duration` after `start` falls on: `duration` counted from the local day of `start`.
    public func dueDay(after start: Date, duration: PolicyDuration) -> LocalDate {
        day(duration, after: day(of: start))
    }

    /// When a deadline `duration` after `start` passes: the end of its local day (`dueDay(after:duration:)`), so
    /// that the time of day `start` happened at, and a change of clocks between, never move it. Every due date
    /// counted on the council's calendar (timers, task due dates) comes from here.
    public func due(after start: Date, duration: PolicyDuration) -> Date {
        end(of: dueDay(after: start, duration: duration))
    }

    /// Whether something done at `done` met a deadline at `due`, comparing local days: done on or before the
    /// deadline's last day (`deadlineDay(of:)`).
    public func isOnTime(_ done: Date, due: Date) -> Bool { day(of: done) <= deadlineDay(of: due) }

    // MARK: Text

    /// `2026-11-05 09:00 GMT`: the local date and time, with the zone's abbreviation (or offset) for the instant.
    public func text(of instant: Date) -> String {
        let offset = timeZone.secondsFromGMT(for: instant)
        let local = instant.timeIntervalSince1970 + TimeInterval(offset)
        let seconds =
            Int(local.rounded(.down)) - LocalDate(dayNumber: Int((local / 86_400).rounded(.down))).dayNumber
            * 86_400
        let time = String(format: "%02d:%02d", seconds / 3600, seconds % 3600 / 60)
        return "\(day(of: instant)) \(time) \(zoneName(at: instant))"
    }

    /// The zone's short name at `instant` as British English writes it (`GMT`, `BST`), or its offset (`+05:30`) when
    /// the name is only an offset from GMT.
    public func zoneName(at instant: Date) -> String {
        let style: NSTimeZone.NameStyle =
            timeZone.isDaylightSavingTime(for: instant) ? .shortDaylightSaving : .shortStandard
        if let name = timeZone.localizedName(for: style, locale: Self.britishEnglish), name.allSatisfy(\.isLetter) {
            return name
        }
        let offset = timeZone.secondsFromGMT(for: instant)
        let sign = offset < 0 ? "-" : "+"
        return String(format: "%@%02d:%02d", sign, abs(offset) / 3600, abs(offset) % 3600 / 60)
    }

    private static let britishEnglish = Locale(identifier: "en_GB")

    // MARK: Zones

    /// Why the zone `identifier` cannot be loaded, and what to do: for the errors of policy files, scenarios and
    /// `serve`. Foundation on Linux takes named zones from ICU's time zone data built into the Swift toolchain (tz
    /// `TimeZone.timeZoneDataVersion`), not from /usr/share/zoneinfo (docs/operations.md#time-zones).
    public static func unloadableZone(_ identifier: String) -> String {
        "the time zone '\(identifier)' cannot be loaded: this system's time zone data (ICU's, tz "
            + "\(TimeZone.timeZoneDataVersion), built into Swift's Foundation) has no zone of that name; name one of "
            + "the tz database, like Europe/London (docs/operations.md#time-zones); CareJourney never falls back to "
            + "GMT"
    }

    // MARK: Coding

    private enum CodingKeys: String, CodingKey { case timeZone, bankHolidays, closures }

    /// Reads the zone by its identifier; a zone the system does not know is an error, never GMT.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let identifier = try container.decode(String.self, forKey: .timeZone)
        guard let zone = TimeZone(identifier: identifier) else {
            throw DecodingError.dataCorruptedError(
                forKey: .timeZone, in: container, debugDescription: Self.unloadableZone(identifier))
        }
        self.init(
            timeZone: zone, bankHolidays: try container.decode(BankHolidays.self, forKey: .bankHolidays),
            closures: try container.decode([LocalDate].self, forKey: .closures))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(timeZone.identifier, forKey: .timeZone)
        try container.encode(bankHolidays, forKey: .bankHolidays)
        try container.encode(closures, forKey: .closures)
    }

    public static func == (lhs: CouncilCalendar, rhs: CouncilCalendar) -> Bool {
        lhs.timeZone.identifier == rhs.timeZone.identifier && lhs.bankHolidays == rhs.bankHolidays
            && lhs.closures == rhs.closures
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(timeZone.identifier)
        hasher.combine(bankHolidays)
        hasher.combine(closures)
    }
}

/// A named list of bank holidays (`england-and-wales`), as data: the shell reads it from a file.
public struct BankHolidays: Hashable, Codable, Sendable {
    /// The list's name, as a policy names it.
    public var name: String
    /// The days, in order.
    public var days: [LocalDate]

    /// A list called `name` holding `days`.
    public init(name: String, days: [LocalDate]) {
        self.name = name
        self.days = days
    }

    /// No bank holidays (`bank-holidays: none`).
    public static let none = BankHolidays(name: "none", days: [])

    /// The last year the list covers: its last day's. `nil` for an empty list (`none`), which says there are none
    /// in any year.
    public var lastYear: Int? { days.last?.parts.year }

    /// The first day the list knows nothing of (1 January after its last year), past which a due day counts no bank
    /// holidays; `nil` for an empty list.
    public var endsBefore: LocalDate? { lastYear.flatMap { LocalDate(year: $0 + 1, month: 1, day: 1) } }
}
