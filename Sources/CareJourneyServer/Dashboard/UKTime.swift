import CareJourneyCore
import Foundation
import Hummingbird

/// Dates and durations as people in an English council read them: UK format, on the council's clocks (the policy's
/// `calendar.time-zone`, Europe/London by default), with the zone's name (GMT or BST), or its offset where the zone
/// has no name in British English (`-05:00`), beside a time. `serve` refuses to start when the system cannot load the
/// zone.
enum UKTime {
    /// The council's calendar, whose zone every date on a page is shown in: the policy's, bound for each dashboard
    /// request by `Middleware`; Europe/London without bank holidays outside a request (a test's).
    @TaskLocal static var calendar = CouncilCalendar(
        timeZone: TimeZone(identifier: Policy.defaultTimeZone) ?? .gmt, bankHolidays: .none)
    private static var zone: TimeZone { calendar.timeZone }
    private static let locale = Locale(identifier: "en_GB")

    /// Shows the dates of every request it passes in `calendar`'s zone (the policy's): the dashboard adds it before
    /// its routes.
    struct Middleware<Context: RequestContext>: RouterMiddleware {
        let calendar: CouncilCalendar

        func handle(
            _ request: Request, context: Context, next: (Request, Context) async throws -> Response
        ) async throws -> Response {
            try await UKTime.$calendar.withValue(calendar) { try await next(request, context) }
        }
    }

    /// `3 Dec 2026`.
    static func day(_ date: Date) -> String {
        date.formatted(Date.FormatStyle(date: .abbreviated, time: .omitted, locale: locale, timeZone: zone))
    }

    /// `3 Dec 2026, 14:05`.
    static func dateTime(_ date: Date) -> String {
        date.formatted(Date.FormatStyle(date: .abbreviated, time: .shortened, locale: locale, timeZone: zone))
    }

    /// When a timer is due, for people: a deadline that passes at the end of a local day as that day (`end of 5 Nov
    /// 2026`), any other timer as its date (and time, unless `dayOnly`).
    static func due(_ date: Date, timer: TimerName?, dayOnly: Bool = false) -> HTML {
        guard timer?.isDeadline == true, calendar.start(of: calendar.day(of: date)) == date else {
            return element(date, dayOnly: dayOnly)
        }
        let last = calendar.start(of: calendar.deadlineDay(of: date))
        return "end of <time datetime=\"\(date.formatted(.iso8601))\">\(day(last))</time>"
    }

    /// A `<time>` element showing the date and time, with the exact instant for machines, and after a time the
    /// zone's name (`3 Dec 2026, 14:05 GMT`): a time in the hour the clocks go back happens twice.
    static func element(_ date: Date, dayOnly: Bool = false) -> HTML {
        let time: HTML = "<time datetime=\"\(date.formatted(.iso8601))\">\(dayOnly ? day(date) : dateTime(date))</time>"
        return dayOnly ? time : "\(time) \(calendar.zoneName(at: date))"
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
