import CareJourneyClock
import CareJourneyPostgres
import CareJourneyRuntime
import CareJourneyStore
import Foundation
import GRDB
import Testing

/// The store a live server runs on (`LiveServer.with(store:)`): a SQLite data folder, or, when the tests run with
/// `CAREJOURNEY_TEST_STORE=postgres`, a database of its own on the PostgreSQL server the test process shares
/// (`PostgresServer.shared()`), beside a folder for the node's own files. The same suites run on either
/// (`scripts/test` runs the live servers' suite once on each).
///
/// Servers started on one store one after the other find what the first left (a restart); on PostgreSQL, two at
/// once are two nodes of one store.
///
/// ```swift
/// let store = try await TestStore.fresh()
/// try await LiveServer.with(store: store) { server in … }
/// try await store.execute(["DELETE FROM timers WHERE case_id = 'C-1'"])   // a store damaged by hand
/// try await LiveServer.with(store: store) { server in … }                  // the same store, after a restart
/// ```
public struct TestStore: Sendable {
    /// Which database the tests' stores are in.
    public enum Kind: String, Sendable {
        case sqlite, postgres
    }

    /// The variable that chooses the kind: `sqlite` (or unset) or `postgres`.
    public static let variable = "CAREJOURNEY_TEST_STORE"

    /// The kind the tests run on, from `CAREJOURNEY_TEST_STORE`.
    ///
    /// - Throws: `PostgresServerError` naming the values it may take, when it holds another.
    public static func kind() throws -> Kind {
        let value = ProcessInfo.processInfo.environment[variable] ?? ""
        guard let kind = value.isEmpty ? .sqlite : Kind(rawValue: value) else {
            throw PostgresServerError("\(variable)=\(value): the tests run on `sqlite` (the default) or `postgres`")
        }
        return kind
    }

    /// The data folder (SQLite), or the node's own folder beside a PostgreSQL store.
    public let folder: String
    /// The database, for a PostgreSQL store.
    public let postgres: PostgresAddress?

    /// A new, empty store of the kind the tests run on.
    ///
    /// - Throws: `PostgresServerError` when the kind is unknown or the shared PostgreSQL server cannot start;
    ///   `StoreError` when its new database cannot be made.
    public static func fresh() async throws -> TestStore {
        switch try kind() {
        case .sqlite: TestStore(folder: temporaryDirectory(), postgres: nil)
        case .postgres: TestStore(folder: temporaryDirectory(), postgres: try await PostgresServer.shared().newDatabase())
        }
    }

    /// How the store is named to `carejourney` on the command line: `--data-dir FOLDER`, or `--store ADDRESS`
    /// (without its password).
    public var commandLine: String {
        if let postgres { "--store \(postgres)" } else { "--data-dir \(folder)" }
    }

    /// How a service serves it as the node `node` (ignored on SQLite): `nil` for SQLite.
    func serving(as node: String) throws -> PostgresServing? {
        try postgres.map { PostgresServing(address: $0, node: try NodeName(node)) }
    }

    /// Runs each of `statements` in a transaction of its own, straight on the database, as someone with a SQL prompt
    /// would: a store damaged by hand, a trigger that refuses writes as a full disk would.
    public func execute(_ statements: [String]) async throws {
        if let postgres {
            for statement in statements { try await postgres.run(statement) }
        } else {
            let database = try DatabaseQueue(path: folder + "/carejourney.sqlite")
            for statement in statements { try await database.write { try $0.execute(sql: statement) } }
        }
    }

    /// Runs `body` with the store open (made first, if it is new), with no service around it; on PostgreSQL as the
    /// node `node`, its pool running until `body` returns.
    public func withStore<T: Sendable>(
        node: String = "test", clock: any CareClock = WallClock(), _ body: @Sendable (any CareStore) async throws -> T
    ) async throws -> T {
        guard let postgres else { return try await body(try CaseStore(directory: folder)) }
        _ = try await PostgresSchema.migrate(postgres, logger: quietLogger)
        let store = try await PostgresStore.open(postgres, node: try NodeName(node), clock: clock, logger: quietLogger)
        return try await withRunning(store) { try await body(store) }
    }

    /// Every case replayed from its history and compared with what is stored (`carejourney store verify`), the store
    /// open for this alone.
    public func verify() async throws -> VerificationReport {
        try await withStore { store in try await store.verify(.all, limit: 100, progress: nil) }
    }
}

extension Trait where Self == ConditionTrait {
    /// For a test about the SQLite store's own files (what is kept beside them in the data folder, the file itself):
    /// it runs when the tests run on SQLite and is skipped, saying `why`, when they run on PostgreSQL.
    public static func sqliteOnly(_ why: Comment) -> Self {
        .enabled(why) { try TestStore.kind() == .sqlite }
    }

    /// For a test of what only a store several nodes share can do: it runs when the tests run on PostgreSQL.
    public static func postgresOnly(_ why: Comment) -> Self {
        .enabled(why) { try TestStore.kind() == .postgres }
    }
}
