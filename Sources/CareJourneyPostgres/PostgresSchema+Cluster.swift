extension PostgresSchema {
    /// `p2`: the tables several `serve` nodes on one database share (docs/operations.md#several-nodes-the-primitives).
    ///
    /// - `nodes`: each node's name, when it started and when it was last seen (`NodePresence` writes it; the feed's
    ///   readers find the other nodes in it).
    /// - `timers.claimed_by`, `timers.claim_until`: a node's lease on a due timer (`TimerClaims`). A timer set again
    ///   to another due time loses its claim, whatever statement sets it (the trigger `timers_claim_reset`), so a
    ///   claim never outlives the timer it was taken on.
    /// - `task_leases`: which node's broker holds an open task, until when (`TaskLeases`).
    /// - `node_batches`: the feed, one row per committed batch of each node, numbered without gaps per node
    ///   (`NodeFeed`): the event numbers it wrote, the cases it removed, and its figures' change as text.
    /// - `case_numbers`: the sequence the PostgreSQL writer takes new case numbers from (several nodes cannot take
    ///   `max(number) + 1`), started past every number a case or a disposal certificate holds; `store copy` moves
    ///   it past the copied ones.
    static let clusterMigration = Migration(
        id: "p2: several nodes: nodes, timer claims, task leases, the feed, case numbers",
        statements: [
            """
            CREATE TABLE nodes (
                name text COLLATE "C" PRIMARY KEY,
                started_at double precision NOT NULL,
                seen_at double precision NOT NULL)
            """,
            #"ALTER TABLE timers ADD COLUMN claimed_by text COLLATE "C", ADD COLUMN claim_until double precision"#,
            """
            CREATE FUNCTION timers_claim_reset() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                NEW.claimed_by := NULL;
                NEW.claim_until := NULL;
                RETURN NEW;
            END
            $$
            """,
            """
            CREATE TRIGGER timers_claim_reset BEFORE UPDATE OF due ON timers FOR EACH ROW
                WHEN (OLD.due IS DISTINCT FROM NEW.due) EXECUTE FUNCTION timers_claim_reset()
            """,
            """
            CREATE TABLE task_leases (
                task_id text COLLATE "C" PRIMARY KEY,
                node text COLLATE "C" NOT NULL,
                expires double precision NOT NULL)
            """,
            "CREATE INDEX task_leases_by_node ON task_leases (node)",
            """
            CREATE TABLE node_batches (
                node text COLLATE "C" NOT NULL,
                n bigint NOT NULL,
                seqs bigint[] NOT NULL,
                removed text[] COLLATE "C" NOT NULL,
                figures text COLLATE "C" NOT NULL,
                at double precision NOT NULL,
                PRIMARY KEY (node, n))
            """,
            "CREATE SEQUENCE case_numbers AS bigint",
            moveCaseNumbers,
        ])

    /// Moves `case_numbers` past every number a case or a disposal certificate holds (the next `nextval` is one
    /// more), or to its start when there are none: run once by `p2`, and by `store copy` after it copied.
    static let moveCaseNumbers = """
        SELECT setval('case_numbers', greatest(m, 1), m > 0)
        FROM (SELECT greatest(
            (SELECT coalesce(max(number), 0) FROM cases),
            (SELECT coalesce(max(case_number), 0) FROM disposal_certificates)) AS m) AS highest
        """
}
