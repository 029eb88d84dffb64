import ArgumentParser
import CareJourneyPostgres
import CareJourneyStore
import Foundation
import Logging
import Synchronization

/// `--data-dir DIR` or `--store postgres://…`: the store a command runs on. A command that only reads (`store verify`,
/// `store doctor`, the reports, `audit`) runs beside a running service either way (`reading`); an offline one
/// (`policy apply`, `store dispose`) needs the store to itself (`alone`).
struct StoreOption: ParsableArguments {
    @OptionGroup var data: DataDirectoryOption

    @Option(
        help: """
            A PostgreSQL store, postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE (the password may come from \
            PGPASSWORD), instead of the SQLite store in --data-dir.
            """)
    var store: String?

    /// The store as the user named it, for the commands a report gives: a PostgreSQL address without its password.
    var named: String {
        guard let store else { return data.path }
        return ((try? address()) ?? nil).map(\.description) ?? store
    }

    /// The PostgreSQL store `--store` names, or `nil` for the SQLite store in `--data-dir`.
    ///
    /// - Throws: `StoreError` with code `address` when `--store` names no PostgreSQL store.
    func address() throws(StoreError) -> PostgresAddress? {
        guard let store else { return nil }
        guard case .postgres(let address) = try StoreLocation(store) else {
            throw StoreError(
                .address,
                "--store takes a PostgreSQL address, postgres://USER@HOST[:PORT]/DATABASE; a SQLite store is named "
                    + "by its folder with --data-dir")
        }
        return address
    }

    /// Runs `body` on the store, read-only: the SQLite store in `--data-dir`, or the PostgreSQL store `--store`
    /// names, opened to read (`PostgresStore.reading`: no writer, no node's presence; its connections closed after).
    ///
    /// - Throws: `StoreError` when the store cannot be opened; what `body` throws.
    func reading<T: Sendable>(
        _ tool: String, _ body: @escaping @Sendable (any CareStore) async throws -> T
    ) async throws -> T {
        guard let address = try address() else {
            return try await body(try CaseStore(directory: data.path, access: .readOnly))
        }
        return try await Self.running(try await PostgresStore.reading(address, logger: Self.logger(tool)), body)
    }

    /// Runs `body` on the store with no service running on it, as an offline tool (`tool`, such as "`carejourney
    /// policy apply`") must: the SQLite store with its data folder's lock held, or the PostgreSQL store with the
    /// serving nodes' lock held alone (`NodePresence.excluding`), opened `offline`. Refused, naming how to stop
    /// them, while a service runs on it.
    ///
    /// - Throws: `StoreError` with code `inUse` (PostgreSQL) or a lock error (SQLite) while a service runs on the
    ///   store; `StoreError` when it cannot be opened; what `body` throws.
    func alone<T: Sendable>(
        _ tool: String, _ body: @escaping @Sendable (any CareStore) async throws -> T
    ) async throws -> T {
        guard let address = try address() else {
            let lock = try DataDirectoryLock(directory: data.path)
            defer { withExtendedLifetime(lock) {} }  // held until the store is written
            return try await body(try CaseStore(directory: data.path))
        }
        let logger = Self.logger("offline")
        // `excluding`'s body throws only `StoreError`: any other error of `body` (an `ExitCode`) is kept here and
        // thrown again as it was.
        let other = Mutex<(any Error)?>(nil)
        do {
            return try await NodePresence.excluding(tool, address: address, logger: logger) { _ throws(StoreError) in
                do {
                    return try await Self.running(try await PostgresStore.offline(address, logger: logger), body)
                } catch let error as StoreError {
                    throw error
                } catch {
                    other.withLock { $0 = error }
                    throw StoreError(.io, "\(tool) stopped", cause: error)
                }
            }
        } catch {
            throw other.withLock { $0 } ?? error
        }
    }

    /// Records `read` in the store's access log before what it reads is shown or written, in a transaction of its
    /// own: an export or an audit made outside the service.
    ///
    /// - Throws: `StoreError` when it cannot be recorded: the caller must then not go on.
    func record(_ read: AccessRecord, by tool: String) async throws(StoreError) {
        guard let address = try address() else { return try CaseStore.recordRead(read, inStoreAt: data.path) }
        try await address.recordRead(read, logger: Self.logger(tool))
    }

    /// Runs `body` on `store` with its read pool running, then stops the pool (and closes its writer, if any).
    private static func running<T: Sendable>(
        _ store: PostgresStore, _ body: @escaping @Sendable (any CareStore) async throws -> T
    ) async throws -> T {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                try await store.run()
                return nil
            }
            defer { group.cancelAll() }
            return try await body(store)
        }
    }

    /// A logger for `tool` that tells only errors.
    private static func logger(_ tool: String) -> Logger {
        var logger = Logger(label: "carejourney.\(tool)")
        logger.logLevel = .error
        return logger
    }
}
