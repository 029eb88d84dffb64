import CareJourneyStore
import Logging
import PostgresNIO

/// A batch run again when another node wrote first: its transaction rolled back, its cases' states read afresh,
/// up to `attempts` times.
extension PostgresWriter {
    /// Writes `batch`, in one transaction, again while it conflicts with another node's writes, then rings the
    /// doorbell of its feed's row, if it appended one.
    func write(_ batch: WriterBatch) async throws(StoreError) -> BatchOutcome {
        let what = "writing a batch of \(batch.commands.count) command(s) to \(address)"
        try await reconnectIfLost()
        var attempt = 1
        while true {
            do {
                let trustCache = attempt == 1
                let (outcome, feedBatch) = try await connection.withTransaction(logger: logger) { _ in
                    var plan = PostgresBatchPlan(batch: batch, writer: self, trustCache: trustCache)
                    let outcome = try await plan.write()
                    return (outcome, plan.feedBatch)
                }
                if let node, let feedBatch { await ring(node: node, batch: feedBatch) }
                return outcome
            } catch {
                guard let conflict = Self.conflict(in: error) else { throw PostgresFailure.storeError(error, what) }
                guard attempt < attempts else {
                    throw StoreError(
                        .io,
                        "\(what) failed \(attempts) times, each on a conflict with another node's writes (SQLSTATE "
                            + "\(conflict)): nothing was committed; send the commands again")
                }
                logger.debug(
                    "a batch conflicted with another node's writes: running it again",
                    metadata: ["sqlstate": "\(conflict)", "attempt": "\(attempt)"])
                attempt += 1
            }
        }
    }

    /// The unique constraints whose violation means another node wrote the same thing first: an event's number in
    /// its case, an idempotency key.
    static let conflictingConstraints: Set<String> = ["events_case_id_version_key", "idempotency_pkey"]

    /// The SQLSTATE of `error` when it says the transaction lost to another one and may succeed if run again:
    /// serialization_failure, deadlock_detected, or a unique_violation on `conflictingConstraints`; `nil` otherwise.
    static func conflict(in error: any Error) -> String? {
        switch error {
        case let error as PostgresTransactionError:
            return (error.closureError ?? error.commitError).flatMap(conflict(in:))
        case let error as PSQLError:
            guard let state = error.serverInfo?[.sqlState] else { return nil }
            switch state {
            case "40001", "40P01": return state
            case "23505":
                guard let constraint = error.serverInfo?[.constraintName] else { return nil }
                return conflictingConstraints.contains(constraint) ? state : nil
            default: return nil
            }
        default:
            return nil
        }
    }

    /// Rings the feed's doorbell for `node`'s batch `n` on the bell's connection, connecting it again when it was
    /// lost; a failure is logged, never thrown: the batch is committed, and readers poll.
    private func ring(node: NodeName, batch n: Int64) async {
        do throws(StoreError) {
            let connection: PostgresConnection
            if let open = bell.withLock({ $0 }), !open.isClosed {
                connection = open
            } else {
                connection = try await address.connect(logger: logger)
                bell.withLock { [connection] in $0 = connection }
            }
            try await NodeFeed.ring(node: node, batch: n, on: connection, logger: logger)
        } catch {
            logger.warning(
                "the feed's doorbell did not ring (other nodes read the batch at their next poll)",
                metadata: ["batch": "\(n)", "error": "\(error)"])
        }
    }
}
