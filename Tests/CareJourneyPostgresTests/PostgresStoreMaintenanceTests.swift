import CareJourneyCore
import CareJourneySamples
import CareJourneyStore
import CareJourneyTestSupport
import Foundation
import Synchronization
import Testing

@testable import CareJourneyPostgres
@testable import CareJourneyStore

/// The PostgreSQL store's figures, histories, checks and disposal give the answers SQLite's give: one store with a
/// real population is written on SQLite, copied to PostgreSQL (`StoreCopy`), and every answer compared.
@Suite struct PostgresStoreMaintenanceTests {
    /// 28 May 2026, the sample population's today.
    static let now = Date(timeIntervalSince1970: 1_780_000_000)

    /// A sample population (every stage and side machine, two years of lives, closed cases under every retention
    /// rule) with a whole life opened and ended with Idempotency-Keys, and reads of personal data: a search that listed
    /// several cases and a page of one closed case alone.
    func populatedStore() async throws -> (folder: String, policy: Policy) {
        let folder = temporaryDirectory()
        let policy = try shippedPolicy("derbyshire")
        try await withEngine(try CaseStore(directory: folder), policy: policy) { engine in
            let report = try await SamplePopulation(count: 60, seed: 7).seed(into: engine, at: Self.now)
            #expect(report.refusals.isEmpty, "\(report.refusals)")
            let ada = try await engine.wholeLife(
                ["name": "Ada Lovelace", "clientType": "adult", "route": "gp"], key: "ada",
                from: Self.now.addingTimeInterval(-500 * 86_400))
            try await engine.recordRead(
                AccessRecord(
                    actor: "sw.jones", at: Self.now, channel: .search, cases: [ada.id, "C-1", "C-2"], query: "q=a"))
            try await engine.recordRead(AccessRecord(actor: "sw.jones", at: Self.now, channel: .page, cases: [ada.id]))
        }
        return (folder, policy)
    }

    @Test func everyAnswerIsTheSameOnPostgreSQLAsOnSQLite() async throws {
        let (folder, policy) = try await populatedStore()
        let database = try await PostgresServer.shared().newDatabase()
        _ = try await StoreCopy.copy(from: .directory(folder), to: .postgres(database), logger: quietLogger)
        let postgres = try await PostgresStore.open(database, node: try NodeName("test-1"), logger: quietLogger)
        let pool = Task { try await postgres.run() }
        defer { pool.cancel() }
        let sqlite = try CaseStore(directory: folder)
        try await compareFiguresAndHistories(sqlite, postgres)
        try await compareChecks(sqlite, postgres)
        try await compareDisposal(sqlite, postgres, folder: folder, database: database, policy: policy)
        try await findDamage(sqlite, postgres, database: database)
        try await rebuildNameSearch(postgres, database: database)
        pool.cancel()
        _ = await pool.result
    }

