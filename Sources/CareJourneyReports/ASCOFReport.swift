import CareJourneyCore
import Foundation

/// The ASCOF measures of a period from the CLD rows of the case histories, one case at a time: the rows are those of
/// a CLD return over the period widened as the measures need (400 days before it, for new clients and new admissions;
/// 7 days after it, for what followed reablement), written by the same code as `report cld`.
public struct ASCOFReport: CaseHistoryReport {
    /// The twelve months measured.
    public let measured: ReportPeriod
    /// The days read: the period measured, widened.
    public let period: ReportPeriod
    private var cld: CLDReturn
    private let extractor: CLDEventExtractor
    /// The CLD rows read, as the measures read them: only the columns they use are kept (a dashboard over a million
    /// cases holds millions of them).
    private(set) var events: [ASCOFEvent] = []

    /// A report of `measured`.
    public init(measured: ReportPeriod) {
        self.measured = measured
        let first = CLDDate.calendarDay(of: measured.start, in: measured.calendar).adding(days: -400)
        let last = CLDDate.calendarDay(of: measured.end, in: measured.calendar).adding(days: 6)
        // Both days come from the calendar.
        period = (try? ReportPeriod(from: first.text, to: last.text, in: measured.timeZone)) ?? measured
        cld = CLDReturn(period: period, laCode: "")
        extractor = CLDEventExtractor(laCode: "", period: period)
    }

    public mutating func add(_ history: CaseHistory) {
        for event in extractor.events(of: history) where event.type != nil && cld.counts(event) {
            if let event = ASCOFEvent(event.values) { events.append(event) }
        }
    }

    /// The measures, with the populations 2B and 2C need if given.
    public func measures(population18to64: Int? = nil, population65: Int? = nil) -> ASCOFMeasures {
        ASCOFMeasures(
            events: events, period: measured, population18to64: population18to64, population65: population65)
    }
}

extension ASCOFMeasures: Codable {
    private enum CodingKeys: String, CodingKey { case period, measures }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        period = try container.decode(ReportPeriod.self, forKey: .period)
        measures = try container.decode([ASCOFMeasure].self, forKey: .measures)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(period, forKey: .period)
        try container.encode(measures, forKey: .measures)
    }
}
