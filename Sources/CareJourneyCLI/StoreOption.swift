import ArgumentParser
import CareJourneyPostgres
import CareJourneyStore
import Foundation
import Logging

/// `--data-dir DIR` or `--store postgres://…`: the store a command that only reads runs on (`store verify`,
/// `store doctor`), beside a running service either way.
struct StoreOption: ParsableArguments {
    @OptionGroup var data: DataDirectoryOption

    @Option(
        help: """
            A PostgreSQL store, postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE (the password may come from \
            PGPASSWORD), instead of the SQLite store in --data-dir.
            """)
    var store: String?

    /// The store as the user named it, for the commands a report gives.
    var named: String { store ?? data.path }

    /// Runs `body` on the store, read-only: the SQLite store in `--data-dir`, or the PostgreSQL store `--store`
    /// names (its connections closed after).
    ///
    /// - Throws: `StoreError` when the store cannot be opened; what `body` throws.
    func reading<T: Sendable>(
        _ tool: String, _ body: @escaping @Sendable (any CareStore) async throws -> T
    ) async throws -> T {
        guard let store else { return try await body(try CaseStore(directory: data.path, access: .readOnly)) }
        guard case .postgres(let address) = try StoreLocation(store) else {
            throw StoreError(
                .address,
                "--store takes a PostgreSQL address, postgres://USER@HOST[:PORT]/DATABASE; a SQLite store is named "
                    + "by its folder with --data-dir")
        }
        var logger = Logger(label: "carejourney.\(tool)")
        logger.logLevel = .error
        let host = ProcessInfo.processInfo.hostName.split(separator: ".").first.map(String.init) ?? "host"
        let opened = try await PostgresStore.open(
            address, node: try NodeName("\(tool)@\(host)-\(getpid())"), logger: logger)
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                try await opened.run()
                return nil
            }
            defer { group.cancelAll() }
            return try await body(opened)
        }
    }
}