    /// The figures, the replayed histories (in one read, in chunks, and of listed cases) and planning's start.
    func compareFiguresAndHistories(_ sqlite: CaseStore, _ postgres: PostgresStore) async throws {
        let stats = try await sqlite.stats()
        #expect(stats.cases == 61 && stats.openCases > 0 && stats.openCases < stats.cases, "\(stats)")
        #expect(try await postgres.stats() == stats)
        let stages = try await sqlite.stageFigures(at: Self.now)
        #expect(stages.count >= 5)
        let pgStages = try await postgres.stageFigures(at: Self.now)
        #expect(pgStages.map(\.stage) == stages.map(\.stage))
        #expect(pgStages.map(\.cases) == stages.map(\.cases))
        #expect(pgStages.map(\.longestWait) == stages.map(\.longestWait))
        // A mean of floating-point times: the two databases may add them in another order (a microsecond at most).
        for (pg, lite) in zip(pgStages, stages) { #expect(abs(pg.averageWait - lite.averageWait) < 1e-6) }
        #expect(try await postgres.closedCases() == sqlite.closedCases())
        let queues = try await sqlite.queueFigures()
        #expect(!queues.isEmpty)
        #expect(try await postgres.queueFigures() == queues)
        let reviews = try await sqlite.reviewFigures(at: Self.now)
        #expect(reviews.overdue > 0 && !reviews.dueThisWeek.isEmpty && reviews.planned.onTime > 0)
        #expect(try await postgres.reviewFigures(at: Self.now) == reviews)

        let yearAgo = Self.now.addingTimeInterval(-365 * 86_400)
        let toReplay = try await sqlite.casesToReplay(activeFrom: yearAgo)
        #expect(toReplay > 0 && toReplay < stats.cases)
        #expect(try await postgres.casesToReplay(activeFrom: yearAgo) == toReplay)
        let histories = try await sqlite.reduceHistories(activeFrom: yearAgo, into: Replayed(), Replayed.add)
        #expect(histories.cases.count == toReplay)
        #expect(try await postgres.reduceHistories(activeFrom: yearAgo, into: Replayed(), Replayed.add) == histories)
        #expect(
            try await postgres.reduceHistories(activeFrom: yearAgo, into: Replayed(), inChunksOf: 7, Replayed.add)
                == histories)
        let asked: [CaseID] = ["C-9", "C-3", "C-40", "C-3", "C-999"]
        let listed = try await sqlite.reduceHistories(of: asked, into: Replayed(), inChunksOf: 2, Replayed.add)
        #expect(listed.cases.map(\.id) == ["C-3", "C-40", "C-9"])
        #expect(try await postgres.reduceHistories(of: asked, into: Replayed(), inChunksOf: 2, Replayed.add) == listed)

        for sample in [nil, 10] {
            let start = try await sqlite.planningStart(asOf: Self.now, sample: sample)
            let pgStart = try await postgres.planningStart(asOf: Self.now, sample: sample)
            #expect(start.openCases.count > 5)
            #expect(pgStart.openCases == start.openCases)
            #expect(pgStart.openCaseCount == start.openCaseCount)
            #expect(pgStart.contactsInLastYear == start.contactsInLastYear && start.contactsInLastYear > 0)
        }
    }

    /// `store verify` (clean on both), `store doctor` and the contents.
    func compareChecks(_ sqlite: CaseStore, _ postgres: PostgresStore) async throws {
        let verified = try sqlite.verify()
        #expect(verified.isClean, "\(verified.differences)")
        let pgVerified = try await postgres.verify(.all, limit: 100, batch: 7) { _, _ in }
        #expect(pgVerified.isClean, "\(pgVerified.differences)")
        #expect(pgVerified.cases == verified.cases && pgVerified.events == verified.events)
        #expect(try await postgres.verify(.sample(5), limit: 100, progress: nil).cases == 5)
        let listed = try sqlite.verify(.cases(["C-3", "C-999"]))
        #expect(listed.differences == ["case C-999 is not in the store: it has neither a projection nor a history"])
        let pgListed = try await postgres.verify(.cases(["C-3", "C-999"]), limit: 100, progress: nil)
        #expect(pgListed.differences == listed.differences && pgListed.cases == 1)
        #expect(try await postgres.contents() == sqlite.contents())
        let doctor = try await sqlite.doctor(limit: 100)
        let pgDoctor = try await postgres.doctor(dataDirectory: nil, limit: 100)
        #expect(pgDoctor.isClean && doctor.isClean)
        #expect(pgDoctor.counts == doctor.counts)
        #expect((pgDoctor.openCases, pgDoctor.closedCases) == (doctor.openCases, doctor.closedCases))
    }

