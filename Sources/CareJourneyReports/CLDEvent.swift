import CareJourneyCore
import Foundation

/// One row of the CLD file: a request, an assessment, a service or a review of one person, with the person's
/// fields.
public struct CLDEvent: Hashable, Sendable {
    /// The four kinds of CLD event.
    public enum EventType: String, Sendable, CaseIterable {
        case request = "Request"
        case assessment = "Assessment"
        case service = "Service"
        case review = "Review"
    }

    public let caseID: CaseID
    public let type: EventType
    public let clientType: ClientType
    public let start: Date
    /// When it ended; `nil` while it goes on (by the end of the history read).
    public var end: Date?
    /// Whether an assessment was carried out (completed), rather than ended by a closure.
    public var assessmentCompleted = false
    /// Whether a review was completed, rather than ended by a closure.
    public var reviewCompleted = false
    /// Whether a service is long-term support.
    public var isLongTerm = false
    /// The row's values by column; a column left out is empty.
    public var values: [CLDColumn: String] = [:]

    /// Whether the event has ended.
    public var isEnded: Bool { end != nil }

    /// Creates an event; the reference is set when the person's rows are put together.
    public init(caseID: CaseID, type: EventType, clientType: ClientType, start: Date) {
        self.caseID = caseID
        self.type = type
        self.clientType = clientType
        self.start = start
        values[.eventType] = type.rawValue
        values[.personID] = caseID.rawValue
        values[.clientType] = CLDCodes.clientType(clientType)
        values[.startDate] = ReportPeriod.day(of: start)
    }

    /// The columns a rule says must be filled and are empty, each with its rule.
    public var missing: [(column: CLDColumn, rule: String)] {
        CLDColumn.allCases.compactMap { column in
            guard values[column]?.isEmpty ?? true, let rule = column.rule(for: self) else { return nil }
            return (column, rule)
        }
    }

    /// Marks the event ended at `date` with its outcome.
    mutating func finish(at date: Date, outcome: String?) {
        end = date
        values[.endDate] = ReportPeriod.day(of: date)
        values[.outcome] = outcome
    }
}
