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

        let address = try await PostgresServer.shared().newDatabase()
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
            var expected = table.columns.map { column in
                "\(column.name) \(postgresTypes[column.kind]!) \(column.nullable ? "YES" : "NO") "
                    + "\(column.kind == .text ? "C" : "-") \(table.identity == column.name ? "YES" : "NO")"
            }
            // Beside SQLite's columns, only the timer claims of several nodes (p2), which no copy moves.
            if table.name == "timers" {
                expected += ["claimed_by text YES C NO", "claim_until double precision YES - NO"]
            }
            #expect(columns == expected, "\(table.name)")
        }
        // Every SQLite index, by name; beside them only the keys' own and the `ord` columns' (SQLite's rowid).
        let indexes = try await address.strings(
            """
            SELECT indexname::text FROM pg_indexes WHERE schemaname = 'public' AND indexname NOT LIKE '%_pkey'
                AND indexname NOT LIKE '%_key' AND indexname NOT LIKE '%_by_ord' ORDER BY indexname
            """)
        #expect(
            indexes == (sqliteIndexes + ["task_leases_by_node", "case_names_trigrams"]).sorted(),
            "SQLite's, the leases' by node (p2) and the names' trigrams (p5)")
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
                "case_names PRIMARY KEY (number)", "cases PRIMARY KEY (id)", "cases UNIQUE (number)",
                "disposal_certificates PRIMARY KEY (case_number)",
                "events PRIMARY KEY (seq)", "events UNIQUE (case_id, version)",
                "idempotency PRIMARY KEY (key)", "meta PRIMARY KEY (key)", "node_batches PRIMARY KEY (node, n)",
                "nodes PRIMARY KEY (name)", "policies PRIMARY KEY (fingerprint)", "task_leases PRIMARY KEY (task_id)",
                "tasks PRIMARY KEY (id)", "timers PRIMARY KEY (case_id, name)",
            ])
    }

    @Test func theClusterMigrationUpgradesAStoreOfTheFirstSchemaAndStartsCaseNumbersPastItsOwn() async throws {
        let server = try await PostgresServer.shared()
        let address = try await server.newDatabase()
        // A store an earlier build made (schema p1), with a case and a disposed case's certificate.
        let first = PostgresSchema.migrations[0]
        #expect(first.id.hasPrefix("p1:"))
        try await address.run(
            #"CREATE TABLE schema_migrations (id text COLLATE "C" PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())"#)
        for statement in first.statements { try await address.run(statement) }
        try await address.run(
            "INSERT INTO schema_migrations (id) VALUES ('\(first.id.replacingOccurrences(of: "'", with: "''"))')")
        try await address.run(
            "INSERT INTO cases (id, number, version, stage, name, updated_at, state) VALUES ('C-41', 41, 1, 'assessment', 'A', 0, '')")
        try await address.run(
            """
            INSERT INTO disposal_certificates (case_number, case_id, closed_at, rule, kept_for, policy, disposed_by,
                disposed_at, removed) VALUES (57, 'C-57', 0, 'r', '8y', 'p', 'officer', 0, 'all')
            """)
        try await address.run("INSERT INTO timers (case_id, name, due) VALUES ('C-41', 'review.informal', 5)")

        #expect(
            try await PostgresSchema.migrate(address, logger: quietLogger)
                == [
                    PostgresSchema.clusterMigration.id, PostgresSchema.searchMigration.id,
                    PostgresSchema.roomMigration.id, PostgresSchema.namesMigration.id,
                ])
        #expect(PostgresSchema.version == "p5")
        #expect(
            try await address.strings("SELECT array_to_string(reloptions, ',') FROM pg_class WHERE relname = 'cases'")
                == ["fillfactor=70"], "room on the cases' pages for heap-only updates")
        #expect(try await address.strings("SELECT number || ' ' || name FROM case_names") == ["41 A"])
        #expect(try await address.strings("SELECT nextval('case_numbers')::text") == ["58"], "past the disposed case's")
        #expect(try await address.strings("SELECT name || ' ' || coalesce(claimed_by, '-') FROM timers") == ["review.informal -"])
        for (table, columns) in [
            ("nodes", ["name text NO C", "started_at double precision NO -", "seen_at double precision NO -"]),
            ("task_leases", ["task_id text NO C", "node text NO C", "expires double precision NO -"]),
            (
                "node_batches",
                [
                    "node text NO C", "n bigint NO -", "seqs ARRAY NO -", "removed ARRAY NO C", "figures text NO C",
                    "at double precision NO -",
                ]
            ),
        ] {
            #expect(
                try await address.strings(
                    """
                    SELECT column_name || ' ' || data_type || ' ' || is_nullable || ' ' || coalesce(collation_name, '-')
                    FROM information_schema.columns WHERE table_schema = 'public' AND table_name = '\(table)'
                    ORDER BY ordinal_position
                    """) == columns, "\(table)")
        }
        // An empty store's case numbers start at 1.
        let empty = try await server.newDatabase()
        try await PostgresSchema.migrate(empty, logger: quietLogger)
        #expect(try await empty.strings("SELECT nextval('case_numbers')::text") == ["1"])
    }

    @Test func migrationsRunOnceWhenSeveralClientsStartThemTogether() async throws {
        let server = try await PostgresServer.shared()
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

    @Test func aSchemaANewerCareJourneyWroteIsRefused() async throws {
        let address = try await PostgresServer.shared().newDatabase()
        try await PostgresSchema.migrate(address, logger: quietLogger)
        #expect(try await PostgresSchema.migrate(address, logger: quietLogger).isEmpty, "migrated once")
        try await address.run("INSERT INTO schema_migrations (id) VALUES ('p99: from a later version')")
        let error = try await #require(throws: StoreError.self) {
            try await PostgresSchema.migrate(address, logger: quietLogger)
        }
        #expect(error.code == .unavailable)
        #expect(
            error.message.contains(
                "was written by a newer CareJourney (schema p99); this one knows schema \(PostgresSchema.version) "
                    + "and older: run the version that wrote it"), "\(error)")
        // Nor is it copied from.
        let copying = try await #require(throws: StoreError.self) {
            try await StoreCopy.copy(from: .postgres(address), to: .directory(temporaryPath("copy")), logger: quietLogger)
        }
        #expect(copying.message.contains("newer CareJourney (schema p99)"), "\(copying)")
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
            #expect(try await address.strings("SHOW fsync") == ["off"], "a test's server waits on no disk")
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