    /// A disposal plan, then a disposal carried out on each: the same report, the same rows left in every table, the
    /// same certificates; PostgreSQL's steps hand the engine the cases they removed.
    func compareDisposal(
        _ sqlite: CaseStore, _ postgres: PostgresStore, folder: String, database: PostgresAddress, policy: Policy
    ) async throws {
        let schedule = try #require(policy.retention)
        let asOf = PolicyDuration.months(12 * 9).after(Self.now)
        let plan = try await sqlite.planDisposal(asOf: asOf, under: schedule, policy: policy.id)
        let pgPlan = try await postgres.planDisposal(asOf: asOf, under: schedule, policy: policy.id)
        #expect(plan.listing.count(.due) >= 5, "\(plan.listing.cases.map(\.outcome))")
        #expect(pgPlan.examined == plan.examined)
        #expect(pgPlan.listing == plan.listing)

        #expect(try await postgres.lastDisposal() == nil)
        let report = try await sqlite.dispose(plan, by: "records.officer", at: asOf)
        let forgotten = Mutex<[CaseID]>([])
        let pgReport = try await postgres.carryOut(
            pgPlan, by: "records.officer", at: asOf, batch: 3, progress: nil
        ) { step throws(StoreError) in
            let done = try step()
            forgotten.withLock { $0 += done.removed }
            return done
        }
        #expect(report.count(.disposed) >= 5)
        #expect(pgReport == report)
        #expect(
            forgotten.withLock { $0 } == report.cases.filter { $0.outcome == .disposed }.map(\.caseID),
            "each step hands the engine the cases it removed, for it to forget")
        // Every table (certificates and the access log's remains included) holds the same rows on both.
        let left = try contents(ofStoreIn: folder)
        #expect(left["disposal_certificates"]?.count == report.count(.disposed))
        #expect(try await database.contents() == left)
        #expect(
            try await database.strings(
                "SELECT count(*)::text FROM case_names WHERE number NOT IN (SELECT number FROM cases)")
                == ["0"], "the disposed cases' names are gone from the name search")
        #expect(try await postgres.lastDisposal() == asOf)
        #expect(try await postgres.verify(.all, limit: 100, progress: nil).isClean)
        #expect(try await postgres.stats() == sqlite.stats())
    }

    /// Damage done by hand to both stores: `store doctor` finds the same on each, and `store verify` on PostgreSQL
    /// finds a projection row changed behind the writer's back.
    func findDamage(_ sqlite: CaseStore, _ postgres: PostgresStore, database: PostgresAddress) async throws {
        let open = try #require(try await sqlite.cases(matching: CaseFilter(stage: .delivery)).cases.first?.id)
        let closed = try #require(try await sqlite.cases(matching: CaseFilter(stage: .closed)).cases.first?.id)
        for sql in [
            "DELETE FROM timers WHERE case_id = '\(open)'",
            "UPDATE tasks SET status = 'withdrawn' WHERE case_id = '\(open)' AND status IN ('open', 'failed')",
            "INSERT INTO timers (case_id, name, due) VALUES ('\(closed)', 'review.planned.due', 1900000000)",
        ] {
            try sqlite.execute(sql)
            try await database.run(sql)
        }
        let doctor = try await sqlite.doctor(limit: 100)
        let pgDoctor = try await postgres.doctor(dataDirectory: nil, limit: 100)
        #expect(doctor.counts["no-next-step"] == 1 && doctor.counts["timer-on-closed-case"] == 1, "\(doctor.counts)")
        #expect(pgDoctor.counts == doctor.counts)
        #expect(pgDoctor.findings.map(\.problem) == doctor.findings.map(\.problem))
        #expect(pgDoctor.findings.map(\.caseID) == doctor.findings.map(\.caseID))
        #expect(pgDoctor.findings.map(\.detail) == doctor.findings.map(\.detail))
        let fix = try #require(pgDoctor.findings.first { $0.problem == .timerOnClosedCase }?.fix)
        #expect(fix.contains("--store \(database)") && fix.contains("psql '\(database)' -c"), "\(fix)")

        try await database.run("UPDATE cases SET overdue = 1 - overdue WHERE id = 'C-5'")
        let damaged = try await postgres.verify(.all, limit: 100, progress: nil)
        #expect(damaged.differences.contains { $0.hasPrefix("case C-5: projection columns") }, "\(damaged.differences)")
        #expect(damaged.differences.contains { $0.hasPrefix("case \(open): timers table") })
        let one = try await postgres.verify(.cases(["C-5"]), limit: 100, progress: nil)
        #expect(one.cases == 1 && one.differences.count == 1, "\(one.differences)")
        // A disposed case's history written again behind the store's back.
        let disposed = try #require(try await database.strings("SELECT min(case_id) FROM disposal_certificates").first)
        try await database.run(
            """
            INSERT INTO events (case_id, version, name, data, at, actor, policy, recorded_at)
            SELECT '\(disposed ?? "")', 1, name, data, at, actor, policy, recorded_at FROM events WHERE seq = 1
            """)
        let undisposed = try await postgres.verify(.all, limit: 100, progress: nil).differences
        #expect(undisposed.last == "1 disposed case(s) still have events, a projection or tasks", "\(undisposed)")
    }
}

