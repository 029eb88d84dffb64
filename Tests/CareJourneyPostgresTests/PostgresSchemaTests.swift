import CareJourneyStore
import Foundation
import GRDB
import Logging
import PostgresNIO
import Testing

@testable import CareJourneyPostgres
@testable import CareJourneyTestSupport
@testable import CareJourneyStore

/// The schema on PostgreSQL: SQLite's at its newest version, table for table, column for column, index for index;
/// migrated once however many nodes start at once; refused when a newer CareJourney wrote it.
@Suite struct PostgresSchemaTests {
    @Test func theTablesColumnsAndIndexesAreSQLitesAtItsNewestVersion() async throws {
        let sqlite = try CaseStore(directory: temporaryDirectory())
        let (sqliteTables, sqliteIndexes, sqliteColumns) = try await sqlite.pool.read { db in
            let tables = try String.fetchAll(
                db,
                sql: """
                    SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
                        AND name NOT LIKE 'grdb_%' AND name NOT LIKE 'cases_name%' ORDER BY name
                    """)
            let indexes = try String.fetchAll(
                db,
                sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_autoindex_%' ORDER BY name")
            var columns: [String: [String]] = [:]
            for table in tables {
                columns[table] = try Row.fetchAll(db, sql: "PRAGMA table_info(\(table))").map { row in
                    "\(row["name"] as String) \(row["type"] as String) \((row["notnull"] as Int) == 1 ? "not null" : "null")"
                }
            }
            return (tables, indexes, columns)
        }
        // What the copy moves is every table SQLite has (its name search aside, which each store derives itself).
        #expect(StoreTable.all.map(\.name).sorted() == sqliteTables)
        let sqliteTypes: [StoreTable.Column.Kind: String] = [.integer: "INTEGER", .real: "REAL", .text: "TEXT", .blob: "BLOB"]
        for table in StoreTable.all {
            let described = table.columns.filter { $0.name != StoreTable.order }.map { column in
                // An INTEGER PRIMARY KEY is SQLite's rowid, which holds no null, though PRAGMA table_info says it may.
                let rowid = ["events.seq", "access_log.id", "disposal_certificates.case_number"]
                let notNull = !column.nullable && !rowid.contains("\(table.name).\(column.name)")
                return "\(column.name) \(sqliteTypes[column.kind]!) \(notNull ? "not null" : "null")"
            }
            #expect(sqliteColumns[table.name] == described, "\(table.name)")
        }

        try await PostgresServer.with { server in
            let address = try await server.newDatabase()
            #expect(try await PostgresSchema.migrate(address, logger: quietLogger) == PostgresSchema.migrations.map(\.id))
            let postgresTypes: [StoreTable.Column.Kind: String] = [
                .integer: "bigint", .real: "double precision", .text: "text", .blob: "bytea",
            ]
            for table in StoreTable.all {
                let columns = try await address.strings(
                    """
                    SELECT column_name || ' ' || data_type || ' ' || is_nullable || ' ' || coalesce(collation_name, '-')
                        || ' ' || is_identity
                    FROM information_schema.columns WHERE table_schema = 'public' AND table_name = '\(table.name)'
                    ORDER BY ordinal_position
                    """)
                let expected = table.columns.map { column in
                    "\(column.name) \(postgresTypes[column.kind]!) \(column.nullable ? "YES" : "NO") "
                        + "\(column.kind == .text ? "C" : "-") \(table.identity == column.name ? "YES" : "NO")"
                }
                #expect(columns == expected, "\(table.name)")
            }
            // Every SQLite index, by name; beside them only the keys' own and the `ord` columns' (SQLite's rowid).
            let indexes = try await address.strings(
                """
                SELECT indexname::text FROM pg_indexes WHERE schemaname = 'public' AND indexname NOT LIKE '%_pkey'
                    AND indexname NOT LIKE '%_key' AND indexname NOT LIKE '%_by_ord' ORDER BY indexname
                """)
            #expect(indexes == sqliteIndexes)
            let unique = try await address.strings(
                """
                SELECT conrelid::regclass::text || ' ' || pg_get_constraintdef(oid) FROM pg_constraint
                WHERE contype IN ('p', 'u', 'f') AND connamespace = 'public'::regnamespace
                    AND conrelid::regclass::text <> 'schema_migrations' ORDER BY 1
                """)
            #expect(
                unique == [
                    "access_log PRIMARY KEY (id)",
                    "access_log_cases FOREIGN KEY (access_id) REFERENCES access_log(id) ON DELETE CASCADE",
                    "cases PRIMARY KEY (id)", "cases UNIQUE (number)",
                    "disposal_certificates PRIMARY KEY (case_number)",
                    "events PRIMARY KEY (seq)", "events UNIQUE (case_id, version)",
                    "idempotency PRIMARY KEY (key)", "meta PRIMARY KEY (key)", "policies PRIMARY KEY (fingerprint)",
                    "tasks PRIMARY KEY (id)", "timers PRIMARY KEY (case_id, name)",
                ])
        }
    }

