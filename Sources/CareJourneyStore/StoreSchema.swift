import GRDB

/// The store's tables, created and upgraded by migrations: a database written by an older version opens in a
/// newer one, which migrates it forward. Migrations are never edited once shipped; changes are new ones.
enum StoreSchema {
    /// The schema version this build writes: the last migration's `vN`.
    static var version: String { version(of: migrator.migrations.last ?? "v0") }

    /// `v10` of `v10: queue and overdue filters`.
    static func version(of migration: String) -> String {
        String(migration.prefix { $0 != ":" })
    }

    /// Refuses a store this build cannot safely use: one written by a newer version (with migrations this build
    /// does not know), or, when it may not migrate (a read-only command), one that an older version wrote.
    static func check(_ pool: some DatabaseReader, at path: String, migrating: Bool) throws(StoreError) {
        let applied: [String]
        do {
            applied = try pool.read { db in try migrator.appliedIdentifiers(db) }.sorted {
                $0.localizedStandardCompare($1) == .orderedAscending
            }
        } catch {
            throw StoreError(.unavailable, "cannot read the store's schema version at \(path)", cause: error)
        }
        let known = Set(migrator.migrations)
        if let newer = applied.last(where: { !known.contains($0) }) {
            throw StoreError(
                .unavailable,
                "the store at \(path) was written by a newer CareJourney (schema \(version(of: newer))); this one "
                    + "knows schema \(version) and older: run the version that wrote it")
        }
        let missing = migrator.migrations.filter { !applied.contains($0) }
        if !migrating, !missing.isEmpty {
            let at = applied.last.map(version(of:)) ?? "v0"
            throw StoreError(
                .unavailable,
                "the store at \(path) has schema \(at), and this CareJourney reads schema \(version); it opens the "
                    + "store read-only and never migrates it: start `carejourney serve` on it once, which migrates it")
        }
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: cases, events, timers, tasks, idempotency, policies") { db in
            // The history: every accepted event, in order, with who, when, why and under which policy.
            try db.execute(
                sql: """
                    CREATE TABLE events (
                        seq INTEGER PRIMARY KEY AUTOINCREMENT,
                        case_id TEXT NOT NULL,
                        version INTEGER NOT NULL,
                        name TEXT NOT NULL,
                        data TEXT NOT NULL,
                        at REAL NOT NULL,
                        actor TEXT NOT NULL,
                        reason TEXT,
                        policy TEXT NOT NULL,
                        late REAL,
                        recorded_at REAL NOT NULL,
                        UNIQUE (case_id, version)
                    );
                    CREATE INDEX events_by_name ON events(name);
                    -- The projection: each case's current state, rebuilt from its events by `store verify`.
                    CREATE TABLE cases (
                        id TEXT PRIMARY KEY NOT NULL,
                        number INTEGER NOT NULL UNIQUE,
                        version INTEGER NOT NULL,
                        stage TEXT NOT NULL,
                        name TEXT NOT NULL,
                        client_type TEXT,
                        opened_at REAL,
                        updated_at REAL NOT NULL,
                        overdue INTEGER NOT NULL DEFAULT 0,
                        next_due REAL,
                        next_timer TEXT,
                        state BLOB NOT NULL
                    );
                    CREATE INDEX cases_by_stage ON cases(stage, number);
                    CREATE INDEX cases_overdue ON cases(overdue, number);
                    -- Pending timers: a row until it fires or is cancelled.
                    CREATE TABLE timers (
                        case_id TEXT NOT NULL,
                        name TEXT NOT NULL,
                        due REAL NOT NULL,
                        PRIMARY KEY (case_id, name)
                    ) WITHOUT ROWID;
                    CREATE INDEX timers_by_due ON timers(due);
                    -- The outbox: tasks for queues, written with the event that created them.
                    CREATE TABLE tasks (
                        id TEXT PRIMARY KEY NOT NULL,
                        case_id TEXT NOT NULL,
                        kind TEXT NOT NULL,
                        queue TEXT NOT NULL,
                        detail TEXT,
                        status TEXT NOT NULL,
                        created_at REAL NOT NULL,
                        resolved_at REAL,
                        attempts INTEGER NOT NULL DEFAULT 0
                    );
                    CREATE INDEX tasks_by_queue ON tasks(queue, status);
                    CREATE INDEX tasks_by_case ON tasks(case_id);
                    -- Answers to commands with an Idempotency-Key: a retry gets the first answer.
                    CREATE TABLE idempotency (
                        key TEXT PRIMARY KEY NOT NULL,
                        fingerprint TEXT NOT NULL,
                        status INTEGER NOT NULL,
                        body BLOB NOT NULL,
                        created_at REAL NOT NULL
                    );
                    -- Every policy events were applied under, so history replays under the right numbers.
                    CREATE TABLE policies (
                        fingerprint TEXT PRIMARY KEY NOT NULL,
                        id TEXT NOT NULL,
                        body TEXT NOT NULL,
                        registered_at REAL NOT NULL
                    );
                    CREATE TABLE meta (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL);
                    """)
        }
        migrator.registerMigration("v2: state snapshots every few events") { db in
            // The state is now a snapshot as of `state_version`; later events are replayed on top when read.
            // Stores written before this version have a snapshot at every version.
            try db.execute(sql: "ALTER TABLE cases ADD COLUMN state_version INTEGER NOT NULL DEFAULT 0")
            try db.execute(sql: "UPDATE cases SET state_version = version")
        }
        migrator.registerMigration("v3: no index of events by name") { db in
            // Every event paid for an index nothing needs: history is read by case, and the reports scan it whole.
            try db.execute(sql: "DROP INDEX IF EXISTS events_by_name")
        }
        migrator.registerMigration("v4: task dispatch (lease, progress, failure)") { db in
            // Who holds a task and until when, the last progress a worker reported, and why the last attempt
            // failed. A task that cannot be done is `failed` (still open in its case) until retried or cancelled.
            try db.execute(
                sql: """
                    ALTER TABLE tasks ADD COLUMN leased_to TEXT;
                    ALTER TABLE tasks ADD COLUMN lease_expires REAL;
                    ALTER TABLE tasks ADD COLUMN progress TEXT;
                    ALTER TABLE tasks ADD COLUMN last_error TEXT;
                    """)
        }
        migrator.registerMigration("v5: leases live in the broker") { db in
            // A lease ends with the broker that granted it, so the store kept a copy nobody could use after a
            // restart, and paid a write for every dispatch. Attempts are written when an attempt ends.
            try db.execute(
                sql: """
                    ALTER TABLE tasks DROP COLUMN leased_to;
                    ALTER TABLE tasks DROP COLUMN lease_expires;
                    """)
        }
        migrator.registerMigration("v6: case views") { db in
            // Who looked at a person's case, and when: written with the engine's next commit, read by case.
            try db.execute(
                sql: """
                    CREATE TABLE case_views (
                        case_id TEXT NOT NULL,
                        viewer TEXT NOT NULL,
                        at REAL NOT NULL
                    );
                    CREATE INDEX case_views_by_case ON case_views(case_id, at);
                    """)
        }
        migrator.registerMigration("v7: allocation") { db in
            // The team and practitioner looking after a case, for the dashboard's filters. Existing cases have
            // none until they are reassigned.
            try db.execute(
                sql: """
                    ALTER TABLE cases ADD COLUMN team TEXT;
                    ALTER TABLE cases ADD COLUMN worker TEXT;
                    CREATE INDEX cases_by_team ON cases(team, number);
                    CREATE INDEX cases_by_worker ON cases(worker, number);
                    """)
        }
        migrator.registerMigration("v8: name search") { db in
            // Search by part of a name without reading every case: an index of each name's three-character
            // sequences (FTS5 trigram), keyed by case number so that it yields matches in the list's order, of the
            // name with ASCII letters in lower case, matched case-sensitively: exactly what `LIKE` matches (see
            // `NameSearch`). The writer keeps it in step; existing names are indexed here.
            try db.execute(
                sql: """
                    CREATE VIRTUAL TABLE cases_name USING fts5(
                        name, content = '', tokenize = 'trigram case_sensitive 1');
                    INSERT INTO cases_name (rowid, name) SELECT number, lower(name) FROM cases;
                    """)
        }
        migrator.registerMigration("v9: reviews done") { db in
            // Each review that satisfied the cycle, on time or late, for the dashboard's on-time rates. Reviews
            // completed before this migration are not listed.
            try db.execute(
                sql: """
                    CREATE TABLE reviews_done (
                        case_id TEXT NOT NULL,
                        type TEXT NOT NULL,
                        completed_at REAL NOT NULL,
                        due REAL,
                        on_time INTEGER NOT NULL
                    );
                    CREATE INDEX reviews_done_by_time ON reviews_done(completed_at);
                    CREATE INDEX reviews_done_by_case ON reviews_done(case_id);
                    """)
        }
        migrator.registerMigration("v10: queue and overdue filters") { db in
            // The dashboard lists a queue's cases, and a stage's overdue ones, by case number: each task row
            // carries its case's number, and two partial indexes hold only open tasks and overdue cases (the
            // others cost them nothing). The index of every task by queue and status stays: the dashboard and the
            // figures count a queue's failed tasks too.
            try db.execute(
                sql: """
                    ALTER TABLE tasks ADD COLUMN case_number INTEGER;
                    UPDATE tasks SET case_number = (SELECT number FROM cases WHERE cases.id = tasks.case_id);
                    CREATE INDEX tasks_open_by_queue ON tasks(queue, case_number) WHERE status = 'open';
                    CREATE INDEX cases_overdue_by_stage ON cases(stage, number) WHERE overdue = 1;
                    """)
        }
        migrator.registerMigration("v11: access log") { db in
            // Every read of personal data, written before the data is shown: who, when, how, the query or export,
            // why (break the glass), and every case it returned (`access_log_cases`, for "who looked at this
            // case", including searches that listed it). Views recorded before this version carry over as `view`.
            try db.execute(
                sql: """
                    CREATE TABLE access_log (
                        id INTEGER PRIMARY KEY,
                        at REAL NOT NULL,
                        actor TEXT NOT NULL,
                        channel TEXT NOT NULL,
                        query TEXT,
                        detail TEXT,
                        reason TEXT,
                        case_count INTEGER NOT NULL
                    );
                    CREATE INDEX access_log_by_actor ON access_log(actor, at);
                    CREATE INDEX access_log_by_time ON access_log(at);
                    CREATE TABLE access_log_cases (
                        access_id INTEGER NOT NULL REFERENCES access_log(id) ON DELETE CASCADE,
                        case_id TEXT NOT NULL
                    );
                    CREATE INDEX access_log_cases_by_case ON access_log_cases(case_id, access_id);
                    CREATE INDEX access_log_cases_by_access ON access_log_cases(access_id);
                    INSERT INTO access_log (id, at, actor, channel, case_count)
                        SELECT rowid, at, viewer, 'view', 1 FROM case_views;
                    INSERT INTO access_log_cases (access_id, case_id) SELECT rowid, case_id FROM case_views;
                    DROP TABLE case_views;
                    """)
        }
        migrator.registerMigration("v12: disposal certificates") { db in
            // What is left of a case disposed of after its retention period: a certificate without personal data,
            // keyed by the case's number so that the number is never given to a new case. Each answer kept for an
            // Idempotency-Key names its case, so that disposal removes it (answers kept before this version name
            // none).
            try db.execute(
                sql: """
                    CREATE TABLE disposal_certificates (
                        case_number INTEGER PRIMARY KEY,
                        case_id TEXT NOT NULL,
                        opened_at REAL,
                        closed_at REAL NOT NULL,
                        rule TEXT NOT NULL,
                        kept_for TEXT NOT NULL,
                        policy TEXT NOT NULL,
                        disposed_by TEXT NOT NULL,
                        disposed_at REAL NOT NULL,
                        removed TEXT NOT NULL
                    );
                    ALTER TABLE idempotency ADD COLUMN case_id TEXT;
                    CREATE INDEX idempotency_by_case ON idempotency(case_id) WHERE case_id IS NOT NULL;
                    """)
        }
        migrator.registerMigration("v13: outcomes kept for idempotency keys") { db in
            // A key keeps its command's outcome (`RecordedOutcome`, JSON), which the API renders as it renders a
            // fresh one, instead of the HTTP answer itself: the store knows nothing of HTTP. Answers kept before
            // keep their status and body, and are given back as they were.
            try db.execute(
                sql: """
                    CREATE TABLE idempotency_v13 (
                        key TEXT PRIMARY KEY NOT NULL,
                        fingerprint TEXT NOT NULL,
                        outcome TEXT,
                        status INTEGER,
                        body BLOB,
                        created_at REAL NOT NULL,
                        case_id TEXT
                    );
                    INSERT INTO idempotency_v13 (key, fingerprint, status, body, created_at, case_id)
                        SELECT key, fingerprint, status, body, created_at, case_id FROM idempotency;
                    DROP TABLE idempotency;
                    ALTER TABLE idempotency_v13 RENAME TO idempotency;
                    CREATE INDEX idempotency_by_case ON idempotency(case_id) WHERE case_id IS NOT NULL;
                    """)
        }
        migrator.registerMigration("v14: fewer task indexes") { db in
            // Every task written cost four b-trees besides its row. A case's tasks are found through the primary key
            // (`TaskRows`), so the index by case goes; the index by queue and status held every task ever done, and
            // a task's every change of status moved it, so it goes too: open tasks have their own (v10), and the
            // others one that takes a task only once, when it leaves `open` (`carejourney-bench transitions`,
            // docs/operations.md#figures).
            try db.execute(
                sql: """
                    DROP INDEX tasks_by_case;
                    DROP INDEX tasks_by_queue;
                    CREATE INDEX tasks_closed_by_queue ON tasks(queue, status) WHERE status <> 'open';
                    """)
        }
        migrator.registerMigration("v15: case ids in the index by stage") { db in
            // `store doctor` and the figures look, case by case, for the timers and tasks of open cases (and of
            // closed ones), whose primary keys begin with the case's id. The index by stage and number now holds
            // the id too, so those checks read it alone, never a case's row (and its state). The writer pays no
            // index more: it already moved a case's entry when its stage changed (docs/operations.md#doctor).
            try db.execute(
                sql: """
                    DROP INDEX cases_by_stage;
                    CREATE INDEX cases_by_stage ON cases(stage, number, id);
                    """)
        }
        migrator.registerMigration("v16: people's tasks: due dates and who holds them") { db in
            // A task's due date (where the policy gives its kind one) and the person holding it (a task on a
            // people's queue that someone took or was allocated), for worklists: a person's open tasks are found
            // through a partial index of the held ones.
            try db.execute(
                sql: """
                    ALTER TABLE tasks ADD COLUMN due REAL;
                    ALTER TABLE tasks ADD COLUMN held_by TEXT;
                    CREATE INDEX tasks_open_by_holder ON tasks(held_by, created_at) WHERE status = 'open' AND held_by IS NOT NULL;
                    """)
        }
        migrator.registerMigration("v17: worklists in order") { db in
            // A worklist's page read in its order through an index, as far as the page goes, instead of every open
            // task of its queues sorted for each page (seconds for a queue of 400,000 open tasks at a million
            // cases): soonest due first, and oldest first. Each holds open tasks only, so a task enters them once
            // and leaves them when it is done (docs/operations.md#figures: the writer's cost).
            try db.execute(
                sql: """
                    CREATE INDEX tasks_open_by_due ON tasks(queue, due, created_at) WHERE status = 'open';
                    CREATE INDEX tasks_open_by_age ON tasks(queue, created_at) WHERE status = 'open';
                    """)
        }
        migrator.registerMigration("v18: worklists by team, people's queues only") { db in
            // A team's worklist read in its order through an index that leads by team, as far as the page goes: v17's
            // indexes lead by queue, and a team's list walked every task of a queue before reaching the team's (p95
            // 0.7 s at a million cases). A task carries its case's team while open (the writer moves it when the case
            // changes team) and whether a people's queue holds it (`listed`, from the policy: `CaseStore.register`
            // marks the open tasks of the queues whose server changed). The ordered indexes hold listed tasks only,
            // so the tasks of workers' queues, most of those written, cost the writer no index of worklists.
            try db.execute(
                sql: """
                    ALTER TABLE tasks ADD COLUMN team TEXT;
                    ALTER TABLE tasks ADD COLUMN listed INTEGER NOT NULL DEFAULT 0;
                    DROP INDEX tasks_open_by_due;
                    DROP INDEX tasks_open_by_age;
                    CREATE INDEX tasks_listed_by_due ON tasks(queue, due, created_at)
                        WHERE status = 'open' AND listed = 1;
                    CREATE INDEX tasks_listed_by_age ON tasks(queue, created_at) WHERE status = 'open' AND listed = 1;
                    CREATE INDEX tasks_team_by_due ON tasks(team, queue, due, created_at)
                        WHERE status = 'open' AND listed = 1 AND team IS NOT NULL;
                    CREATE INDEX tasks_team_by_age ON tasks(team, queue, created_at)
                        WHERE status = 'open' AND listed = 1 AND team IS NOT NULL;
                    """)
            // Open tasks take their case's team: the cases with a team, from the index by team (a case's row holds
            // its team after its state, so reading every row's would read every state), their tasks by primary key.
            let teamed = try Row.fetchCursor(
                db, sql: "SELECT c.team, c.id FROM cases c INDEXED BY cases_by_team WHERE c.team IS NOT NULL")
            let setTeam = try db.makeStatement(sql: TaskRows.setTeam)
            while let row = try teamed.next() {
                try setTeam.execute(arguments: [row["team"] as String, row["id"] as String])
            }
        }
        return migrator
    }
}