extension PostgresStoreMaintenanceTests {
    /// The name search's table (`case_names`) damaged by hand: `store verify` finds a name missing, one changed and
    /// one of no case, in SQLite's words, beside the damage found before; the rebuild makes the table again from the
    /// cases (and its trigram index into a new file, still valid), after which only the damage before is found.
    func rebuildNameSearch(_ postgres: PostgresStore, database: PostgresAddress) async throws {
        let damage = try await postgres.verify(.all, limit: 100, progress: nil).differences
        #expect(!damage.contains { $0.contains("name search") }, "\(damage)")
        let cases = try await database.strings("SELECT id || ' ' || name FROM cases WHERE name <> '' ORDER BY number")
        let (missing, changed) = try (#require(cases[1]), #require(cases[2]))
        let id = { (row: String) in String(row.prefix { $0 != " " }) }
        let name = { (row: String) in String(row.drop { $0 != " " }.dropFirst()) }
        try await database.run(
            "DELETE FROM case_names WHERE number = (SELECT number FROM cases WHERE id = '\(id(missing))')")
        try await database.run(
            "UPDATE case_names SET name = 'Someone Else' WHERE number = (SELECT number FROM cases WHERE id = '\(id(changed))')"
        )
        try await database.run("INSERT INTO case_names (number, name) VALUES (100000, 'Zed')")
        let outOfStep = """
            SELECT count(*)::text FROM cases c FULL JOIN case_names n ON n.number = c.number
            WHERE n.name IS DISTINCT FROM c.name
            """
        #expect(try await database.strings(outOfStep) == ["3"])
        let found = try await postgres.verify(.all, limit: 100, batch: 7) { _, _ in }
        #expect(
            found.differences.sorted()
                == (damage + [
                    "case \(id(missing)): the name search does not find its name '\(name(missing))'",
                    "case \(id(changed)): the name search does not find its name '\(name(changed))'",
                    "the name search holds entries no case's name has (1 name(s), such as 'Zed'): it is out of step with "
                        + "the names",
                ]).sorted(), "\(found.differences)")
        let one = try await postgres.verify(.cases([CaseID(id(changed))]), limit: 100, progress: nil)
        #expect(
            one.differences.first == "case \(id(changed)): the name search does not find its name '\(name(changed))'")
        #expect(try await postgres.cases(matching: CaseFilter(query: name(missing))).cases.isEmpty)

        // A node starting heals the table (`healNameSearch`: a node of an older build wrote no names), and then
        // finds nothing to do.
        #expect(try await postgres.healNameSearch(), "out of step, and repaired")
        #expect(try await database.strings(outOfStep) == ["0"])
        #expect(try await postgres.verify(.all, limit: 100, progress: nil).differences == damage)
        #expect(try await postgres.healNameSearch() == false, "in step: nothing done")

        try await database.run(
            "DELETE FROM case_names WHERE number = (SELECT number FROM cases WHERE id = '\(id(missing))')")
        let file = "SELECT pg_relation_filenode('case_names_trigrams')::text"
        let before = try await database.strings(file)
        try await postgres.rebuildNameSearch()
        #expect(try await database.strings(outOfStep) == ["0"])
        #expect(try await postgres.verify(.all, limit: 100, progress: nil).differences == damage)
        #expect(
            try await postgres.cases(matching: CaseFilter(query: name(missing))).cases.map(\.id.rawValue).contains(
                id(missing)))
        #expect(try await database.strings(file) != before, "rebuilt into a new file")
        #expect(
            try await database.strings(
                "SELECT indisvalid::text FROM pg_index WHERE indexrelid = 'case_names_trigrams'::regclass") == ["true"])
    }
}

/// What a fold of histories saw: each case's id, the versions of its events and its state after the last.
struct Replayed: Sendable, Equatable {
    struct Case: Sendable, Equatable {
        let id: CaseID
        let versions: [Int]
        let latest: CaseState
    }

    var cases: [Case] = []

    @Sendable static func add(_ replayed: inout Replayed, _ history: CaseHistory) {
        replayed.cases.append(Case(id: history.id, versions: history.steps.map(\.version), latest: history.latest))
    }
}
