import CareJourneyCore
import Testing

@testable import CareJourneyReports

/// `ASCOFReport` counts people case by case and keeps their figures, not their rows: its measures must be those of
/// every row held and grouped by person at the end (the report's shape until issue 21), also for people whose rows
/// are spread over several cases.
@Suite struct ASCOFCaseByCaseTests {
    let period: ReportPeriod
    /// The hand-worked caseload of `ASCOFTests`, in cases: most people in a case of their own, some with each row in a
    /// case of its own, so that their rows come in several cases, between other people's.
    let cases: [(id: CaseID, events: [ASCOFEvent])]

    init() throws {
        period = try ReportPeriod(quarter: "2026-27Q4")
        let spread: Set<String> = ["P2", "P3", "P5", "P9", "P11", "P12"]
        var byCase: [String: [ASCOFEvent]] = [:]
        for (index, event) in ASCOFTests().rows.compactMap(ASCOFEvent.init).enumerated() {
            // Ids that sort the spread people's cases apart: `C-0…`, `C-1…` by row, the others `C-P…`.
            let id = spread.contains(event.person) ? "C-\(index % 3)-\(index)" : "C-\(event.person)"
            byCase[id, default: []].append(event)
        }
        cases = byCase.keys.sorted().map { (CaseID($0), byCase[$0] ?? []) }
    }

    /// The measures as they were made: every case's rows held, in the order the cases were read, then grouped.
    func heldWhole() -> [ASCOFMeasure] {
        ASCOFMeasures(
            events: cases.flatMap(\.events), period: period, population18to64: 100_000, population65: 50_000
        ).measures
    }

    @Test func caseByCaseTheMeasuresAreThoseOfEveryRowHeld() {
        var report = ASCOFReport(measured: period)
        for (id, events) in cases { report.add(events, of: id) }
        let again = report.casesToReadAgain
        #expect(again.count > 6, "\(again)")
        // Read again one case at a time, in any order, one of them twice.
        let readAgain = cases.filter { again.contains($0.id) }
        for (id, events) in readAgain.reversed() + readAgain.prefix(1) { report.addAgain(events, of: id) }
        let measured = report.measures(population18to64: 100_000, population65: 50_000).measures
        #expect(measured == heldWhole())
        #expect(
            report.measures(population18to64: 100_000, population65: 50_000).measures == measured,
            "making the measures counts the rows read again without using them up")
        // The caseload counts something in every measure's groups the test relies on.
        #expect(measured.filter { $0.numerator > 0 }.count >= 8)
    }

    @Test func withoutTheCasesReadAgainThePeopleInSeveralCasesAreMissing() {
        var report = ASCOFReport(measured: period)
        for (id, events) in cases { report.add(events, of: id) }
        #expect(report.measures(population18to64: 100_000, population65: 50_000).measures != heldWhole())
    }
}
