import CareJourneyCore
import CareJourneyKit
import Foundation
import GRDB
import CareJourneyTestSupport
import Testing

@testable import CareJourneyStore

/// 2026-01-05T09:00:00Z.
let start = Date(timeIntervalSince1970: 1_767_603_600)

func event(_ name: String, _ data: JSONValue = [:]) throws -> Event { try Event(name: name, data: data) }

extension CaseStore {
    /// Runs raw SQL (to tamper with the store in tests).
    func execute(_ sql: String) throws {
        try pool.write { db in try db.execute(sql: sql) }
    }

    func count(_ sql: String) throws -> Int {
        try pool.read { db in try Int.fetchOne(db, sql: sql) ?? 0 }
    }
}
