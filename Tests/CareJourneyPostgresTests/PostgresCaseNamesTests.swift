import CareJourneyCore
import CareJourneyStore
import CareJourneyTestSupport
import Foundation
import PostgresNIO
import Testing

@testable import CareJourneyPostgres

/// The name search's table on PostgreSQL (`case_names`, migration `p5`): filled from the cases of a store migrated
/// from `p3`, written by the writer only when a name is new or changed, served by its trigram index beside the
/// search's other conditions, and checked and repaired by `store verify` and `rebuildNameSearch`.
@Suite struct PostgresCaseNamesTests {
    /// Every row of `case_names`, as "number name", by number.
    static func names(_ address: PostgresAddress) async throws -> [String?] {
        try await address.strings("SELECT number || ' ' || name FROM case_names ORDER BY number")
    }

    @Test func aStoreWithTheCasesTrigramIndexMovesItsNamesIntoTheirTable() async throws {
        let address = try await PostgresServer.shared().newDatabase()
        // A store an earlier build made, up to p3 (the trigram index on `cases`), with cases.
        let earlier = PostgresSchema.migrations.prefix { $0.id != PostgresSchema.namesMigration.id }
        #expect(earlier.last?.id.hasPrefix("p3:") == true || earlier.last?.id.hasPrefix("p4:") == true)
        try await address.run(
            #"CREATE TABLE schema_migrations (id text COLLATE "C" PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())"#
        )
        for migration in earlier {
            for statement in migration.statements { try await address.run(statement) }
            try await address.run(
                "INSERT INTO schema_migrations (id) VALUES ('\(migration.id.replacingOccurrences(of: "'", with: "''"))')"
            )
        }
        for (number, name) in [(7, "Ada Lovelace"), (3, "Grace O'Hopper"), (12, ""), (40, "Zoë Ab")] {
            try await address.run(
                """
                INSERT INTO cases (id, number, version, stage, name, updated_at, state)
                VALUES ('C-\(number)', \(number), 1, 'assessment', '\(name.replacingOccurrences(of: "'", with: "''"))', 0, '')
                """)
        }

        #expect(
            try await PostgresSchema.migrate(address, logger: quietLogger) == [PostgresSchema.namesMigration.id])
        #expect(PostgresSchema.version == "p5")
        #expect(try await Self.names(address) == ["3 Grace O'Hopper", "7 Ada Lovelace", "12 ", "40 Zoë Ab"])
        #expect(
            try await address.strings(
                "SELECT indexname::text FROM pg_indexes WHERE indexname LIKE '%trigrams' ORDER BY 1")
                == ["case_names_trigrams"], "the index on cases is gone, the names' is there")
        let found = try await address.onConnection { connection in
            try await PostgresCaseSearch(filter: CaseFilter(query: "HOPP", limit: 10), window: 2_000)
                .page(on: connection, logger: quietLogger)
        }
        #expect(found.cases.map(\.id) == ["C-3"])
    }

    @Test func theTrigramIndexServesTheSearchBesideItsOtherConditions() async throws {
        let address = try await PostgresServer.shared().newStore()
        // 200,000 cases, a fifth at each stage, their names random enough that a fragment is rare.
        try await address.run(
            """
            INSERT INTO cases (id, number, version, stage, name, updated_at, state, team)
            SELECT 'C-' || g, g, 1, (ARRAY['contact', 'assessment', 'delivery', 'review', 'closed'])[1 + g % 5],
                (ARRAY['Ada', 'Grace', 'Alan', 'Mary'])[1 + g % 4] || ' ' || md5(g::text), 0, '', 'team-' || (g % 20)
            FROM generate_series(1, 200000) AS g
            """)
        try await address.onConnection { connection in
            try await connection.withTransaction(logger: quietLogger) { connection in
                try await PostgresSchema.repairCaseNames(on: connection, logger: quietLogger)
            }
        }
        try await address.run("ANALYZE")
        let fragment = try #require(try await address.strings("SELECT substr(md5('4242'), 3, 6)").first ?? nil)
        let expected = try await address.strings(
            "SELECT id FROM cases WHERE name ILIKE '%\(fragment)%' AND stage = 'delivery' ORDER BY number")
        #expect(expected.contains("C-4242"))

        func plan(_ filter: CaseFilter, examinedTo: Int64? = nil) async throws -> String {
            let statement = PostgresCaseSearch(filter: filter, window: 2_000)
                .pageStatement(after: 0, examinedTo: examinedTo)
            return try await address.onConnection { connection in
                try await connection.plan(of: statement.query).joined(separator: "\n")
            }
        }
        // A fragment of three characters or more: the trigram index finds the names, the stage's index the rest.
        let filter = CaseFilter(stage: .delivery, query: fragment.uppercased(), limit: 10)
        let served = try await plan(filter)
        #expect(served.contains("case_names_trigrams") && served.contains("cases_by_stage"), "\(served)")
        #expect(!served.contains("Seq Scan"), "\(served)")
        let page = try await address.onConnection { connection in
            try await PostgresCaseSearch(filter: filter, window: 2_000).page(on: connection, logger: quietLogger)
        }
        #expect(page.cases.map(\.id.rawValue) == expected.compactMap { $0 })
        // A short one: the names of the cases examined, through the names' key, not the whole table.
        let short = try await plan(CaseFilter(query: "Al", limit: 10), examinedTo: 2_000)
        #expect(short.contains("case_names_pkey") && !short.contains("Seq Scan"), "\(short)")
    }

    @Test func theWriterWritesANameOnlyWhenItIsNewOrChanged() async throws {
        typealias Tests = PostgresWriterTests
        let address = try await PostgresServer.shared().newStore()
        let writer = try await PostgresWriter.open(address, node: node("n1"), logger: quietLogger)
        do {
            func commit(_ commands: [Command]) async throws {
                let outcome = try await Tests.commit(try Tests.batch(commands), to: writer)
                for result in outcome.results {
                    guard case .success(let done) = result, case .done(.applied) = done.result else {
                        Issue.record("not applied: \(result)")
                        return
                    }
                }
            }
            func command(_ name: String, _ data: JSONValue, minutes: Double) throws -> Command {
                Command(
                    caseID: "C-1", event: try Event(name: name, data: data), actor: "m.patel",
                    reason: "records team", at: Tests.start.addingTimeInterval(minutes * 60))
            }
            try await commit([try Tests.contact("Ada Lovelace"), try Tests.contact("Grace Hopper")])
            #expect(try await Self.names(address) == ["1 Ada Lovelace", "2 Grace Hopper"])
            // A batch that changes no name leaves the names' rows alone (a planted one stays).
            try await address.run("UPDATE case_names SET name = 'planted' WHERE number = 1")
            try await commit([try command("reassign", ["team": "north"], minutes: 1)])
            #expect(try await Self.names(address) == ["1 planted", "2 Grace Hopper"])
            // A correction of the name, twice in a batch: the last is written.
            try await commit([
                try command(
                    "correct-record", ["event": 1, "field": "name", "value": "Ada Byron", "reason": "r"], minutes: 2
                ),
                try command(
                    "correct-record", ["event": 1, "field": "name", "value": "Ada King", "reason": "r"], minutes: 3),
            ])
            #expect(try await Self.names(address) == ["1 Ada King", "2 Grace Hopper"])
            await writer.close()
        } catch {
            await writer.close()
            throw error
        }
    }
}
