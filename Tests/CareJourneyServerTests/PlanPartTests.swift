import CareJourneyCore
import Foundation
import Testing

@testable import CareJourneyServer

/// The plan is edited in parts: each of the plan's fields is in exactly one part, so a field added to the catalog
/// without a part fails here.
@Suite struct PlanPartTests {
    @Test func everyFieldOfThePlanIsInExactlyOnePart() {
        let fields = EventCatalog.formFields(of: .planUpdated).map(\.name)
        #expect(!fields.isEmpty)
        for field in fields {
            let parts = PlanPart.allCases.filter { $0.fieldNames.contains(field) }
            #expect(parts.count == 1, "'\(field)' is in \(parts.map(\.rawValue)) parts of the plan")
        }
        for part in PlanPart.allCases {
            #expect(part.fields.map(\.name).sorted() == part.fieldNames.sorted(), "\(part): a name the plan has no field for")
        }
    }
}
