import CareJourneyCore
import CareJourneyReports
import Testing

/// The ASCOF measures of a small caseload whose figures are worked out by hand below, from CLD rows as the return
/// writes them.
@Suite struct ASCOFTests {
    struct Person {
        let id: String
        let born: String
        var accommodation = "Owner occupier or shared ownership scheme"
        var supportReason = "Physical support: Personal care support"
    }

    var rows: [[CLDColumn: String]] = []

    mutating func add(
        _ person: Person, _ type: String, _ start: String, _ end: String? = nil, _ outcome: String? = nil,
        _ extra: [CLDColumn: String] = [:]
    ) {
        var row: [CLDColumn: String] = [
            .laCode: "503", .nhsNumber: person.id, .personID: person.id, .dateOfBirth: person.born,
            .clientType: "Service user", .accommodationStatus: person.accommodation,
            .primarySupportReason: person.supportReason, .eventType: type, .startDate: start,
        ]
        row[.endDate] = end
        row[.outcome] = outcome ?? (type == "Service" && end == nil ? "Continuation of support or services" : nil)
        rows.append(row.merging(extra) { $1 })
    }

    static let reablement: [CLDColumn: String] = [
        .serviceType: "Short term support: ST-Max", .serviceComponent: "Reablement",
        .deliveryMechanism: "CASSR commissioned support",
    ]
    static func community(_ component: String, _ mechanism: String) -> [CLDColumn: String] {
        [.serviceType: "Long term support: Community", .serviceComponent: component, .deliveryMechanism: mechanism]
    }
    static let home = community("Home support or domiciliary care", "CASSR managed personal budget")
    static let residential: [CLDColumn: String] = [
        .serviceType: "Long term support: Residential care", .serviceComponent: "Long term residential care",
    ]
    static let nursing: [CLDColumn: String] = [
        .serviceType: "Long term support: Nursing care", .serviceComponent: "Long term nursing care",
    ]

    init() {
        let p1 = Person(id: "P1", born: "01/01/1956")
        let p2 = Person(id: "P2", born: "01/03/1986", accommodation: "Unknown")
        let p3 = Person(id: "P3", born: "01/01/1946")
        let p4 = Person(id: "P4", born: "01/01/1951")
        let p5 = Person(
            id: "P5", born: "01/06/1966", accommodation: "Settled mainstream housing with family or friends",
            supportReason: "Learning disability support")
        let p6 = Person(id: "P6", born: "01/01/1941")
        let p7 = Person(id: "P7", born: "01/01/1936", accommodation: "Registered care home")
        let p8 = Person(id: "P8", born: "01/01/1976")
        let p9 = Person(id: "P9", born: "01/01/1976", accommodation: "Registered nursing home")
        let p10 = Person(id: "P10", born: "01/01/1981", accommodation: "Tenant: Private landlord")
        let p11 = Person(id: "P11", born: "01/06/1946")
        let p12 = Person(id: "P12", born: "01/01/1956", accommodation: "Registered nursing home")
        let planned = "NFA: Support ended as planned"
        let planning = "Progress to support planning or services"
        // 2A: reablement ending in the year, new clients only.
        add(p1, "Service", "01/05/2026", "10/06/2026", planned, Self.reablement)  // nothing after: counted
        add(p2, "Service", "01/06/2026", "20/06/2026", planning, Self.reablement)  // long-term support 5 days on
        add(p2, "Service", "25/06/2026", nil, nil, Self.home)
        add(p3, "Service", "01/07/2026", "10/07/2026", planning, Self.reablement)  // one episode of two services,
        add(p3, "Service", "15/07/2026", "30/07/2026", "NFA: Information and advice or signposting", Self.reablement)
        add(p4, "Service", "01/08/2026", "20/08/2026", "Admitted to hospital", Self.reablement)  // in neither
        add(p5, "Service", "01/01/2025", nil, nil, Self.home)  // not a new client
        add(p5, "Service", "01/01/2025", nil, nil, Self.community("Direct payment", "Direct payment"))
        add(p5, "Service", "01/09/2026", "15/09/2026", planned, Self.reablement)
        add(p6, "Service", "01/02/2026", "20/03/2026", planned, Self.reablement)  // ended before the year
        // 2B/2C: admissions to care homes; 2E: long-term support in the year.
        add(p7, "Service", "10/04/2026", nil, nil, Self.residential)
        add(p8, "Service", "01/06/2025", "15/03/2026", planned, Self.home)  // ended before the year
        add(p9, "Service", "01/12/2025", "20/04/2026", planned, Self.nursing)  // the second is not a new admission
        add(p9, "Service", "01/05/2026", nil, nil, Self.nursing)
        add(p10, "Service", "01/10/2026", nil, nil, Self.community(CLDCodes.homeSupport, "CASSR commissioned support"))
        // 2D: reablement after a request from hospital.
        add(
            p11, "Request", "01/05/2026", "01/05/2026", "Progress to reablement/ST-Max",
            [.routeOfAccess: "Discharge from Hospital"])
        add(p11, "Service", "02/05/2026", "01/06/2026", planned, Self.reablement)
        add(
            p12, "Request", "01/06/2026", "01/06/2026", "Progress to reablement/ST-Max",
            [.routeOfAccess: "Discharge from Hospital"])
        add(p12, "Service", "03/06/2026", "20/06/2026", planning, Self.reablement)
        add(p12, "Service", "01/07/2026", nil, nil, Self.nursing)  // a care home within 12 weeks
    }

