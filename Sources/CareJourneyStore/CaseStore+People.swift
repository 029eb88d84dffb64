import CareJourneyCore
import Foundation
import GRDB

extension CaseStore {
    /// The cases of a person, for a subject access request: by NHS number (ten digits, spaces allowed) as recorded
    /// at contact or since, else by name (as the case search matches names: every case whose name contains the
    /// text). At most `limit` cases; more means the text is too broad.
    ///
    /// An NHS number is looked for in every `contact` and `record-person-details` event (no index holds it: about
    /// ten seconds on a store of a million cases), so that a number recorded and later corrected still finds the
    /// case.
    public func cases(ofPerson text: String, limit: Int) async throws(StoreError) -> [CaseSummary] {
        let digits = text.filter { !$0.isWhitespace }
        if digits.count == 10, digits.allSatisfy(\.isNumber) {
            let ids = try await readAsync { db in
                try String.fetchAll(
                    db,
                    sql: """
                        SELECT DISTINCT case_id FROM events
                        WHERE name IN ('contact', 'record-person-details') AND replace(data, ' ', '') LIKE ?
                        LIMIT ?
                        """,
                    arguments: ["%\"nhsNumber\":\"\(digits)\"%", limit])
            }
            var found: [CaseSummary] = []
            for id in ids {
                found += try await cases(matching: CaseFilter(query: id, limit: 1)).cases.filter { $0.id.rawValue == id }
            }
            return found
        }
        var found: [CaseSummary] = []
        var filter = CaseFilter(query: text, limit: 100)
        while found.count <= limit {
            let page = try await cases(matching: filter)
            found += page.cases
            guard let next = page.nextCursor else { break }
            filter.cursor = next
        }
        return Array(found.prefix(limit + 1))
    }
}
