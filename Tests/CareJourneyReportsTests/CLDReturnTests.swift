import CareJourneyCore
import CareJourneyReports
import Testing

/// Ada's assessment starts before the quarter and ends in it; it finds her daughter caring for her, who declines an
/// assessment of her own (a carer known by association). Ada's services start in the quarter and go on after it (she
/// dies after the quarter, which the return for the quarter must not show). Bo's request gives no person details.
/// Cy's reablement starts in the last week; his ethnicity and other details are recorded after the quarter, and fill
/// his rows.
let quarterScenario = """
    title: One quarter for the CLD return
    start: 2026-03-20T09:00:00Z
    steps:
      - case: ada
        event: contact
        data:
          name: Ada Lovelace
          clientType: adult
          route: gp
          nhsNumber: 943 476 5919
          dateOfBirth: 1941-03-14
          gender: female
          ethnicity: white-british
          postcode: de1 2ab
          accommodationStatus: owner-occupier
          hasUnpaidCarer: yes
          clientFundingStatus: jointly-funded
      - case: ada
        event: reassign
        data: { team: north, worker: sw.jones }
      - at: 2026-03-23T10:00:00Z
        case: ada
        event: start-assessment
      - at: 2026-04-02T10:00:00Z
        case: ada
        event: assessment-completed
        data:
          needs: [personal care]
          outcomes: [stay at home]
          carerReliedOn: true
          method: face-to-face
          participants: service-user-and-carer
          primarySupportReason: physical-personal-care
      - after: 1h
        case: ada
        event: carer-assessment-offered
        data: { accepted: false, carerName: Ann Lovelace }
      - at: 2026-04-03T10:00:00Z
        case: ada
        event: eligibility-decided
        data: { eligible: true }
      - after: 1h
        case: ada
        event: ras-completed
        data: { points: 46, informalSupport: some }
      - after: 1h
        case: ada
        event: plan-updated
        data:
          metByNetwork: [her daughter shops]
          personalBudget: 288
          councilManaged: { services: [home care, 10 hours a week], weeklyCost: 188, component: home-care }
          directPayment: { amount: 100, frequency: weekly, purchases: [personal-assistant], needsMet: [personal care] }
          riskManagement: falls pendant
          contingencyPlan: agency cover
          contingencyBudget: 0
          informationAndAdvice: a falls class
          needsMetByCouncil: [{ need: personal care, how: home care and a PA }]
          importantTo: her garden
          importantFor: eating well
          decisionsAndControl: she decides her routine
      - after: 1h
        case: ada
        reply: financial-assessment
        data: { outcome: nil-contribution }
      - at: 2026-04-06T10:00:00Z
        case: bo
        event: contact
        data: { name: Bo Diddley, clientType: adult, route: self-referral }
      - after: 1h
        case: bo
        event: give-information-and-advice
      - at: 2026-04-08T10:00:00Z
        case: ada
        event: sign-off
      - at: 2026-04-10T10:00:00Z
        case: ada
        reply: find-provider
        data:
          provider: Sunrise Home Care
          weeklyCost: 186.40
          unitCost: 18.64
          unitType: hourly
          plannedUnitsPerWeek: 10
          cqcLocationID: 1-101010101
      - at: 2026-04-11T10:00:00Z
        case: ada
        reply: set-up-direct-payment
      - at: 2026-05-27T10:00:00Z
        case: ada
        event: start-review
        data: { type: first-formal }
      - after: 2h
        case: ada
        event: review-completed
        data: { outcome: no-change, method: telephone, participants: service-user, outcomesAchieved: met }
      - at: 2026-06-25T10:00:00Z
        case: cy
        event: contact
        data:
          name: Cy Twombly
          clientType: adult
          route: hospital-discharge
          nhsNumber: "4010232137"
          dateOfBirth: 1948-11-02
          gender: male
          postcode: S1 4DP
      - at: 2026-06-26T10:00:00Z
        case: cy
        event: offer-reablement
      - at: 2026-07-02T10:00:00Z
        case: cy
        event: record-person-details
        data:
          ethnicity: white-irish
          primarySupportReason: physical-access-and-mobility
          accommodationStatus: tenant-private-landlord
          hasUnpaidCarer: no
          clientFundingStatus: fully-social-care-funded
      - at: 2026-07-09T10:00:00Z
        case: ada
        event: record-person-details
        data: { dateOfDeath: 2026-07-09 }
      - at: 2026-07-10T10:00:00Z
        case: ada
        event: close-case
        data: { reason: deceased }
        actor: tm.north
    """

