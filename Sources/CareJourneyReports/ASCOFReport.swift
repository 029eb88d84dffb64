import CareJourneyCore
import Foundation

/// The ASCOF measures of a period from the CLD rows of the case histories, one case at a time: the rows are those of
/// a CLD return over the period widened as the measures need (400 days before it, for new clients and new admissions;
/// 7 days after it, for what followed reablement), written by the same code as `report cld`.
///
/// Each case's people are counted as the case is added, and only their figures are kept (`ASCOFTally`), not their
/// rows. A person known by NHS number may turn up in a second case: their figures are then left out, and counted
/// again from all their cases' rows when the caller hands those cases back (`casesToReadAgain`, `addAgain`) — a few
/// cases, where holding every person's rows until the end took 629 MB at a million cases.
public struct ASCOFReport: CaseHistoryReport {
    /// The twelve months measured.
    public let measured: ReportPeriod
    /// The days read: the period measured, widened.
    public let period: ReportPeriod
    private var cld: CLDReturn
    private let extractor: CLDEventExtractor
    private var tally: ASCOFTally
    /// The people known by NHS number counted so far: the number their figures are kept under, and their case.
    private var people: [String: (owner: Int32, case: CaseID)] = [:]
    /// The people seen in more than one case, with those cases: their figures are left out (`leftOut`) until they
    /// are counted again from all of them.
    private var spread: [String: Set<CaseID>] = [:]
    private var leftOut: Set<Int32> = []
    /// The rows of the people seen in more than one case, from their cases read again (`addAgain`), by case: counted
    /// when the measures are made, in the order the cases were first read (by id), each case once.
    private var again: [CaseID: [ASCOFEvent]] = [:]

    /// A report of `measured`.
    public init(measured: ReportPeriod) {
        self.measured = measured
        let first = CLDDate.calendarDay(of: measured.start, in: measured.calendar).adding(days: -400)
        let last = CLDDate.calendarDay(of: measured.end, in: measured.calendar).adding(days: 6)
        // Both days come from the calendar.
        period = (try? ReportPeriod(from: first.text, to: last.text, in: measured.timeZone)) ?? measured
        cld = CLDReturn(period: period, laCode: "")
        extractor = CLDEventExtractor(laCode: "", period: period)
        tally = ASCOFTally(period: measured)
    }

    public mutating func add(_ history: CaseHistory) {
        add(events(of: history), of: history.id)
    }

    /// The cases of the people seen in more than one case so far, by id: the caller reads them again once every
    /// case is added and hands them to `addAgain`.
    public var casesToReadAgain: [CaseID] {
        Set(spread.values.joined()).sorted { $0.rawValue < $1.rawValue }
    }

    /// Keeps the rows of the people seen in more than one case from one of `casesToReadAgain`, read again: only
    /// those rows, not the history.
    public mutating func addAgain(_ history: CaseHistory) {
        addAgain(events(of: history), of: history.id)
    }

    /// Keeps the rows of the people seen in more than one case from `events`, case `id`'s rows read again.
    mutating func addAgain(_ events: [ASCOFEvent], of id: CaseID) {
        again[id] = events.filter { spread[$0.person] != nil }
    }

    /// The measures, with the populations 2B and 2C need if given: the people seen in more than one case counted
    /// from all their cases' rows.
    public func measures(population18to64: Int? = nil, population65: Int? = nil) -> ASCOFMeasures {
        var tally = tally
        // In the order the cases were first read (by id), so each person's rows are in the order they were added.
        let rows = again.sorted { $0.key.rawValue < $1.key.rawValue }.flatMap(\.value)
        for (_, theirs) in Dictionary(grouping: rows, by: \.person) { tally.add(person: theirs) }
        return tally.measures(population18to64: population18to64, population65: population65, leavingOut: leftOut)
    }

    /// The CLD rows of `history`'s case as the measures read them.
    private func events(of history: CaseHistory) -> [ASCOFEvent] {
        extractor.events(of: history).compactMap { event in
            event.type != nil && cld.counts(event) ? ASCOFEvent(event.values) : nil
        }
    }

    /// Counts the people of case `id`, whose rows are `events`; a person known by NHS number and counted in another
    /// case already is left out until `addAgain`.
    mutating func add(_ events: [ASCOFEvent], of id: CaseID) {
        for (person, theirs) in Dictionary(grouping: events, by: \.person) {
            // Without an NHS number, a person is known by their case's own id (`CLDEvent`): in one case only.
            guard theirs[0].byNHSNumber else {
                tally.add(person: theirs)
                continue
            }
            if spread[person] != nil {
                spread[person]?.insert(id)
            } else if let counted = people[person] {
                leftOut.insert(counted.owner)
                spread[person] = [counted.case, id]
            } else {
                let owner = Int32(people.count)
                people[person] = (owner, id)
                tally.add(person: theirs, owner: owner)
            }
        }
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
