import CareJourneyCore
import Foundation

/// One row of the CLD file: a request, an assessment, a service or a review of one person, with the person's
/// fields; or a carer known by association, a person row with no event.
public struct CLDEvent: Hashable, Sendable {
    /// The four kinds of CLD event.
    public enum EventType: String, Sendable, CaseIterable {
        case request = "Request"
        case assessment = "Assessment"
        case service = "Service"
        case review = "Review"
    }

    public let caseID: CaseID
    /// The event's type; `nil` for a carer known by association.
    public let type: EventType?
    public let start: Date
    /// When it ended; `nil` while it goes on (by the end of the history read).
    public var end: Date?
    /// The row's values by column; a column left out is empty.
    public var values: [CLDColumn: String] = [:]

    /// Whether the event has ended.
    public var isEnded: Bool { end != nil }

    /// Creates an event; the reference is set when the person's rows are put together.
    public init(caseID: CaseID, type: EventType, clientType: ClientType, start: Date) {
        self.caseID = caseID
        self.type = type
        self.start = start
        values[.eventType] = type.rawValue
        values[.personID] = caseID.rawValue
        values[.clientType] = CLDCodes.clientType(clientType)
    }

    /// The row of a carer the council knows only through `caseID`'s person: `id` names them, `since` is when they
    /// became known.
    public init(carerOf caseID: CaseID, id: String, since: Date) {
        self.caseID = caseID
        type = nil
        start = since
        values[.personID] = id
        values[.clientType] = CLDCodes.ClientType.knownByAssociation.rawValue
        values[.linkedPerson1] = caseID.rawValue
    }

    /// The columns a rule says must be filled and are empty, each with its rule.
    public var missing: [(column: CLDColumn, rule: String)] {
        CLDColumn.allCases.compactMap { column in
            guard values[column]?.isEmpty ?? true, case .mandatory(let rule) = column.requirement(in: values)
            else { return nil }
            return (column, rule)
        }
    }

    /// Marks the event ended at `date` with its outcome.
    mutating func finish(at date: Date, outcome: CLDCodes.Outcome?) {
        end = date
        values[.outcome] = outcome?.rawValue
    }

    /// Writes the start and end dates (`values[.startDate]`, `values[.endDate]`) as days on `calendar` (the report
    /// period's: the council's zone).
    mutating func writeDates(on calendar: Calendar) {
        values[.startDate] = CLDDate.text(of: start, in: calendar)
        values[.endDate] = end.map { CLDDate.text(of: $0, in: calendar) }
    }
}