    @Test func migrationsRunOnceWhenSeveralClientsStartThemTogether() async throws {
        try await PostgresServer.with { server in
            for _ in 0..<3 {
                let address = try await server.newDatabase()
                let configuration = try address.clientConfiguration()
                // Four nodes' connection pools, each migrating in a transaction of its own, all at once.
                let applied = try await withThrowingTaskGroup(of: [String].self) { group in
                    for _ in 0..<4 {
                        group.addTask {
                            let client = PostgresClient(configuration: configuration, backgroundLogger: quietLogger)
                            return try await withThrowingTaskGroup(of: [String]?.self) { running in
                                running.addTask {
                                    await client.run()
                                    return nil
                                }
                                let applied = try await client.withTransaction(logger: quietLogger) { connection in
                                    try await PostgresSchema.migrate(on: connection, logger: quietLogger)
                                }
                                running.cancelAll()
                                return applied
                            }
                        }
                    }
                    var all: [[String]] = []
                    for try await applied in group { all.append(applied) }
                    return all
                }
                #expect(applied.filter { !$0.isEmpty } == [PostgresSchema.migrations.map(\.id)], "one migrated")
                #expect(applied.filter(\.isEmpty).count == 3, "the others found nothing left to do")
                #expect(
                    try await address.strings("SELECT id FROM schema_migrations ORDER BY id")
                        == PostgresSchema.migrations.map(\.id))
            }
        }
    }

    @Test func aSchemaANewerCareJourneyWroteIsRefused() async throws {
        try await PostgresServer.with { server in
            let address = try await server.newDatabase()
            try await PostgresSchema.migrate(address, logger: quietLogger)
            #expect(try await PostgresSchema.migrate(address, logger: quietLogger).isEmpty, "migrated once")
            try await address.run("INSERT INTO schema_migrations (id) VALUES ('p99: from a later version')")
            let error = try await #require(throws: StoreError.self) {
                try await PostgresSchema.migrate(address, logger: quietLogger)
            }
            #expect(error.code == .unavailable)
            #expect(
                error.message.contains(
                    "was written by a newer CareJourney (schema p99); this one knows schema p1 and older: run the "
                        + "version that wrote it"), "\(error)")
            // Nor is it copied from.
            let copying = try await #require(throws: StoreError.self) {
                try await StoreCopy.copy(from: .postgres(address), to: .directory(temporaryPath("copy")), logger: quietLogger)
            }
            #expect(copying.message.contains("newer CareJourney (schema p99)"), "\(copying)")
        }
    }

    @Test func withoutTheServerProgramsTheTestsFailSayingHowToInstallThem() throws {
        let error = try #require(throws: PostgresServerError.self) {
            try ServerPrograms.find(under: temporaryDirectory())
        }
        #expect(error.description.contains("PostgreSQL's server programs (initdb, pg_ctl, postgres) are not installed"))
        #expect(error.description.contains("run `scripts/setup test` (it installs it), or `apt-get install postgresql`"))
    }

    @Test func theServerProgramsAreFoundAndTheServerIsStoppedByItsPID() async throws {
        let pid = try await PostgresServer.with { server in
            #expect(kill(server.pid, 0) == 0, "the postmaster runs")
            let address = try PostgresAddress(server.url(database: "postgres"))
            #expect(try await address.strings("SHOW lc_collate") == ["C"])
            #expect(try await address.strings("SHOW server_encoding") == ["UTF8"])
            #expect(try await address.strings("SHOW synchronous_commit") == ["on"])
            // Without the password, the server refuses, and says so through the store's error.
            let refused = try await #require(throws: StoreError.self) {
                try await PostgresAddress(server.url(database: "postgres", password: false), environment: [:])
                    .strings("SELECT 1::text")
            }
            #expect(refused.message.contains("the server asks for a password and none was given"), "\(refused)")
            return server.pid
        }
        #expect(kill(pid, 0) != 0 && errno == ESRCH, "the postmaster is gone")
    }
}
