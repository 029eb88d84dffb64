import CareJourneyCore
import CareJourneyReports
import Testing

/// Ada's assessment starts before the quarter and ends in it; her services start in it and go on after it (she
/// dies after the quarter, which the return for the quarter must not show). Bo's request gives no person details.
/// Cy's reablement starts in the last week; his ethnicity is recorded after the quarter, and fills his rows.
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
          birthMonth: 1941-03
          gender: female
          ethnicity: white-british
          postcode: de1 2ab
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
          method: face-to-face
          primarySupportReason: physical-personal-care
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
          councilManaged: { services: [home care, 7 hours a week], weeklyCost: 188, component: home-care }
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
        data: { provider: Sunrise Home Care, weeklyCost: 186.40 }
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
        data: { outcome: no-change, method: telephone, outcomesAchieved: met }
      - at: 2026-06-25T10:00:00Z
        case: cy
        event: contact
        data:
          name: Cy Twombly
          clientType: adult
          route: hospital-discharge
          nhsNumber: "4010232137"
          birthMonth: 1948-11
          gender: male
          postcode: S1 4DP
      - at: 2026-06-26T10:00:00Z
        case: cy
        event: offer-reablement
      - at: 2026-07-02T10:00:00Z
        case: cy
        event: record-person-details
        data: { ethnicity: white-irish, primarySupportReason: physical-access-and-mobility }
      - at: 2026-07-10T10:00:00Z
        case: ada
        event: close-case
        data: { reason: deceased }
    """

@Suite struct CLDReturnTests {
    func quarterReturn() throws -> CLDReturn {
        var cld = CLDReturn(period: try quarter(), laCode: "E10000007")
        for history in try histories(quarterScenario) { cld.add(history) }
        return cld
    }

    static let header =
        "LA Code,LA Person Unique Identifier,NHS Number,Person Stated Gender Code,Person Birth Month,Ethnicity,"
        + "Postcode,Client Type,Primary Support Reason,Event Type,Event Reference,Event Start Date,Event End Date,"
        + "Event Outcome,Request: Route of Access,Assessment Type,Eligible Needs Identified,Method of Assessment,"
        + "Service Type,Service Component,Delivery Mechanism,Unit Cost,Cost Frequency (Unit Type),Review Reason,"
        + "Review Outcomes Achieved,Method of Review"
    static let ada =
        "E10000007,ada,9434765919,2,1941-03,A,DE1 2AB,Service User,Physical Support: Personal care support,"
    static let cy =
        "E10000007,cy,4010232137,1,1948-11,B,S1 4DP,Service User,Physical Support: Access and mobility only,"

    @Test func writesOneRowPerEventThatCountsInThePeriodWithThePersonOnEachRow() throws {
        let lines = try quarterReturn().csv.components(separatedBy: "\r\n")
        #expect(
            lines == [
                Self.header,
                // Her request ended before the quarter; her assessment started before it and ended in it.
                Self.ada + "Assessment,ada/ASS/20260323/serviceuser/longtermsupportassessment,2026-03-23,2026-04-03,"
                    + "Progress to Support Planning / Services,,Long Term Support Assessment,Yes,Face to face,,,,,,,,",
                // Her services go on past the quarter: no end date, no outcome (her death came after it).
                Self.ada + "Service,ada/SER/20260410/serviceuser/longtermsupportcommunity/homecare/"
                    + "cassrmanagedpersonalbudget,2026-04-10,,,,,,,Long Term Support: Community,Home Care,"
                    + "CASSR Managed Personal Budget,186.40,Weekly,,,",
                Self.ada + "Service,ada/SER/20260411/serviceuser/longtermsupportcommunity/directpayment/directpayment,"
                    + "2026-04-11,,,,,,,Long Term Support: Community,Direct Payment,Direct Payment,100.00,Weekly,,,",
                Self.ada + "Review,ada/REV/20260527/serviceuser/planned,2026-05-27,2026-05-27,No change in package,"
                    + ",,,,,,,,,Planned,Outcomes met,Telephone",
                "E10000007,bo,,,,,,Service User,,Request,bo/REQ/20260406/serviceuser/selfreferral,2026-04-06,"
                    + "2026-04-06,NFA - Information & Advice / Signposting only,Self-Referral,,,,,,,,,,,",
                // His ethnicity and primary support reason were recorded after the quarter.
                Self.cy + "Request,cy/REQ/20260625/serviceuser/dischargefromhospital,2026-06-25,2026-06-26,"
                    + "Progress to Reablement/ST-Max,Discharge from Hospital,,,,,,,,,,,",
                Self.cy + "Service,cy/SER/20260626/serviceuser/shorttermsupportstmax/cassrcommissionedsupport,"
                    + "2026-06-26,,,,,,,Short Term Support: ST-Max,,CASSR Commissioned Support,,,,,",
                "",
            ])
    }

    @Test func listsEachMissingMandatoryFieldWithItsCaseAndRule() throws {
        let cld = try quarterReturn()
        #expect(cld.incompleteCount == 1)
        #expect(
            cld.problems.map(\.description)
                == [
                    "nhsNumber", "gender", "birthMonth", "ethnicity", "postcode",
                ].map { field in
                    let column = [
                        "nhsNumber": "NHS Number", "gender": "Person Stated Gender Code",
                        "birthMonth": "Person Birth Month",
                        "ethnicity": "Ethnicity", "postcode": "Postcode",
                    ][field]!
                    let hint = field == "ethnicity" ? "ethnicity; not-stated if the person declines" : field
                    return
                        "bo bo/REQ/20260406/serviceuser/selfreferral: '\(column)' is empty; it is mandatory on every row "
                        + "(person field). To fix: record it with record-person-details (\(hint))"
                })
    }

    @Test func theNextQuarterEndsWhatEndedInItAndLeavesOutWhatEndedBefore() throws {
        var cld = CLDReturn(period: try ReportPeriod(from: "2026-07-01", to: "2026-09-30"), laCode: "E10000007")
        for history in try histories(quarterScenario) { cld.add(history) }
        #expect(
            cld.csv.components(separatedBy: "\r\n") == [
                Self.header,
                Self.ada + "Service,ada/SER/20260410/serviceuser/longtermsupportcommunity/homecare/"
                    + "cassrmanagedpersonalbudget,2026-04-10,2026-07-10,NFA - Deceased,,,,,Long Term Support: Community,"
                    + "Home Care,CASSR Managed Personal Budget,186.40,Weekly,,,",
                Self.ada + "Service,ada/SER/20260411/serviceuser/longtermsupportcommunity/directpayment/directpayment,"
                    + "2026-04-11,2026-07-10,NFA - Deceased,,,,,Long Term Support: Community,Direct Payment,"
                    + "Direct Payment,100.00,Weekly,,,",
                Self.cy + "Service,cy/SER/20260626/serviceuser/shorttermsupportstmax/cassrcommissionedsupport,"
                    + "2026-06-26,,,,,,,Short Term Support: ST-Max,,CASSR Commissioned Support,,,,,",
                "",
            ])
        #expect(cld.problems.isEmpty)
    }

    @Test func carersRowsAndUnplannedReviewsCarryTheirOwnCodes() throws {
        let yaml = scenario(
            "A carer's assessment and an unplanned review",
            [
                [
                    TimedStep(
                        "2026-05-04T09:00:00Z", "dot",
                        "event: contact, data: { name: Dot, clientType: carer, route: self-referral, caredFor: Len, "
                            + "nhsNumber: '4010232137', birthMonth: 1950-02, gender: female, ethnicity: not-stated, "
                            + "postcode: de22 1ab }"),
                    TimedStep("2026-05-04T10:00:00Z", "dot", "event: start-assessment"),
                    TimedStep(
                        "2026-05-11T10:00:00Z", "dot",
                        "event: assessment-completed, data: { needs: [a break], outcomes: [rest], method: telephone }"),
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
                            + "outcomesAchieved: partially-met }"),
                ],
            ])
        var cld = CLDReturn(period: try quarter(), laCode: "E10000007")
        for history in try histories(yaml) { cld.add(history) }
        let dot = "E10000007,dot,4010232137,2,1950-02,Z,DE22 1AB,Unpaid Carer,,"
        #expect(
            cld.rows == [
                dot + "Request,dot/REQ/20260504/unpaidcarer/selfreferral,2026-05-04,2026-05-04,Progress to Assessment,"
                    + "Self-Referral,,,,,,,,,,,",
                // A carer's rows need no primary support reason.
                dot + "Assessment,dot/ASS/20260504/unpaidcarer/carerassessment,2026-05-04,2026-05-12,"
                    + "NFA - No services provided: other reason,,Carer Assessment,No,Telephone,,,,,,,,",
                "E10000007,eli,,,,,,Service User,,Review,eli/REV/20260520/serviceuser/unplannedhospital,2026-05-20,"
                    + "2026-05-20,Change in package,,,,,,,,,,Unplanned – Hospital,Outcomes partially met,Video call",
            ])
        #expect(Set(cld.problems.map(\.caseID)) == ["eli"])
        #expect(cld.problems.map(\.column).contains(.primarySupportReason))
    }

    @Test func referencesAreTheSameOnEveryRunAndUniqueWithinOne() throws {
        // No field of these rows holds a comma, so the 11th field is the Event Reference.
        func references() throws -> [String] {
            try quarterReturn().rows.map { String($0.split(separator: ",", omittingEmptySubsequences: false)[10]) }
        }
        let first = try references()
        let second = try references()
        #expect(first.allSatisfy { $0.contains("/") })
        #expect(first == second)
        #expect(Set(first).count == first.count)
        #expect(!first.contains(""))
    }

    @Test func quotesAFieldThatHoldsACommaOrAQuote() throws {
        var cld = CLDReturn(period: try quarter(), laCode: "E1,\"0\"")
        for history in try histories(quarterScenario) { cld.add(history) }
        #expect(cld.csv.components(separatedBy: "\r\n")[1].hasPrefix("\"E1,\"\"0\"\"\",ada,"))
    }
}
