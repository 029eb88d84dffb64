import CareJourneyCore
import CareJourneyReports
import Foundation
import Testing
import CareJourneyTestSupport

/// The code's Release 2 lists are the published ones: each table equals the copy under `Fixtures/` (read from DHSC's
/// repository by `extract-cld-lists.py`, secondary values with their source), and every value the return writes is
/// in its list, spelt as it is there.
@Suite struct CLDListsTests {
    /// The fixture's rows: list, status, value, source.
    static func published() throws -> [(list: String, status: String, value: String, source: String)] {
        let path = Repository.path("Tests/CareJourneyReportsTests/Fixtures/cld-release2-lists.tsv")
        return try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").filter { !$0.hasPrefix("#") }
            .map { line in
                let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
                return (fields[0], fields[1], fields[2], fields[3])
            }
    }

    @Test func everyListIsThePublishedOneWithItsSources() throws {
        let published = try Self.published()
        let columns = Set(published.map(\.list))
        for list in CLDCodes.allLists {
            let name = list.column.rawValue
            guard columns.contains(name) else {
                // The one list whose values no source gives: the column stays empty.
                #expect(list.column == .hoursCaring && list.entries.isEmpty, "\(name) has no published copy")
                continue
            }
            let rows = published.filter { $0.list == name }
            #expect(Set(rows.map(\.status)) == [list.status.rawValue], "\(name): status")
            let code = list.entries.map { "\($0.value) | \($0.source)" }
            let copy = rows.map { "\($0.value) | \($0.source)" }
            #expect(Set(code) == Set(copy), "\(name): \(Set(code).symmetricDifference(Set(copy)))")
            #expect(code.count == Set(code).count, "\(name) has a value twice")
        }
        #expect(columns == Set(CLDCodes.allLists.map(\.column.rawValue)).subtracting(["Total Hrs Caring per week"]))
    }