/// The rows of a CSV text (RFC 4180), each as its non-empty fields by column name.
func records(_ csv: String) -> [[String: String]] {
    var rows: [[String]] = []
    var row: [String] = []
    var field = ""
    var quoted = false
    var characters = Array(csv.unicodeScalars).makeIterator()
    var pending: Unicode.Scalar? = nil
    while let character = pending ?? characters.next() {
        pending = nil
        if quoted {
            if character == "\"" {
                let next = characters.next()
                if next == "\"" { field.unicodeScalars.append("\"") } else { quoted = false; pending = next }
            } else {
                field.unicodeScalars.append(character)
            }
            continue
        }
        switch character {
        case "\"": quoted = true
        case ",":
            row.append(field)
            field = ""
        case "\r": break
        case "\n":
            row.append(field)
            rows.append(row)
            row = []
            field = ""
        default: field.unicodeScalars.append(character)
        }
    }
    guard let header = rows.first else { return [] }
    return rows.dropFirst().map { fields in
        Dictionary(uniqueKeysWithValues: zip(header, fields).filter { !$0.1.isEmpty })
    }
}

@Suite struct CLDReturnTests {
    func quarterReturn() throws -> CLDReturn {
        var cld = CLDReturn(period: try quarter(), laCode: "503")
        for history in try histories(quarterScenario) { cld.add(history) }
        return cld
    }

    static let period = [
        "LA Code": "503", "Reporting Period Start Date": "01/04/2026", "Reporting Period End Date": "30/06/2026",
    ]
    static let ada = period.merging([
        "NHS Number": "9434765919", "LA Person Unique Identifier": "ada", "First Name": "Ada", "Last Name": "Lovelace",
        "Gender": "Female", "Ethnicity": "White: English, Welsh, Scottish, Northern Irish or British",
        "Date of Birth": "14/03/1941", "Client Type": "Service user",
        "Primary Support Reason": "Physical support: Personal care support", "Postcode": "DE1 2AB",
        "Accommodation Status": "Owner occupier or shared ownership scheme", "Has Unpaid Carer": "Yes",
        "Client Funding Status": "Joint client and social care funded",
    ]) { $1 }
    static let cy = period.merging([
        "NHS Number": "4010232137", "LA Person Unique Identifier": "cy", "First Name": "Cy", "Last Name": "Twombly",
        "Gender": "Male", "Ethnicity": "White: Irish", "Date of Birth": "02/11/1948", "Client Type": "Service user",
        "Primary Support Reason": "Physical support: Access and mobility only", "Postcode": "S1 4DP",
        "Accommodation Status": "Tenant: Private landlord", "Has Unpaid Carer": "No",
        "Client Funding Status": "Fully social care funded",
    ]) { $1 }

    func row(_ person: [String: String], _ event: [String: String]) -> [String: String] {
        person.merging(event) { $1 }
    }

