import CareJourneyStore
import Logging
import PostgresNIO

extension NodePresence {
    /// Runs `body` on a connection that has the store at `address` to itself, for an offline tool (`tool`: how
    /// the refusal names it, such as "`carejourney policy apply`"): it takes the serving nodes' lock exclusively,
    /// without waiting, and gives it back when `body` ends.
    ///
    /// - Throws: `StoreError` with code `inUse` when a node serves the store (naming the serving nodes it can see),
    ///   or another tool has it; whatever `body` throws.
    public static func excluding<T: Sendable>(
        _ tool: String, address: PostgresAddress, timeouts: ClusterTimeouts = ClusterTimeouts(), logger: Logger,
        _ body: (PostgresConnection) async throws(StoreError) -> T
    ) async throws(StoreError) -> T {
        try await address.withConnection(logger: logger) { connection throws(StoreError) in
            let serving: [NodeName]? = try await PostgresFailure.map("taking the store at \(address) for \(tool)") {
                try await timeouts.applyToSession(on: connection, logger: logger)
                var taken = false
                for try await value in try await connection.query(
                    "SELECT pg_try_advisory_lock(\(lockKey))", logger: logger
                ).decode(Bool.self) {
                    taken = value
                }
                if taken { return nil }
                var serving: [NodeName] = []
                for try await name in try await connection.query(
                    """
                    SELECT substr(a.application_name, 18) FROM pg_locks AS l JOIN pg_stat_activity AS a ON a.pid = l.pid
                    WHERE l.locktype = 'advisory' AND l.granted
                        AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
                        AND l.classid::bigint = \(lockKey >> 32)
                        AND l.objid::bigint = \(lockKey & 0xFFFF_FFFF) AND l.objsubid = 1
                        AND a.application_name LIKE 'carejourney node %'
                    ORDER BY 1
                    """, logger: logger
                ).decode(String.self) {
                    if let name = try? NodeName(name) { serving.append(name) }
                }
                return serving
            }
            if let serving {
                let who =
                    serving.isEmpty
                    ? "a node or another tool holds it"
                    : "\(serving.count == 1 ? "a node serves" : "\(serving.count) nodes serve") it ("
                        + serving.map(\.rawValue).joined(separator: ", ") + ")"
                throw StoreError(
                    .inUse,
                    "\(tool) needs the store at \(address) to itself, and \(who): stop every `carejourney serve` on it "
                        + "(and wait for any other tool to finish), run this again, then start the nodes")
            }
            // Given back as soon as the tool is done, before the connection closes: the server ends a session (and
            // frees its locks) a moment after the close.
            do throws(StoreError) {
                let result = try await body(connection)
                try? await connection.query("SELECT pg_advisory_unlock(\(lockKey))", logger: logger).drain()
                return result
            } catch {
                try? await connection.query("SELECT pg_advisory_unlock(\(lockKey))", logger: logger).drain()
                throw error
            }
        }
    }
}
