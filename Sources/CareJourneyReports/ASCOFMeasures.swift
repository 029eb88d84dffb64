import CareJourneyCore

/// The Adult Social Care Outcomes Framework measures DHSC computes from Client Level Data, computed as its published
/// SQL does (`DataS-DHSC/ASC-CLD-LA-Dashboard`, `ASCOF_measures/`, at `9bee728`) from CLD rows: ours, or any file's.
///
/// Each takes the rows of one council (all its rows, whatever period they were written for: the measures pick the
/// events they need) and the twelve months measured. docs/reporting.md gives each measure's definition and what we
/// could not do as DHSC does.
///
/// ```swift
/// let figures = ASCOFMeasures(rows: rows, period: try ReportPeriod(quarter: "2026-27Q2"))
/// print(figures.measures.map(\.line))
/// ```
public struct ASCOFMeasures: Sendable {
    /// The twelve months measured.
    public let period: ReportPeriod
    /// Every measure, by group.
    public let measures: [ASCOFMeasure]

    /// Computes every measure from `rows` (each a CLD row by column; blank columns left out). 2B and 2C are rates per
    /// 100,000 of the council's population in the age group (ONS's mid-year estimates), which CLD does not hold:
    /// without them only their counts are given.
    public init(
        rows: [[CLDColumn: String]], period: ReportPeriod, population18to64: Int? = nil, population65: Int? = nil
    ) {
        self.init(
            events: rows.compactMap(ASCOFEvent.init), period: period, population18to64: population18to64,
            population65: population65)
    }

    /// Computes every measure from rows already read as the measures read them, person by person.
    init(events: [ASCOFEvent], period: ReportPeriod, population18to64: Int?, population65: Int?) {
        var tally = ASCOFTally(period: period)
        for (_, theirs) in Dictionary(grouping: events, by: \.person) { tally.add(person: theirs) }
        self = tally.measures(population18to64: population18to64, population65: population65)
    }

    /// The measures of `period` as computed.
    init(period: ReportPeriod, measures: [ASCOFMeasure]) {
        self.period = period
        self.measures = measures
    }

    /// The measures as text: one line each, with its definition once.
    public var text: String {
        var lines = ["ASCOF measures from the CLD rows, \(period)"]
        var described: Set<String> = []
        for measure in measures {
            if described.insert(measure.id).inserted {
                lines.append("")
                lines.append("\(measure.id): \(measure.name)")
            }
            lines.append("  " + measure.line)
        }
        return lines.joined(separator: "\n")
    }
}

/// One measure for one group of people.
public struct ASCOFMeasure: Codable, Hashable, Sendable {
    /// DHSC's measure (`2A`, `2E LD`, …).
    public let id: String
    /// What it measures, in a sentence.
    public let name: String
    /// Who it counts (`18 to 64`, `65 and above`, `Total`).
    public let group: String
    public let numerator: Int
    public let denominator: Int
    /// The figure, rounded to one decimal place as DHSC rounds it: a percentage, or admissions per 100,000 (`nil`
    /// without the population).
    public let value: Double?
    /// `%` or `per 100,000`.
    public let unit: String

    /// `18 to 64: 12 of 20 = 60.0%`.
    public var line: String {
        let figure = value.map { Self.oneDecimal($0) + (unit == "%" ? "%" : " per 100,000") } ?? "no figure"
        return "\(group): \(numerator) of \(denominator) = \(figure)"
    }

    static func percent(_ numerator: Int, _ denominator: Int) -> Double {
        denominator == 0 ? 0 : (Double(numerator) / Double(denominator) * 1000).rounded() / 10
    }

    static func oneDecimal(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(abs(tenths % 10))"
    }
}

/// A CLD row as the measures read it.
struct ASCOFEvent: Sendable {
    let person: String
    /// Whether `person` is an NHS number (else the LA's identifier: in our rows, the case's id).
    let byNHSNumber: Bool
    let type: String
    let clientType: String
    let start: CalendarDay
    /// `nil` while open.
    let end: CalendarDay?
    let born: CalendarDay?
    let died: CalendarDay?
    /// The row's values in the columns the measures read (`columnsRead`), no others.
    let values: [CLDColumn: String]