    @Test func writesOneRowPerEventThatCountsInThePeriodWithThePersonOnEachRow() throws {
        let cld = try quarterReturn()
        #expect(cld.csv.hasPrefix(CLDColumn.allCases.map(\.rawValue).joined(separator: ",") + "\r\n"))
        let written = records(cld.csv)
        let expected: [[String: String]] = [
            // Her request ended before the quarter; her assessment started before it and ended in it.
            row(
                Self.ada,
                [
                    "Event Type": "Assessment", "Event Reference": "ada/ASS/20260323/serviceuser/longtermassessment",
                    "Event Start Date": "23/03/2026", "Event End Date": "03/04/2026",
                    "Event Outcome": "Progress to support planning or services", "Assessment Type": "Long term assessment",
                    "Eligible Needs Identified": "Yes", "Method of Assessment": "Service user and carer",
                ]),
            // Her services go on past the quarter: no end date, continuing (her death came after it).
            row(
                Self.ada,
                [
                    "Event Type": "Service",
                    "Event Reference":
                        "ada/SER/20260410/serviceuser/longtermsupportcommunity/homesupportordomiciliarycare/"
                        + "cassrmanagedpersonalbudget",
                    "Event Start Date": "10/04/2026", "Event Outcome": "Continuation of support or services",
                    "Service Type": "Long term support: Community", "Service Component": "Home support or domiciliary care",
                    "Delivery Mechanism": "CASSR managed personal budget", "Provider CQC Location Name": "Sunrise Home Care",
                    "Provider CQC Location ID": "1-101010101", "Unit Cost": "18.64",
                    "Cost Frequency (Unit Type)": "Hourly", "Planned units per week": "10.00",
                ]),
            row(
                Self.ada,
                [
                    "Event Type": "Service",
                    "Event Reference": "ada/SER/20260411/serviceuser/longtermsupportcommunity/directpayment/directpayment",
                    "Event Start Date": "11/04/2026", "Event Outcome": "Continuation of support or services",
                    "Service Type": "Long term support: Community", "Service Component": "Direct payment",
                    "Delivery Mechanism": "Direct payment", "Unit Cost": "100.00", "Cost Frequency (Unit Type)": "Weekly",
                    "Planned units per week": "1.00",
                ]),
            row(
                Self.ada,
                [
                    "Event Type": "Review", "Event Reference": "ada/REV/20260527/serviceuser/planned",
                    "Event Start Date": "27/05/2026", "Event End Date": "27/05/2026",
                    "Event Outcome": "Continuation of support or services", "Review Reason": "Planned",
                    "Review Outcomes Achieved": "Outcomes met", "Method of Review": "Service user only",
                ]),
            // Her daughter cares for her and has no record of her own.
            Self.period.merging([
                "LA Person Unique Identifier": "ada-carer", "First Name": "Ann", "Last Name": "Lovelace",
                "Client Type": "Unpaid carer known by association", "Adult 1 Linked Person_ID": "ada",
            ]) { $1 },
            Self.period.merging([
                "LA Person Unique Identifier": "bo", "First Name": "Bo", "Last Name": "Diddley", "Client Type": "Service user",
                "Event Type": "Request", "Event Reference": "bo/REQ/20260406/serviceuser/selfreferral",
                "Event Start Date": "06/04/2026", "Event End Date": "06/04/2026",
                "Event Outcome": "NFA: Information and advice or signposting", "Request: Route of Access": "Self-Referral",
            ]) { $1 },
            // His details were recorded after the quarter.
            row(
                Self.cy,
                [
                    "Event Type": "Request", "Event Reference": "cy/REQ/20260625/serviceuser/dischargefromhospital",
                    "Event Start Date": "25/06/2026", "Event End Date": "26/06/2026",
                    "Event Outcome": "Progress to reablement/ST-Max", "Request: Route of Access": "Discharge from Hospital",
                ]),
            row(
                Self.cy,
                [
                    "Event Type": "Service",
                    "Event Reference": "cy/SER/20260626/serviceuser/shorttermsupportstmax/reablement/cassrcommissionedsupport",
                    "Event Start Date": "26/06/2026", "Event Outcome": "Continuation of support or services",
                    "Service Type": "Short term support: ST-Max", "Service Component": "Reablement",
                    "Delivery Mechanism": "CASSR commissioned support",
                ]),
        ]
        #expect(written.count == expected.count)
        for (index, (got, want)) in zip(written, expected).enumerated() {
            #expect(got == want, "row \(index + 1): \(Set(got.map { "\($0)=\($1)" }).symmetricDifference(want.map { "\($0)=\($1)" }))")
        }
        #expect(cld.rowsByType == [.assessment: 1, .service: 3, .review: 1, .request: 2])
        #expect(cld.carersKnownByAssociation == 1)
    }