    @Test func everyValueTheReturnWritesIsInItsListExactly() {
        func expectListed<Word: Choice>(
            _: Word.Type, _ column: CLDColumn, _ code: (Word) -> String?,
            sourceLocation: SourceLocation = #_sourceLocation
        ) {
            let list = CLDCodes.lists[column]
            for word in Word.allCases {
                guard let value = code(word) else { continue }
                #expect(list?.contains(value) == true, "\(word.rawValue) → '\(value)'", sourceLocation: sourceLocation)
            }
        }
        expectListed(ClientType.self, .clientType, CLDCodes.clientType)
        expectListed(Gender.self, .gender, CLDCodes.gender)
        expectListed(Ethnicity.self, .ethnicity, CLDCodes.ethnicity)
        expectListed(PrimarySupportReason.self, .primarySupportReason, CLDCodes.primarySupportReason)
        expectListed(AccommodationStatus.self, .accommodationStatus, CLDCodes.accommodation)
        expectListed(EmploymentStatus.self, .employmentStatus, CLDCodes.employment)
        expectListed(YesNoUnknown.self, .hasUnpaidCarer, CLDCodes.yesNo)
        expectListed(YesNoUnknown.self, .autism, CLDCodes.yesNo)
        expectListed(YesNoUnknown.self, .dementia, CLDCodes.yesNo)
        expectListed(ClientFundingStatus.self, .clientFundingStatus, CLDCodes.funding)
        expectListed(VisualImpairment.self, .visualImpairment, CLDCodes.visual)
        expectListed(HearingImpairment.self, .hearingImpairment, CLDCodes.hearing)
        expectListed(RouteOfAccess.self, .routeOfAccess, CLDCodes.routeOfAccess)
        expectListed(ClosureReason.self, .outcome) { CLDCodes.outcome(closedAs: $0).rawValue }
        expectListed(ReviewResult.Outcome.self, .outcome) { CLDCodes.reviewOutcome($0)?.rawValue }
        expectListed(Assessment.Kind.self, .assessmentType, CLDCodes.assessmentType)
        expectListed(Participants.self, .assessmentMethod, CLDCodes.participants)
        expectListed(Participants.self, .reviewMethod, CLDCodes.participants)
        expectListed(OutcomesAchieved.self, .outcomesAchieved, CLDCodes.outcomesAchieved)
        expectListed(UnplannedReason.self, .reviewReason) { CLDCodes.reviewReason(.unplanned, $0) }
        expectListed(ReviewType.self, .reviewReason) { CLDCodes.reviewReason($0, nil) }
        expectListed(CostUnit.self, .costFrequency, CLDCodes.costUnit)
        for clientType in ClientType.allCases {
            expectListed(ServiceComponent.self, .serviceComponent) { CLDCodes.serviceComponent($0, for: clientType) }
            expectListed(ServiceComponent.self, .serviceType) { CLDCodes.serviceType(of: $0, for: clientType).rawValue }
        }
        for value in [CLDCodes.reablementComponent, CLDCodes.directPaymentComponent, CLDCodes.homeSupport] {
            #expect(CLDCodes.lists[.serviceComponent]?.contains(value) == true, "\(value)")
        }
        for mechanism in CLDCodes.DeliveryMechanism.allCases {
            #expect(CLDCodes.lists[.deliveryMechanism]?.contains(mechanism.rawValue) == true)
        }
        for outcome in CLDCodes.Outcome.allCases { #expect(CLDCodes.lists[.outcome]?.contains(outcome.rawValue) == true) }
        #expect(CLDCodes.lists[.eligibleNeeds]?.contains(CLDCodes.eligibleNeeds(true)) == true)
        #expect(CLDCodes.lists[.primarySupportReason]?.contains(CLDCodes.learningDisability) == true)
        #expect(CLDCodes.lists[.routeOfAccess]?.contains(CLDCodes.dischargeFromHospital) == true)
    }

    @Test func releaseOneSpellingsPointAtValuesOfTheirList() {
        for list in CLDCodes.allLists {
            for (old, new) in list.release1 {
                #expect(list.contains(new), "\(list.column.rawValue): \(old) → \(new)")
                #expect(!list.contains(old), "\(list.column.rawValue): \(old) is Release 2 too")
            }
        }
        // The examples of the issue, spelt as Release 2 spells them.
        #expect(CLDCodes.clientType(.carer) == "Unpaid carer")
        #expect(CLDCodes.reviewOutcome(.noChange) == .continuation)
        #expect(CLDCodes.lists[.outcome]?.release1["Service ended as planned"] == "NFA: Support ended as planned")
        #expect(CLDCodes.outcome(closedAs: .nhsFunded).rawValue == "NFA: Referral to NHS services or NHS funded social care")
        #expect(CLDCodes.serviceType(of: .nursingCare, for: .adult).rawValue == "Long term support: Nursing care")
        #expect(CLDCodes.ethnicity(.whiteBritish) == "White: English, Welsh, Scottish, Northern Irish or British")
    }

    @Test func theColumnsAreTheReleaseTwoFilesInItsOrder() {
        #expect(
            CLDColumn.allCases.map(\.rawValue) == [
                "LA Code", "Reporting Period Start Date", "Reporting Period End Date", "NHS Number",
                "LA Person Unique Identifier", "First Name", "Last Name", "GP Practice Name", "GP Practice Code",
                "Gender", "Ethnicity", "Date of Birth", "Date of Death", "Client Type", "Primary Support Reason",
                "Postcode", "Accommodation Status", "Employment Status", "Has Unpaid Carer",
                "Autism Spectrum Disorder (ASD)", "Visual Impairment", "Hearing Impairment", "Dementia",
                "Client Funding Status", "Event Type", "Event Reference", "Event Start Date", "Event End Date",
                "Event Description", "Event Outcome", "Request: Route of Access", "Assessment Type",
                "Eligible Needs Identified", "Method of Assessment", "Total Hrs Caring per week",
                "No. of adults being cared for", "Adult 1 Linked Person_ID", "Adult 2 Linked Person_ID",
                "Adult 3 Linked Person_ID", "Service Type", "Service Component", "Delivery Mechanism",
                "Provider CQC Location Name", "Provider CQC Location ID", "Review Reason", "Review Outcomes Achieved",
                "Method of Review", "Unit Cost", "Cost Frequency (Unit Type)", "Planned units per week",
            ])
        #expect(CLDCodes.Outcome.allCases.map(\.hierarchy) == [1, 2] + Array(4...17))
    }
}