    /// The columns the measures read beyond those above.
    static let columnsRead: [CLDColumn] = [
        .accommodationStatus, .deliveryMechanism, .eventReference, .outcome, .primarySupportReason, .routeOfAccess,
        .serviceComponent, .serviceType,
    ]

    /// The row as an event, or `nil` for a row with no event, no person or no start (DHSC drops those).
    init?(_ row: [CLDColumn: String]) {
        // DHSC's person: the NHS number, else the LA code and the LA's identifier.
        guard let type = row[.eventType], let start = row[.startDate].flatMap(CLDDate.day),
            let person = row[.nhsNumber] ?? row[.personID].map({ "\(row[.laCode] ?? "")_\($0)" })
        else { return nil }
        self.person = person
        byNHSNumber = row[.nhsNumber] != nil
        self.type = type
        clientType = row[.clientType] ?? ""
        self.start = start
        let end = row[.endDate].flatMap(CLDDate.day)
        // An end before the start is not an event DHSC counts.
        if let end, end < start { return nil }
        died = row[.dateOfDeath].flatMap(CLDDate.day)
        // DHSC's derived end: the death, when it falls in an event still open or before its end.
        if let died, died >= start, end.map({ died < $0 }) ?? true { self.end = died } else { self.end = end }
        // DHSC knows the year and month of birth only, and counts from the first of the month.
        born = row[.dateOfBirth].flatMap(CLDDate.day)?.firstOfMonth
        var values: [CLDColumn: String] = [:]
        for column in Self.columnsRead { values[column] = row[column] }
        self.values = values
    }

    var isServiceUser: Bool { clientType == CLDCodes.ClientType.serviceUser.rawValue }
    var isService: Bool { type == CLDEvent.EventType.service.rawValue }
    var serviceType: CLDCodes.ServiceType? { values[.serviceType].flatMap(CLDCodes.ServiceType.init) }
    var component: String? { values[.serviceComponent] }
    var outcome: CLDCodes.Outcome? { values[.outcome].flatMap(CLDCodes.Outcome.init) }
    /// The end, or a day past any the measures compare with while open (DHSC's `9999-01-01`).
    var endOrOpen: CalendarDay { end ?? CalendarDay(year: 2100, month: 12, day: 31)! }

    func age(on day: CalendarDay) -> Int? { born.map { CLDDate.age(born: $0, on: day) } }
}

extension CalendarDay {
    /// The same day `count` months later (earlier when negative), or the month's last day.
    func addingMonths(_ count: Int) -> CalendarDay {
        let months = year * 12 + (month - 1) + count
        let newYear = months / 12
        let newMonth = months % 12 + 1
        let lastDay = CalendarDay.days(inMonth: newMonth, of: newYear)
        return CalendarDay(year: newYear, month: newMonth, day: min(day, lastDay)) ?? self
    }
}

extension ASCOFMeasures {
    /// The age groups of a measure: `18 to 64`, `65 and above`, and `Total` (unknown ages in the total only).
    static func byAge<Item>(
        _ id: String, _ name: String, _ items: [Item], age: (Item) -> Int?, counted: (Item) -> Bool,
        totalTakesUnknown: Bool = true
    ) -> [ASCOFMeasure] {
        func measure(_ group: String, _ items: [Item]) -> ASCOFMeasure {
            let numerator = items.filter(counted).count
            return ASCOFMeasure(
                id: id, name: name, group: group, numerator: numerator, denominator: items.count,
                value: ASCOFMeasure.percent(numerator, items.count), unit: "%")
        }
        let working = items.filter { age($0).map { (18...64).contains($0) } ?? false }
        let older = items.filter { (age($0) ?? 0) >= 65 }
        let total = totalTakesUnknown ? items : working + older
        return [measure("18 to 64", working), measure("65 and above", older), measure("Total", total)]
    }
}
