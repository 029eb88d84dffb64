import CareJourneyCore
import CareJourneyReports
import Foundation
import Testing
import CareJourneyTestSupport

/// `report cld --check`: our own return passes; a council's file in Release 1 wording, with wrong case, blanks where
/// mandatory and bad dates, fails with each problem named; unknown values of partial lists are warnings unless strict.
@Suite struct CLDValidatorTests {
    func write(_ text: String) throws -> String {
        let path = temporaryPath("cld.csv")
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static let header = CLDColumn.allCases.map(\.rawValue).joined(separator: ",")

    /// A row with `values` by column, the rest blank, quoted where needed.
    func line(_ values: [CLDColumn: String]) -> String {
        CLDColumn.allCases.map { column in
            let value = values[column] ?? ""
            return value.contains(",") ? "\"\(value)\"" : value
        }.joined(separator: ",")
    }

    /// A complete, valid review row of a service user.
    static let review: [CLDColumn: String] = [
        .laCode: "503", .periodStart: "01/04/2026", .periodEnd: "30/06/2026", .nhsNumber: "9434765919",
        .personID: "P1", .gender: "Female", .ethnicity: "White: Irish", .dateOfBirth: "14/03/1941",
        .clientType: "Service user", .primarySupportReason: "Mental health support", .postcode: "DE1 2AB",
        .accommodationStatus: "Refuge", .hasUnpaidCarer: "No", .clientFundingStatus: "Fully client funded",
        .eventType: "Review", .eventReference: "R1", .startDate: "02/05/2026", .endDate: "03/05/2026",
        .outcome: "Continuation of support or services", .reviewReason: "Planned", .outcomesAchieved: "Outcomes met",
        .reviewMethod: "Service user only",
    ]

    @Test func ourOwnReturnPasses() throws {
        var cld = CLDReturn(period: try quarter(), laCode: "503")
        for history in try histories(quarterScenario) { cld.add(history) }
        let path = try write(cld.csv)
        let strict = try CLDValidator.check(path: path, options: .init(allowIncomplete: true))
        #expect(strict.rows == 8)
        #expect(strict.errors == 0, "\(strict.findings)")
        // Bo's request lacks his details: errors unless incomplete rows are allowed, then warnings naming them.
        #expect(strict.warnings == 7)
        let plain = try CLDValidator.check(path: path)
        #expect(plain.errors == 7)
        #expect(Set(plain.findings.map(\.line)) == [7])
        #expect(plain.valueCounts[.init(column: .clientType, eventType: "Service", value: "Service user")] == 3)
        #expect(plain.report.contains("Request: Route of Access (unconfirmed)"))
    }

    @Test func aReleaseOneFileFailsWithEachValueNamedAndWhatReleaseTwoWrites() throws {
        var old = Self.review
        old[.clientType] = "Service User"
        old[.outcome] = "No change in package"
        old[.ethnicity] = "White - English, Welsh, Scottish, Northern Irish or British"
        old[.accommodationStatus] = "refuge"
        old[.startDate] = "2026-05-02"
        old[.nhsNumber] = "9434765918"
        old[.reviewMethod] = nil
        old[.laCode] = "E10000007"
        let path = try write([Self.header, line(Self.review), line(old)].joined(separator: "\r\n") + "\r\n")
        let checked = try CLDValidator.check(path: path)
        #expect(!checked.passed)
        let messages = checked.findings.map(\.description)
        #expect(
            messages.contains(
                "line 3: error: Client Type: 'Service User' is a Release 1 value; Release 2 writes 'Service user'"))
        #expect(
            messages.contains(
                "line 3: error: Event Outcome: 'No change in package' is a Release 1 value; Release 2 writes "
                    + "'Continuation of support or services'"))
        #expect(
            messages.contains(
                "line 3: error: Ethnicity: 'White - English, Welsh, Scottish, Northern Irish or British' is a Release 1 "
                    + "value; Release 2 writes 'White: English, Welsh, Scottish, Northern Irish or British'"))
        #expect(
            messages.contains("line 3: error: Accommodation Status: 'refuge' differs from 'Refuge' in case or spaces"))
        #expect(messages.contains("line 3: error: Event Start Date: '2026-05-02' is not a date written DD/MM/YYYY"))
        #expect(messages.contains { $0.hasPrefix("line 3: error: NHS Number:") })
        #expect(messages.contains { $0.hasPrefix("line 3: error: LA Code:") })
        #expect(messages.contains("line 3: error: Method of Review: blank; it is mandatory on a review"))
        #expect(checked.findings.allSatisfy { $0.line == 3 }, "the valid row has none")
        #expect(checked.errors == 8)
        // The counts by field and value show the Release 1 value beside the right one.
        #expect(checked.valueCounts[.init(column: .clientType, eventType: "Review", value: "Service User")] == 1)
        #expect(checked.report.contains("Service User"))
    }

    @Test func anUnknownValueOfAPartialListIsAWarningUnlessStrict() throws {
        var row = Self.review
        row[.gender] = "Non-binary"
        row[.eventType] = "Referral"
        let path = try write([Self.header, line(row)].joined(separator: "\n"))
        let lenient = try CLDValidator.check(path: path)
        #expect(lenient.findings.map(\.description).contains(
            "line 2: warning: Gender: 'Non-binary' is not in the partial list we have (docs/reporting.md)"))
        #expect(lenient.findings.map(\.description).contains(
            "line 2: error: Event Type: 'Referral' is not in the Release 2 list"))
        let strict = try CLDValidator.check(path: path, options: .init(strictLists: true))
        #expect(strict.errors == lenient.errors + 1)
    }

    @Test func theHeaderMustNameEveryColumnExactly() throws {
        var names = CLDColumn.allCases.map(\.rawValue)
        names[names.firstIndex(of: "Planned units per week")!] = "Planned Units Per Week"
        names.removeAll { $0 == "Dementia" }
        let path = try write(names.joined(separator: ",") + "\n")
        let checked = try CLDValidator.check(path: path)
        let messages = checked.findings.map(\.description)
        #expect(
            messages.contains(
                "line 1: error: 'Planned Units Per Week' is not a Release 2 column; did you mean 'Planned units per week'?"))
        #expect(messages.contains("line 1: error: Dementia: the column is missing from the header"))
        #expect(checked.rows == 0)
    }

    @Test func crossFieldRulesAndNumbersAreChecked() throws {
        var row = Self.review
        row[.endDate] = "01/05/2026"
        row[.eventType] = "Service"
        row[.serviceType] = "Long term support: Community"
        row[.serviceComponent] = "Home support or domiciliary care"
        row[.deliveryMechanism] = "CASSR managed personal budget"
        row[.unitCost] = "12.345"
        row[.reviewReason] = nil
        row[.outcomesAchieved] = nil
        row[.reviewMethod] = nil
        let path = try write([Self.header, line(row)].joined(separator: "\n"))
        let messages = try CLDValidator.check(path: path).findings.map(\.description)
        #expect(messages.contains("line 2: error: Event End Date: the event ends before it starts"))
        #expect(messages.contains("line 2: error: Unit Cost: '12.345' is not a number with at most 2 decimal places"))
        #expect(messages.contains { $0.hasPrefix("line 2: error: Cost Frequency (Unit Type): blank; it is mandatory") })
        #expect(messages.contains { $0.hasPrefix("line 2: error: Planned units per week: blank; it is mandatory") })
    }
}
