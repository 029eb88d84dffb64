import CSQLiteSettings
import CareJourneyCore
import Foundation
import GRDBSQLite
import Testing
import CareJourneyTestSupport

@testable import CareJourneyStore

@Suite struct SQLiteSettingsTests {
    /// The settings are made as the process loads, before any connection: SQLite takes them, and counts no memory
    /// afterwards however much the store writes (with its statistics on, every allocation is counted under a
    /// process-wide mutex).
    @Test func sqliteKeepsNoMemoryStatistics() async throws {
        #expect(carejourney_sqlite_settings_result() == SQLITE_OK)
        let store = try CaseStore(directory: temporaryDirectory())
        let id = try await withEngine(store, policy: try shippedPolicy()) { engine in
            try await engine.caseInDelivery(at: start)
        }
        #expect(try await store.record(of: id)?.version == 8)
        #expect(sqlite3_memory_used() == 0, "SQLite counted its memory: SQLITE_CONFIG_MEMSTATUS is on")
    }
}
