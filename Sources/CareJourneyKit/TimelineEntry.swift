import CareJourneyCore
import Foundation

/// One line of a run's timeline: an event, a refusal, a timer or task, or a closure.
///
/// Printed as one JSON object a line with `--json`; the fields are a **contract** (docs/scenarios.md).
public struct TimelineEntry: Codable, Hashable, Sendable {
    /// When (ISO 8601, UTC).
    public var at: Date
    /// Which case.
    public var `case`: CaseID
    /// `event`, `rejected`, `timer-set`, `timer-cancelled`, `timer-fired`, `task` or `closed`.
    public var kind: Kind
    /// The event, timer or task kind, or the closure reason.
    public var name: String
    /// For `event` and `timer-fired`: the stage before.
    public var from: Stage?
    /// For `event` and `timer-fired`: the stage after.
    public var to: Stage?
    /// For `rejected`: why.
    public var error: String?
    /// For `rejected`: the events the case would have accepted.
    public var accepted: [EventName]?
    /// For `timer-set`: when it is due.
    public var due: Date?
    /// For `task`: the queue it went to.
    public var queue: String?
    /// For `task`: its id.
    public var task: TaskID?
    /// For `closed`: the reason.
    public var reason: String?
    /// For `event`: who did it.
    public var actor: String?

    /// The kinds of timeline entry.
    public enum Kind: String, Codable, Hashable, Sendable {
        case event
        case rejected
        case timerSet = "timer-set"
        case timerCancelled = "timer-cancelled"
        case timerFired = "timer-fired"
        case task
        case closed
    }

    /// Creates an entry.
    public init(at: Date, case id: CaseID, kind: Kind, name: String) {
        self.at = at
        self.case = id
        self.kind = kind
        self.name = name
    }

    /// The entry as one line of JSON, keys sorted.
    public var jsonLine: String {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? String(decoding: encoder.encode(self), as: UTF8.self)) ?? "{}"
    }

    /// The entry as a line for people, its times on the council's clocks with the zone's name:
    /// `2026-01-05 09:00 GMT  ada  event  contact  new → contact`.
    public func readableLine(in calendar: CouncilCalendar) -> String {
        let detail: String =
            switch kind {
            case .event, .timerFired:
                "\(from?.rawValue ?? "?") → \(to?.rawValue ?? "?")" + (actor.map { "  by \($0)" } ?? "")
            case .rejected: "refused: \(error ?? "")"
            case .timerSet: "due \(due.map(calendar.text(of:)) ?? "?")"
            case .timerCancelled: ""
            case .task: "→ \(queue ?? "?")  (\(task?.description ?? ""))"
            case .closed: "reason: \(reason ?? name)"
            }
        let columns = [
            calendar.text(of: at), pad(self.case.rawValue, 10), pad(kind.rawValue, 15), pad(name, 30), detail,
        ]
        return columns.joined(separator: "  ").trimmingCharacters(in: .whitespaces)
    }

    private func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }

    /// `2026-01-05 09:00` (UTC).
    static func readable(_ date: Date) -> String {
        let text = date.formatted(.iso8601)
        return String(text.prefix(16)).replacingOccurrences(of: "T", with: " ")
    }

    /// Parses ISO 8601 text (`2026-01-05T09:00:00Z`, or a date alone for midnight UTC).
    public static func parseDate(_ text: String) -> Date? {
        if let date = try? Date(text, strategy: .iso8601) { return date }
        return try? Date(text + "T00:00:00Z", strategy: .iso8601)
    }
}
