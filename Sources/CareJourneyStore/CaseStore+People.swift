import CareJourneyCore
import Foundation
import GRDB

extension CaseStore {
    /// The cases whose `contact` or `record-person-details` events record the NHS number `digits`, at most `limit`,
    /// in the order their first such event was recorded (`CaseReading.caseIDs(withNHSNumber:limit:)`).
    public func caseIDs(withNHSNumber digits: String, limit: Int) async throws(StoreError) -> [String] {
        try await readAsync { db in
            try String.fetchAll(
                db,
                sql: """
                    SELECT case_id FROM events
                    WHERE name IN ('contact', 'record-person-details') AND replace(data, ' ', '') LIKE ?
                    GROUP BY case_id ORDER BY min(seq) LIMIT ?
                    """,
                arguments: ["%\"nhsNumber\":\"\(digits)\"%", limit])
        }
    }
}
