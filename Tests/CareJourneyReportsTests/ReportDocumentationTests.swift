import CareJourneyCore
import CareJourneyReports
import Foundation
import Testing
import CareJourneyTestSupport

/// docs/reporting.md gives every code the return can write, as the code writes it: the two cannot drift apart.
@Suite struct ReportDocumentationTests {
    let doc: String

    init() throws {
        doc = try String(contentsOfFile: Repository.path("docs/reporting.md"), encoding: .utf8)
    }

    func expectRows<Word: Choice>(
        _: Word.Type, _ code: (Word) -> String?, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        for word in Word.allCases {
            guard let code = code(word) else { continue }
            #expect(
                doc.contains("| `\(word.rawValue)` | \(code) |"), "\(word.rawValue) → \(code)",
                sourceLocation: sourceLocation)
        }
    }

    @Test func everyCodeListIsDocumentedAsTheReturnWritesIt() {
        expectRows(Gender.self, CLDCodes.gender)
        expectRows(Ethnicity.self, CLDCodes.ethnicity)
        expectRows(PrimarySupportReason.self, CLDCodes.primarySupportReason)
        expectRows(ClientType.self, CLDCodes.clientType)
        expectRows(AccommodationStatus.self, CLDCodes.accommodation)
        expectRows(EmploymentStatus.self, CLDCodes.employment)
        expectRows(ClientFundingStatus.self, CLDCodes.funding)
        expectRows(VisualImpairment.self, CLDCodes.visual)
        expectRows(HearingImpairment.self, CLDCodes.hearing)
        expectRows(RouteOfAccess.self, CLDCodes.routeOfAccess)
        expectRows(ClosureReason.self) { CLDCodes.outcome(closedAs: $0).rawValue }
        expectRows(Participants.self, CLDCodes.participants)
        expectRows(ReviewResult.Outcome.self) { CLDCodes.reviewOutcome($0)?.rawValue }
        expectRows(OutcomesAchieved.self, CLDCodes.outcomesAchieved)
        expectRows(ServiceComponent.self) { CLDCodes.serviceComponent($0, for: .adult) }
        expectRows(CostUnit.self, CLDCodes.costUnit)
        for kind in Assessment.Kind.allCases {
            #expect(
                doc.contains("| `\(kind.rawValue)` (s\(kind == .needs ? 9 : 10)) | \(CLDCodes.assessmentType(kind)) |"))
        }
        for reason in UnplannedReason.allCases {
            let line = doc.components(separatedBy: "\n").first {
                $0.contains("`\(reason.rawValue)`") && $0.hasPrefix("| `unplanned`")
            }
            #expect(line?.hasSuffix("| \(CLDCodes.reviewReason(.unplanned, reason)) |") == true, "\(reason.rawValue)")
        }
        for column in CLDColumn.allCases { #expect(doc.contains(column.rawValue), "\(column.rawValue)") }
        for sequel in CLDCodes.Sequel.allCases { #expect(doc.contains(sequel.rawValue), "\(sequel.rawValue)") }
    }

    /// Every Release 2 list is printed whole, each value with its status and source.
    @Test func everyReleaseTwoListIsDocumentedWithItsSources() {
        for list in CLDCodes.allLists {
            #expect(doc.contains("### \(list.column.rawValue) (\(list.status.rawValue))"), "\(list.column.rawValue)")
            for entry in list.entries {
                #expect(doc.contains("| \(entry.value) | \(entry.source) |"), "\(list.column.rawValue): \(entry.value)")
            }
        }
    }
}