    func figures() throws -> [String: String] {
        let measures = ASCOFMeasures(
            rows: rows, period: try ReportPeriod(quarter: "2026-27Q4"), population18to64: 100_000, population65: 50_000)
        return Dictionary(uniqueKeysWithValues: measures.measures.map { ("\($0.id) \($0.group)", $0.line) })
    }

    @Test func theMeasuresAreThoseWorkedOutByHand() throws {
        let figures = try figures()
        // 2A: P2 went on to long-term support; P1, P3 (one episode of two services) and P11 did not. P4 went to
        // hospital, P5 had long-term support before, P6's ended before the year, P12's outcome says nothing.
        #expect(figures["2A 18 to 64"] == "18 to 64: 0 of 1 = 0.0%")
        #expect(figures["2A 65 and above"] == "65 and above: 3 of 3 = 100.0%")
        #expect(figures["2A Total"] == "Total: 3 of 4 = 75.0%")
        // 2B/2C: P7 and P12 moved into care homes; P9's second nursing home followed her first within a year.
        #expect(figures["2B 18 to 64"] == "18 to 64: 0 of 100000 = 0.0 per 100,000")
        #expect(figures["2C 65 and above"] == "65 and above: 2 of 50000 = 4.0 per 100,000")
        // 2D: P11 is at home 12 weeks after her discharge; P12 went into a nursing home.
        #expect(figures["2D Total"] == "Total: 1 of 2 = 50.0%")
        #expect(figures["2D 75 to 84"] == "75 to 84: 1 of 1 = 100.0%")
        #expect(figures["2D 65 to 74"] == "65 to 74: 0 of 1 = 0.0%")
        // 2E: P2 (accommodation unknown, at home with home support), P5 and P10 at home; P9, P7 and P12 in care
        // homes; P8's support ended before the year.
        #expect(figures["2E 18 to 64"] == "18 to 64: 3 of 4 = 75.0%")
        #expect(figures["2E 65 and above"] == "65 and above: 0 of 2 = 0.0%")
        #expect(figures["2E Total"] == "Total: 3 of 6 = 50.0%")
        #expect(figures["2E LD 18 to 64"] == "18 to 64: 1 of 1 = 100.0%")
        // 3D on 31 March 2027: P5 has a direct payment, P2 a managed budget, P10 commissioned support.
        #expect(figures["3D 1a Total"] == "Total: 2 of 3 = 66.7%")
        #expect(figures["3D 2a Total"] == "Total: 1 of 3 = 33.3%")
        #expect(figures["3D 1a 65 and above"] == "65 and above: 0 of 0 = 0.0%")
    }

    @Test func aDeathWithinAWeekOfReablementTakesTheEpisodeOut() throws {
        // A death within a week of the end of reablement takes the episode out of 2A's figures.
        var withDeath = self
        withDeath.rows = rows.map { row in
            row[.nhsNumber] == "P1" ? row.merging([.dateOfDeath: "12/06/2026"]) { $1 } : row
        }
        let figures = try withDeath.figures()
        #expect(figures["2A 65 and above"] == "65 and above: 2 of 2 = 100.0%")
    }
}