    @Test func listsEachMissingMandatoryFieldWithItsCaseAndRule() throws {
        let cld = try quarterReturn()
        #expect(cld.incompleteCount == 1)
        let fixes = [
            ("NHS Number", "nhsNumber"), ("Gender", "gender"),
            ("Ethnicity", "ethnicity; not-stated if the person declines"), ("Date of Birth", "dateOfBirth, the full date"),
            ("Postcode", "postcode"), ("Accommodation Status", "accommodationStatus"),
            ("Has Unpaid Carer", "hasUnpaidCarer"),
        ]
        #expect(
            cld.problems.map(\.description)
                == fixes.map { column, hint in
                    "bo bo/REQ/20260406/serviceuser/selfreferral: '\(column)' is empty; it is mandatory on every row "
                        + "(person field). To fix: record it with record-person-details (\(hint))"
                })
        #expect(cld.missingByColumn[.primarySupportReason] == nil, "a request needs no primary support reason")
    }

    @Test func aReturnDrainedAsItIsFilledWritesTheSameRowsAndKeepsItsCounts() throws {
        let whole = try quarterReturn()
        var drained = CLDReturn(period: try quarter(), laCode: "503")
        var text = CLDReturn.header
        var incomplete: [CLDReturn.Problem] = []
        for history in try histories(quarterScenario) {
            drained.add(history)
            let taken = drained.drain()
            for row in taken.rows { text += row + "\r\n" }
            incomplete += taken.incomplete.flatMap(\.problems)
            #expect(drained.rows.isEmpty && drained.incompleteRows.isEmpty)
        }
        #expect(text == whole.csv)
        #expect(incomplete == whole.problems)
        #expect(drained.rowCount == whole.rows.count && drained.rowCount > 0)
        #expect(drained.incompleteCount == whole.incompleteCount && drained.incompleteCount > 0)
        #expect(drained.missingByColumn == whole.missingByColumn)
        #expect(drained.examples == Array(whole.problems.prefix(CLDReturn.exampleCount)))
        #expect(
            drained.missingByRule.values.reduce(0, +) == whole.problems.count,
            "each missing field is counted once under its rule")
    }

    @Test func theNextQuarterEndsWhatEndedInItAndShowsTheDeath() throws {
        var cld = CLDReturn(period: try ReportPeriod(from: "2026-07-01", to: "2026-09-30"), laCode: "503")
        for history in try histories(quarterScenario) { cld.add(history) }
        let written = records(cld.csv)
        #expect(written.map { $0["Event Reference"] ?? $0["LA Person Unique Identifier"] ?? "" } == [
            "ada/SER/20260410/serviceuser/longtermsupportcommunity/homesupportordomiciliarycare/cassrmanagedpersonalbudget",
            "ada/SER/20260411/serviceuser/longtermsupportcommunity/directpayment/directpayment", "ada-carer",
            "cy/SER/20260626/serviceuser/shorttermsupportstmax/reablement/cassrcommissionedsupport",
        ])
        for service in written.prefix(2) {
            #expect(service["Event End Date"] == "10/07/2026")
            #expect(service["Event Outcome"] == "NFA: Deceased")
            #expect(service["Date of Death"] == "09/07/2026")
            #expect(service["Reporting Period Start Date"] == "01/07/2026")
        }
        #expect(cld.problems.isEmpty)
        // A quarter after her death leaves her out: she died before it began.
        var later = CLDReturn(period: try ReportPeriod(from: "2026-10-01", to: "2026-12-31"), laCode: "503")
        for history in try histories(quarterScenario) { later.add(history) }
        #expect(!later.csv.contains("ada"))
    }

    @Test func aReviewTheCaseMovesAwayFromBeforeItIsDoneIsCancelledAndLeftOut() throws {
        let yaml = scenario(
            "A review cancelled by a move",
            [
                toSignOff("fay", contactOn: "2026-03-02", signOffOn: "2026-03-09"),
                [
                    TimedStep(
                        "2026-03-10T10:00:00Z", "fay", "reply: find-provider, data: { provider: Peak, weeklyCost: 180 }"),
                    TimedStep(
                        "2026-05-20T10:00:00Z", "fay", "event: start-review, data: { type: unplanned, reason: hospital }"),
                    TimedStep(
                        "2026-05-21T10:00:00Z", "fay",
                        "event: moved-to-another-council, data: { council: Leicestershire }"),
                ],
            ])
        var cld = CLDReturn(period: try quarter(), laCode: "503")
        for history in try histories(yaml) { cld.add(history) }
        let written = records(cld.csv)
        // Her home care goes on until the new council takes over; the review begun the day before never happened.
        #expect(written.map { $0["Event Type"] } == ["Service"])
        #expect(written.first?["Event Outcome"] == "Continuation of support or services")
    }

    @Test func carersRowsAndUnplannedReviewsCarryTheirOwnCodes() throws {
        let yaml = scenario(
            "A carer's assessment and an unplanned review",
            [
                [
                    TimedStep(
                        "2026-05-04T09:00:00Z", "dot",
                        "event: contact, data: { name: Dot, clientType: carer, route: self-referral, caredFor: Len, "
                            + "nhsNumber: '4010232137', dateOfBirth: 1950-02-11, gender: female, ethnicity: not-stated, "
                            + "postcode: de22 1ab, accommodationStatus: owner-occupier, hasUnpaidCarer: no, "
                            + "adultsCaredFor: 2, caredForIDs: [len, liz] }"),
                    TimedStep("2026-05-04T10:00:00Z", "dot", "event: start-assessment"),
                    TimedStep(
                        "2026-05-11T10:00:00Z", "dot",
                        "event: assessment-completed, data: { needs: [a break], outcomes: [rest], participants: carer }"),
                    TimedStep(
                        "2026-05-12T10:00:00Z", "dot",
                        "event: eligibility-decided, data: { eligible: false, reason: wellbeing not affected }"),
                ],
                toSignOff("eli", contactOn: "2026-03-02", signOffOn: "2026-03-09"),
                [
                    TimedStep(
                        "2026-05-20T10:00:00Z", "eli",
                        "event: start-review, data: { type: unplanned, reason: hospital }"),
                    TimedStep(
                        "2026-05-20T12:00:00Z", "eli",
                        "event: review-completed, data: { outcome: plan-change, method: video, "
                            + "participants: service-user-and-carer, outcomesAchieved: partially-met }"),
                ],
            ])
        var cld = CLDReturn(period: try quarter(), laCode: "503")
        for history in try histories(yaml) { cld.add(history) }
        let written = records(cld.csv)
        let dot = Self.period.merging([
            "NHS Number": "4010232137", "LA Person Unique Identifier": "dot", "Last Name": "Dot", "Gender": "Female",
            "Ethnicity": "No data: Refused", "Date of Birth": "11/02/1950", "Client Type": "Unpaid carer",
            "Primary Support Reason": "Social support: Support to unpaid carer", "Postcode": "DE22 1AB",
            "Accommodation Status": "Owner occupier or shared ownership scheme", "Has Unpaid Carer": "No",
            "No. of adults being cared for": "2", "Adult 1 Linked Person_ID": "len", "Adult 2 Linked Person_ID": "liz",
        ]) { $1 }
        #expect(
            written.first { $0["Event Type"] == "Assessment" }
                == dot.merging([
                    "Event Type": "Assessment", "Event Reference": "dot/ASS/20260504/unpaidcarer/longtermassessment",
                    "Event Start Date": "04/05/2026", "Event End Date": "12/05/2026",
                    "Event Outcome": "NFA: No services offered for other reason", "Assessment Type": "Long term assessment",
                    "Eligible Needs Identified": "No", "Method of Assessment": "Carer only",
                ]) { $1 })
        #expect(written.first { $0["Event Type"] == "Request" }?["Event Outcome"] == "Progress to assessment, review or reassessment")
        let review = try #require(written.first { $0["Event Type"] == "Review" })
        #expect(review["Review Reason"] == "Unplanned - Hospital (Planned and unplanned episodes)")
        #expect(review["Event Outcome"] == "Progress to support planning or services")
        #expect(review["Method of Review"] == "Service user and carer")
        #expect(review["Review Outcomes Achieved"] == "Outcomes partially met")
        // Eli's details were never recorded; a carer's rows are complete with the carer's own reason.
        #expect(Set(cld.problems.map(\.caseID)) == ["eli"])
        #expect(!cld.problems.map(\.column).contains(.outcomesAchieved), "an unplanned review may leave it blank")
    }

    @Test func referencesAreTheSameOnEveryRunAndUniqueWithinOne() throws {
        func references() throws -> [String] {
            try records(quarterReturn().csv).compactMap { $0["Event Reference"] }
        }
        let first = try references()
        let second = try references()
        #expect(first.count == 7 && first.allSatisfy { $0.contains("/") })
        #expect(first == second)
        #expect(Set(first).count == first.count)
    }

    @Test func quotesAFieldThatHoldsACommaOrAQuote() throws {
        var cld = CLDReturn(period: try quarter(), laCode: "E1,\"0\"")
        for history in try histories(quarterScenario) { cld.add(history) }
        #expect(cld.csv.components(separatedBy: "\r\n")[1].hasPrefix("\"E1,\"\"0\"\"\",01/04/2026,30/06/2026,"))
        #expect(cld.csv.contains(",\"White: English, Welsh, Scottish, Northern Irish or British\","))
    }

    @Test func theLACodeIsTheCouncilsThreeDigitCodeNotItsONSCode() throws {
        #expect(try CLDReturn.laCode(" 503 ") == "503")
        #expect(throws: ReportError.self) { try CLDReturn.laCode("E10000007") }
        #expect(throws: ReportError.self) { try CLDReturn.laCode("5030") }
        do {
            _ = try CLDReturn.laCode("E10000007")
        } catch {
            #expect(error.message.contains("ONS area code"))
        }
    }

    @Test func aChangedServiceEndsWhenThePlanChangesAndItsSuccessorStarts() throws {
        // Eve's plan changes after a review: the home care row ends and a new one, at the new cost, starts.
        let yaml = scenario(
            "A plan change",
            [
                toSignOff("eve", contactOn: "2026-03-02", signOffOn: "2026-03-09"),
                [
                    TimedStep(
                        "2026-03-10T10:00:00Z", "eve", "reply: find-provider, data: { provider: Peak, weeklyCost: 180 }"),
                    TimedStep("2026-05-04T10:00:00Z", "eve", "event: start-review, data: { type: first-formal }"),
                    TimedStep(
                        "2026-05-04T11:00:00Z", "eve",
                        "event: review-completed, data: { outcome: plan-change, participants: service-user, "
                            + "outcomesAchieved: partially-met }"),
                    TimedStep(
                        "2026-05-05T10:00:00Z", "eve",
                        "event: plan-updated, data: { councilManaged: { services: [home care], weeklyCost: 200, "
                            + "component: home-care } }"),
                    TimedStep("2026-05-06T10:00:00Z", "eve", "event: sign-off"),
                    TimedStep(
                        "2026-05-07T10:00:00Z", "eve", "reply: find-provider, data: { provider: Peak, weeklyCost: 199 }"),
                ],
            ])
        var cld = CLDReturn(period: try quarter(), laCode: "503")
        for history in try histories(yaml) { cld.add(history) }
        let services = records(cld.csv).filter { $0["Event Type"] == "Service" }
        #expect(services.map { $0["Unit Cost"] } == ["180.00", "199.00"])
        #expect(services.map { $0["Event End Date"] } == ["06/05/2026", nil])
        #expect(services.map { $0["Event Outcome"] } == Array(repeating: "Continuation of support or services", count: 2))
    }
}
